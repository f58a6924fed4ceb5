-- AlterTable
ALTER TABLE "Certificate" ADD COLUMN "reminderSentAt" DATETIME;

-- AlterTable
ALTER TABLE "RelayApplication" ADD COLUMN "applicantFunction" TEXT;
ALTER TABLE "RelayApplication" ADD COLUMN "applicantPhone" TEXT;
ALTER TABLE "RelayApplication" ADD COLUMN "staffToTrainNames" TEXT;

-- AlterTable
ALTER TABLE "RechargeProduct" ADD COLUMN "lowStockAlertedAt" DATETIME;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Relay" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "structureId" TEXT NOT NULL,
    "applicationId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'PENDING_CERTIFICATION',
    "requiredCertifiedStaff" INTEGER NOT NULL DEFAULT 1,
    "requiredModuleId" TEXT NOT NULL,
    "statusReason" TEXT,
    "activatedAt" DATETIME,
    "description" TEXT,
    "services" TEXT,
    "openingHours" TEXT,
    "conventionAcceptedAt" DATETIME,
    "conventionAcceptedName" TEXT,
    "conventionAcceptedIp" TEXT,
    "beneficiaryMonthlyCeilingCents" INTEGER NOT NULL DEFAULT 3000,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Relay_structureId_fkey" FOREIGN KEY ("structureId") REFERENCES "Structure" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Relay_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "RelayApplication" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Relay_requiredModuleId_fkey" FOREIGN KEY ("requiredModuleId") REFERENCES "Module" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Relay" ("activatedAt", "applicationId", "conventionAcceptedAt", "conventionAcceptedIp", "conventionAcceptedName", "createdAt", "description", "id", "openingHours", "requiredCertifiedStaff", "requiredModuleId", "services", "status", "statusReason", "structureId", "updatedAt") SELECT "activatedAt", "applicationId", "conventionAcceptedAt", "conventionAcceptedIp", "conventionAcceptedName", "createdAt", "description", "id", "openingHours", "requiredCertifiedStaff", "requiredModuleId", "services", "status", "statusReason", "structureId", "updatedAt" FROM "Relay";
DROP TABLE "Relay";
ALTER TABLE "new_Relay" RENAME TO "Relay";
CREATE UNIQUE INDEX "Relay_structureId_key" ON "Relay"("structureId");
CREATE UNIQUE INDEX "Relay_applicationId_key" ON "Relay"("applicationId");
CREATE INDEX "Relay_status_idx" ON "Relay"("status");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
