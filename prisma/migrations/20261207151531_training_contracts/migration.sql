-- CreateTable
CREATE TABLE "TrainingContract" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "enrolmentId" TEXT NOT NULL,
    "pdf" BLOB NOT NULL,
    "sha256" TEXT NOT NULL,
    "priceCents" INTEGER NOT NULL,
    "issuedAt" DATETIME NOT NULL,
    "acceptedAt" DATETIME,
    "acceptedName" TEXT,
    "acceptedIp" TEXT,
    "acceptedSha256" TEXT,
    "withdrawalEndsAt" DATETIME,
    "withdrawnAt" DATETIME,
    "stripeCustomerId" TEXT,
    "stripePaymentMethodId" TEXT,
    "cardSavedAt" DATETIME,
    CONSTRAINT "TrainingContract_enrolmentId_fkey" FOREIGN KEY ("enrolmentId") REFERENCES "Enrolment" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ContractCharge" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "contractId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "amountCents" INTEGER NOT NULL,
    "dueAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'SCHEDULED',
    "nextAttemptAt" DATETIME NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "claimedAt" DATETIME,
    "firstFailedAt" DATETIME,
    "graceEndsAt" DATETIME,
    "lastError" TEXT,
    "stripePaymentIntentId" TEXT,
    "paidAt" DATETIME,
    CONSTRAINT "ContractCharge_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "TrainingContract" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "TrainingContract_enrolmentId_key" ON "TrainingContract"("enrolmentId");

-- CreateIndex
CREATE INDEX "ContractCharge_status_nextAttemptAt_idx" ON "ContractCharge"("status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "ContractCharge_contractId_kind_key" ON "ContractCharge"("contractId", "kind");
