-- AlterTable (a plain ADD COLUMN: SQLite accepts NOT NULL with a constant default, no table copy)
ALTER TABLE "User" ADD COLUMN "badgeNameInClear" BOOLEAN NOT NULL DEFAULT true;
