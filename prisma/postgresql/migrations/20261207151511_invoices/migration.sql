-- CreateEnum
CREATE TYPE "InvoiceKind" AS ENUM ('INVOICE', 'CREDIT_NOTE');

-- AlterTable
ALTER TABLE "Structure" ADD COLUMN     "publicServiceCode" TEXT;

-- AlterTable
ALTER TABLE "Enrolment" ADD COLUMN     "engagementNumber" TEXT;

-- CreateTable
CREATE TABLE "InvoiceCounter" (
    "series" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "last" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "InvoiceCounter_pkey" PRIMARY KEY ("series","year")
);

-- CreateTable
CREATE TABLE "Invoice" (
    "id" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "kind" "InvoiceKind" NOT NULL,
    "year" INTEGER NOT NULL,
    "sequence" INTEGER NOT NULL,
    "enrolmentId" TEXT,
    "funding" "Funding" NOT NULL,
    "buyerName" TEXT NOT NULL,
    "buyerStructureId" TEXT,
    "buyerUserId" TEXT,
    "issuedAt" TIMESTAMP(3) NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "totalHtCents" INTEGER NOT NULL,
    "vatCents" INTEGER NOT NULL,
    "totalTtcCents" INTEGER NOT NULL,
    "paidAt" TIMESTAMP(3),
    "reminderSentAt" TIMESTAMP(3),
    "creditedInvoiceId" TEXT,
    "reason" TEXT,
    "stripeRefundId" TEXT,
    "data" JSONB NOT NULL,
    "pdf" BYTEA,
    "pdfSha256" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Invoice_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "Invoice" ADD CONSTRAINT "Invoice_enrolmentId_fkey" FOREIGN KEY ("enrolmentId") REFERENCES "Enrolment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invoice" ADD CONSTRAINT "Invoice_creditedInvoiceId_fkey" FOREIGN KEY ("creditedInvoiceId") REFERENCES "Invoice"("id") ON DELETE SET NULL ON UPDATE CASCADE;
