-- CreateTable
CREATE TABLE "PendingCodeImport" (
    "token" TEXT NOT NULL,
    "actorId" TEXT NOT NULL,
    "filename" TEXT NOT NULL,
    "acceptedCount" INTEGER NOT NULL,
    "content" TEXT,
    "refusalReport" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PendingCodeImport_pkey" PRIMARY KEY ("token")
);

-- CreateIndex
CREATE INDEX "PendingCodeImport_createdAt_idx" ON "PendingCodeImport"("createdAt");
