-- CreateTable
CREATE TABLE "OrganisationIdentity" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "legalForm" TEXT NOT NULL,
    "street" TEXT NOT NULL,
    "postalCode" TEXT NOT NULL,
    "city" TEXT NOT NULL,
    "siret" TEXT NOT NULL,
    "nda" TEXT NOT NULL,
    "ndaRegion" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "phone" TEXT NOT NULL,
    "signatoryName" TEXT NOT NULL,
    "signatoryTitle" TEXT NOT NULL,
    "documentMentions" TEXT NOT NULL,
    "logo" BLOB,
    "logoType" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdById" TEXT
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Certificate" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "number" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "verificationCode" TEXT NOT NULL,
    "enrolmentId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "moduleId" TEXT NOT NULL,
    "holderName" TEXT NOT NULL,
    "employerName" TEXT,
    "moduleTitle" TEXT NOT NULL,
    "attendedMinutes" INTEGER NOT NULL,
    "startsOn" DATETIME NOT NULL,
    "endsOn" DATETIME NOT NULL,
    "objectivesReached" BOOLEAN,
    "issuedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME,
    "revokedAt" DATETIME,
    "revokedReason" TEXT,
    "supersededAt" DATETIME,
    "reminderSentAt" DATETIME,
    "signature" TEXT NOT NULL,
    "organisationIdentityId" TEXT,
    CONSTRAINT "Certificate_organisationIdentityId_fkey" FOREIGN KEY ("organisationIdentityId") REFERENCES "OrganisationIdentity" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Certificate_enrolmentId_fkey" FOREIGN KEY ("enrolmentId") REFERENCES "Enrolment" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Certificate_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Certificate_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Certificate_moduleId_fkey" FOREIGN KEY ("moduleId") REFERENCES "Module" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Certificate" ("attendedMinutes", "employerName", "endsOn", "enrolmentId", "expiresAt", "holderName", "id", "issuedAt", "kind", "moduleId", "moduleTitle", "number", "objectivesReached", "reminderSentAt", "revokedAt", "revokedReason", "sessionId", "signature", "startsOn", "supersededAt", "userId", "verificationCode") SELECT "attendedMinutes", "employerName", "endsOn", "enrolmentId", "expiresAt", "holderName", "id", "issuedAt", "kind", "moduleId", "moduleTitle", "number", "objectivesReached", "reminderSentAt", "revokedAt", "revokedReason", "sessionId", "signature", "startsOn", "supersededAt", "userId", "verificationCode" FROM "Certificate";
DROP TABLE "Certificate";
ALTER TABLE "new_Certificate" RENAME TO "Certificate";
CREATE UNIQUE INDEX "Certificate_number_key" ON "Certificate"("number");
CREATE UNIQUE INDEX "Certificate_verificationCode_key" ON "Certificate"("verificationCode");
CREATE INDEX "Certificate_userId_idx" ON "Certificate"("userId");
CREATE INDEX "Certificate_sessionId_idx" ON "Certificate"("sessionId");
CREATE INDEX "Certificate_enrolmentId_kind_idx" ON "Certificate"("enrolmentId", "kind");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "OrganisationIdentity_createdAt_idx" ON "OrganisationIdentity"("createdAt");
