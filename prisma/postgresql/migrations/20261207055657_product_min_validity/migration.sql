-- AlterTable
ALTER TABLE "RechargeProduct" ADD COLUMN     "minValidityDays" INTEGER NOT NULL DEFAULT 7;
