-- AlterTable
ALTER TABLE "Structure" ADD COLUMN "publicServiceCode" TEXT;

-- AlterTable
ALTER TABLE "Enrolment" ADD COLUMN "engagementNumber" TEXT;

-- CreateTable
CREATE TABLE "InvoiceCounter" (
    "series" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "last" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("series", "year")
);

-- CreateTable
CREATE TABLE "Invoice" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "number" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "sequence" INTEGER NOT NULL,
    "enrolmentId" TEXT,
    "funding" TEXT NOT NULL,
    "buyerName" TEXT NOT NULL,
    "buyerStructureId" TEXT,
    "buyerUserId" TEXT,
    "issuedAt" DATETIME NOT NULL,
    "dueAt" DATETIME NOT NULL,
    "totalHtCents" INTEGER NOT NULL,
    "vatCents" INTEGER NOT NULL,
    "totalTtcCents" INTEGER NOT NULL,
    "paidAt" DATETIME,
    "reminderSentAt" DATETIME,
    "creditedInvoiceId" TEXT,
    "reason" TEXT,
    "stripeRefundId" TEXT,
    "data" JSONB NOT NULL,
    "pdf" BLOB,
    "pdfSha256" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Invoice_enrolmentId_fkey" FOREIGN KEY ("enrolmentId") REFERENCES "Enrolment" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Invoice_creditedInvoiceId_fkey" FOREIGN KEY ("creditedInvoiceId") REFERENCES "Invoice" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Invoice_number_key" ON "Invoice"("number");

-- CreateIndex
CREATE UNIQUE INDEX "Invoice_stripeRefundId_key" ON "Invoice"("stripeRefundId");

-- CreateIndex
CREATE INDEX "Invoice_enrolmentId_idx" ON "Invoice"("enrolmentId");

-- CreateIndex
CREATE INDEX "Invoice_buyerStructureId_idx" ON "Invoice"("buyerStructureId");

-- CreateIndex
CREATE INDEX "Invoice_buyerUserId_idx" ON "Invoice"("buyerUserId");

-- CreateIndex
CREATE INDEX "Invoice_creditedInvoiceId_idx" ON "Invoice"("creditedInvoiceId");

-- CreateIndex
CREATE INDEX "Invoice_issuedAt_idx" ON "Invoice"("issuedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Invoice_kind_year_sequence_key" ON "Invoice"("kind", "year", "sequence");
