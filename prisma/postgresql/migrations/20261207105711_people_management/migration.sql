-- AlterEnum
ALTER TYPE "TokenPurpose" ADD VALUE 'ACCOUNT_SETUP';

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "deactivatedAt" TIMESTAMP(3),
ADD COLUMN     "lastLoginAt" TIMESTAMP(3);
