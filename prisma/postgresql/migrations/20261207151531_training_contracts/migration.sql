-- CreateEnum
CREATE TYPE "ContractChargeKind" AS ENUM ('DEPOSIT', 'BALANCE');

-- CreateEnum
CREATE TYPE "ContractChargeStatus" AS ENUM ('SCHEDULED', 'CHARGING', 'SUCCEEDED', 'FAILED', 'UNPAID', 'CANCELLED');

-- CreateTable
CREATE TABLE "TrainingContract" (
    "id" TEXT NOT NULL,
    "enrolmentId" TEXT NOT NULL,
    "pdf" BYTEA NOT NULL,
    "sha256" TEXT NOT NULL,
    "priceCents" INTEGER NOT NULL,
    "issuedAt" TIMESTAMP(3) NOT NULL,
    "acceptedAt" TIMESTAMP(3),
    "acceptedName" TEXT,
    "acceptedIp" TEXT,
    "acceptedSha256" TEXT,
    "withdrawalEndsAt" TIMESTAMP(3),
    "withdrawnAt" TIMESTAMP(3),
    "stripeCustomerId" TEXT,
    "stripePaymentMethodId" TEXT,
    "cardSavedAt" TIMESTAMP(3),

    CONSTRAINT "TrainingContract_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContractCharge" (
    "id" TEXT NOT NULL,
    "contractId" TEXT NOT NULL,
    "kind" "ContractChargeKind" NOT NULL,
    "amountCents" INTEGER NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "status" "ContractChargeStatus" NOT NULL DEFAULT 'SCHEDULED',
    "nextAttemptAt" TIMESTAMP(3) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "claimedAt" TIMESTAMP(3),
    "firstFailedAt" TIMESTAMP(3),
    "graceEndsAt" TIMESTAMP(3),
    "lastError" TEXT,
    "stripePaymentIntentId" TEXT,
    "paidAt" TIMESTAMP(3),

    CONSTRAINT "ContractCharge_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "TrainingContract_enrolmentId_key" ON "TrainingContract"("enrolmentId");

-- CreateIndex
CREATE INDEX "ContractCharge_status_nextAttemptAt_idx" ON "ContractCharge"("status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "ContractCharge_contractId_kind_key" ON "ContractCharge"("contractId", "kind");

-- AddForeignKey
ALTER TABLE "TrainingContract" ADD CONSTRAINT "TrainingContract_enrolmentId_fkey" FOREIGN KEY ("enrolmentId") REFERENCES "Enrolment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContractCharge" ADD CONSTRAINT "ContractCharge_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "TrainingContract"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
