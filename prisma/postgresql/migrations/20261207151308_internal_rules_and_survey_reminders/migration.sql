-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "calendarSequence" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Enrolment" ADD COLUMN     "rulesDeliveredAt" TIMESTAMP(3),
ADD COLUMN     "rulesVersionId" TEXT;

-- AlterTable
ALTER TABLE "SurveyResponse" ADD COLUMN     "reminderSentAt" TIMESTAMP(3),
ADD COLUMN     "reminderTokenHash" TEXT;

-- CreateTable
CREATE TABLE "InternalRulesVersion" (
    "id" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "body" TEXT NOT NULL,
    "createdById" TEXT,
    "createdByName" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InternalRulesVersion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "InternalRulesVersion_number_key" ON "InternalRulesVersion"("number");

-- CreateIndex
CREATE UNIQUE INDEX "SurveyResponse_reminderTokenHash_key" ON "SurveyResponse"("reminderTokenHash");

-- AddForeignKey
ALTER TABLE "Enrolment" ADD CONSTRAINT "Enrolment_rulesVersionId_fkey" FOREIGN KEY ("rulesVersionId") REFERENCES "InternalRulesVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;
