-- AlterTable
ALTER TABLE "Signature" ADD COLUMN "minutesLate" INTEGER;
