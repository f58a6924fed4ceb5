-- AlterTable
ALTER TABLE "Enrolment" ADD COLUMN "reminder1SentAt" DATETIME;
ALTER TABLE "Enrolment" ADD COLUMN "reminder7SentAt" DATETIME;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "moduleId" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'INTER',
    "structureId" TEXT,
    "format" TEXT NOT NULL DEFAULT 'IN_PERSON',
    "venueName" TEXT,
    "address" TEXT,
    "postcode" TEXT,
    "city" TEXT,
    "accessInfo" TEXT,
    "remoteUrl" TEXT,
    "capacity" INTEGER NOT NULL,
    "seatsTaken" INTEGER NOT NULL DEFAULT 0,
    "trainerId" TEXT,
    "priceCents" INTEGER NOT NULL,
    "isFree" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'SCHEDULED',
    "cancelReason" TEXT,
    "cancelledAt" DATETIME,
    "closedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Session_moduleId_fkey" FOREIGN KEY ("moduleId") REFERENCES "Module" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Session_structureId_fkey" FOREIGN KEY ("structureId") REFERENCES "Structure" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Session_trainerId_fkey" FOREIGN KEY ("trainerId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Session" ("accessInfo", "address", "cancelReason", "cancelledAt", "capacity", "city", "closedAt", "createdAt", "format", "id", "isFree", "kind", "moduleId", "postcode", "priceCents", "remoteUrl", "status", "structureId", "trainerId", "updatedAt", "venueName") SELECT "accessInfo", "address", "cancelReason", "cancelledAt", "capacity", "city", "closedAt", "createdAt", "format", "id", "isFree", "kind", "moduleId", "postcode", "priceCents", "remoteUrl", "status", "structureId", "trainerId", "updatedAt", "venueName" FROM "Session";
DROP TABLE "Session";
ALTER TABLE "new_Session" RENAME TO "Session";
CREATE INDEX "Session_moduleId_status_idx" ON "Session"("moduleId", "status");
CREATE INDEX "Session_trainerId_idx" ON "Session"("trainerId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
