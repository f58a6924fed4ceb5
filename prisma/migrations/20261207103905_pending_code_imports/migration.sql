-- CreateTable
CREATE TABLE "PendingCodeImport" (
    "token" TEXT NOT NULL PRIMARY KEY,
    "actorId" TEXT NOT NULL,
    "filename" TEXT NOT NULL,
    "acceptedCount" INTEGER NOT NULL,
    "content" TEXT,
    "refusalReport" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "PendingCodeImport_createdAt_idx" ON "PendingCodeImport"("createdAt");
