-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_RechargeProduct" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "faceValueCents" INTEGER NOT NULL,
    "solidarityPriceCents" INTEGER NOT NULL,
    "validityDays" INTEGER NOT NULL,
    "minValidityDays" INTEGER NOT NULL DEFAULT 7,
    "lowStockThreshold" INTEGER NOT NULL DEFAULT 20,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "lowStockAlertedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_RechargeProduct" ("active", "createdAt", "description", "faceValueCents", "id", "lowStockAlertedAt", "lowStockThreshold", "name", "solidarityPriceCents", "validityDays") SELECT "active", "createdAt", "description", "faceValueCents", "id", "lowStockAlertedAt", "lowStockThreshold", "name", "solidarityPriceCents", "validityDays" FROM "RechargeProduct";
DROP TABLE "RechargeProduct";
ALTER TABLE "new_RechargeProduct" RENAME TO "RechargeProduct";
CREATE UNIQUE INDEX "RechargeProduct_name_key" ON "RechargeProduct"("name");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
