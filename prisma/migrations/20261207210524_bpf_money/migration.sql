-- AlterTable
ALTER TABLE "Module" ADD COLUMN "nsfCode" TEXT;

-- CreateTable
CREATE TABLE "BpfYearEntry" (
    "year" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "otherIncomeCents" INTEGER NOT NULL DEFAULT 0,
    "turnoverCents" INTEGER,
    "chargesCents" INTEGER,
    "trainerPayCents" INTEGER,
    "boughtTrainingCents" INTEGER,
    "updatedAt" DATETIME NOT NULL,
    "updatedById" TEXT
);

-- AlterTable (a plain ADD COLUMN: SQLite accepts NOT NULL with a constant default, no table copy)
ALTER TABLE "User" ADD COLUMN "externalTrainer" BOOLEAN NOT NULL DEFAULT false;
