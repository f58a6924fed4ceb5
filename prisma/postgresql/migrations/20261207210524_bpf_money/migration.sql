-- AlterTable
ALTER TABLE "User" ADD COLUMN     "externalTrainer" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Module" ADD COLUMN     "nsfCode" TEXT;

-- CreateTable
CREATE TABLE "BpfYearEntry" (
    "year" INTEGER NOT NULL,
    "otherIncomeCents" INTEGER NOT NULL DEFAULT 0,
    "turnoverCents" INTEGER,
    "chargesCents" INTEGER,
    "trainerPayCents" INTEGER,
    "boughtTrainingCents" INTEGER,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedById" TEXT,

    CONSTRAINT "BpfYearEntry_pkey" PRIMARY KEY ("year")
);
