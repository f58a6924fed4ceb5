-- AlterTable
ALTER TABLE "User" ADD COLUMN     "badgeNameInClear" BOOLEAN NOT NULL DEFAULT true;
