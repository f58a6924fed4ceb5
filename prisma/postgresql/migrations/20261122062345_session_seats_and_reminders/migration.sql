-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "seatsTaken" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Enrolment" ADD COLUMN     "reminder1SentAt" TIMESTAMP(3),
ADD COLUMN     "reminder7SentAt" TIMESTAMP(3);
