-- AlterTable
ALTER TABLE "Certificate" ADD COLUMN     "reminderSentAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "RelayApplication" ADD COLUMN     "applicantFunction" TEXT,
ADD COLUMN     "applicantPhone" TEXT,
ADD COLUMN     "staffToTrainNames" TEXT;

-- AlterTable
ALTER TABLE "Relay" ADD COLUMN     "beneficiaryMonthlyCeilingCents" INTEGER NOT NULL DEFAULT 3000;

-- AlterTable
ALTER TABLE "RechargeProduct" ADD COLUMN     "lowStockAlertedAt" TIMESTAMP(3);
