-- AlterTable
ALTER TABLE "SurveyResponse" ADD COLUMN "reminderSentAt" DATETIME;
ALTER TABLE "SurveyResponse" ADD COLUMN "reminderTokenHash" TEXT;

-- CreateTable
CREATE TABLE "InternalRulesVersion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "number" INTEGER NOT NULL,
    "body" TEXT NOT NULL,
    "createdById" TEXT,
    "createdByName" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

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
    "calendarSequence" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Session_moduleId_fkey" FOREIGN KEY ("moduleId") REFERENCES "Module" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Session_structureId_fkey" FOREIGN KEY ("structureId") REFERENCES "Structure" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Session_trainerId_fkey" FOREIGN KEY ("trainerId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Session" ("accessInfo", "address", "cancelReason", "cancelledAt", "capacity", "city", "closedAt", "createdAt", "format", "id", "isFree", "kind", "moduleId", "postcode", "priceCents", "remoteUrl", "seatsTaken", "status", "structureId", "trainerId", "updatedAt", "venueName") SELECT "accessInfo", "address", "cancelReason", "cancelledAt", "capacity", "city", "closedAt", "createdAt", "format", "id", "isFree", "kind", "moduleId", "postcode", "priceCents", "remoteUrl", "seatsTaken", "status", "structureId", "trainerId", "updatedAt", "venueName" FROM "Session";
DROP TABLE "Session";
ALTER TABLE "new_Session" RENAME TO "Session";
CREATE INDEX "Session_moduleId_status_idx" ON "Session"("moduleId", "status");
CREATE INDEX "Session_trainerId_idx" ON "Session"("trainerId");
CREATE TABLE "new_Enrolment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sessionId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "structureId" TEXT,
    "enrolledById" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "funding" TEXT NOT NULL,
    "paymentStatus" TEXT NOT NULL DEFAULT 'NOT_REQUIRED',
    "amountCents" INTEGER NOT NULL DEFAULT 0,
    "waitlistRank" INTEGER,
    "offerExpiresAt" DATETIME,
    "holdExpiresAt" DATETIME,
    "stripeCheckoutSessionId" TEXT,
    "stripePaymentIntentId" TEXT,
    "objectivesReached" BOOLEAN,
    "cancelReason" TEXT,
    "cancelledAt" DATETIME,
    "confirmedAt" DATETIME,
    "reminder7SentAt" DATETIME,
    "reminder1SentAt" DATETIME,
    "rulesVersionId" TEXT,
    "rulesDeliveredAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Enrolment_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Enrolment_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Enrolment_structureId_fkey" FOREIGN KEY ("structureId") REFERENCES "Structure" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Enrolment_enrolledById_fkey" FOREIGN KEY ("enrolledById") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Enrolment_rulesVersionId_fkey" FOREIGN KEY ("rulesVersionId") REFERENCES "InternalRulesVersion" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Enrolment" ("amountCents", "cancelReason", "cancelledAt", "confirmedAt", "createdAt", "enrolledById", "funding", "holdExpiresAt", "id", "objectivesReached", "offerExpiresAt", "paymentStatus", "reminder1SentAt", "reminder7SentAt", "sessionId", "status", "stripeCheckoutSessionId", "stripePaymentIntentId", "structureId", "updatedAt", "userId", "waitlistRank") SELECT "amountCents", "cancelReason", "cancelledAt", "confirmedAt", "createdAt", "enrolledById", "funding", "holdExpiresAt", "id", "objectivesReached", "offerExpiresAt", "paymentStatus", "reminder1SentAt", "reminder7SentAt", "sessionId", "status", "stripeCheckoutSessionId", "stripePaymentIntentId", "structureId", "updatedAt", "userId", "waitlistRank" FROM "Enrolment";
DROP TABLE "Enrolment";
ALTER TABLE "new_Enrolment" RENAME TO "Enrolment";
CREATE UNIQUE INDEX "Enrolment_stripeCheckoutSessionId_key" ON "Enrolment"("stripeCheckoutSessionId");
CREATE INDEX "Enrolment_sessionId_status_idx" ON "Enrolment"("sessionId", "status");
CREATE INDEX "Enrolment_userId_idx" ON "Enrolment"("userId");
CREATE UNIQUE INDEX "Enrolment_sessionId_userId_key" ON "Enrolment"("sessionId", "userId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "InternalRulesVersion_number_key" ON "InternalRulesVersion"("number");

-- CreateIndex
CREATE UNIQUE INDEX "SurveyResponse_reminderTokenHash_key" ON "SurveyResponse"("reminderTokenHash");
