-- AlterTable
ALTER TABLE "Certificate" ADD COLUMN "credential" TEXT;
