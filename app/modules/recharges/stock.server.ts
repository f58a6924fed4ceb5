import { Prisma } from "~/generated/sqlite/client";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { timeOrderedId } from "~/utils/ids.server";
import { enqueueMail } from "../mail/outbox.server";
import type { TextEncodingName } from "~/utils/text-encoding";
import { encryptCode, hashCode } from "./code-crypto.server";
import { readCodeCsv, type RejectedLine } from "./code-csv.rules";
import { refusalReportCsv, summariseByProduct, type ProductImportSummary } from "./code-import.rules";
import { keepPendingImport, newImportToken, takePendingCodes } from "./pending-imports.server";
import { EXPIRING_SOON_DAYS, issuableAfter } from "./stock.rules";

/**
 * Code stock: the import of operator CSV files, stock figures and the low-stock alert.
 * Codes are encrypted before they touch the database and never leave it in lists.
 */

/** Usable codes: unissued and not yet expired. */
const usable = (productId: string, now: Date) => ({ productId, issuedAt: null, expiresAt: { gt: now } });
/** Issuable codes: unissued and leaving at least the product's least validity (stock.rules.ts). */
const issuable = (product: { id: string; minValidityDays: number }, now: Date) => ({
  productId: product.id,
  issuedAt: null,
  expiresAt: { gt: issuableAfter(now, product.minValidityDays) },
});

/**
 * Called after an issue that found the issuable stock at or below the threshold (issuing
 * probes it in its transaction): the admins get one mail, however many issues cross it (the
 * conditional update makes it one). Codes too close to their expiry to be given do not count.
 */
export async function alertLowStock(product: { id: string; name: string; lowStockThreshold: number; minValidityDays: number }, now: Date): Promise<void> {
  await db.$transaction(async (tx) => {
    const remaining = await tx.rechargeCode.count({ where: issuable(product, now) });
    if (remaining > product.lowStockThreshold) return;
    const marked = await tx.rechargeProduct.updateMany({ where: { id: product.id, lowStockAlertedAt: null }, data: { lowStockAlertedAt: now } });
    if (marked.count !== 1) return;
    const admins = await tx.user.findMany({ where: { roles: { some: { role: "ADMIN" } } }, select: { email: true } });
    for (const admin of admins) {
      await enqueueMail(tx, {
        template: "recharge-low-stock",
        to: admin.email,
        data: { productName: product.name, remaining, threshold: product.lowStockThreshold, stockUrl: `${getEnv().APP_URL}/admin/recharges` },
      });
    }
  }, { maxWait: 20_000, timeout: 20_000 });
}

export type ProductStock = {
  id: string;
  name: string;
  description: string;
  faceValueCents: number;
  solidarityPriceCents: number;
  validityDays: number;
  minValidityDays: number;
  lowStockThreshold: number;
  active: boolean;
  /** Unissued codes that leave at least `minValidityDays`: the ones issuing gives. */
  issuable: number;
  /** Of those, the ones expiring within EXPIRING_SOON_DAYS. */
  expiringSoon: number;
  /** Unissued, still valid, but too close to their end to be given ("à écouler"). */
  toClear: number;
  /** Unissued and past their expiry. */
  expired: number;
  issued: number;
  low: boolean;
};

export async function listProductStock(now = new Date()): Promise<ProductStock[]> {
  const soon = new Date(now.getTime() + EXPIRING_SOON_DAYS * 86_400_000);
  const products = await db.rechargeProduct.findMany({ orderBy: { name: "asc" } });
  return Promise.all(
    products.map(async (p) => {
      const from = issuableAfter(now, p.minValidityDays);
      const [issuableCount, expiringSoon, toClear, expired, issued] = await Promise.all([
        db.rechargeCode.count({ where: issuable(p, now) }),
        db.rechargeCode.count({ where: { productId: p.id, issuedAt: null, expiresAt: { gt: from, lte: soon } } }),
        db.rechargeCode.count({ where: { productId: p.id, issuedAt: null, expiresAt: { gt: now, lte: from } } }),
        db.rechargeCode.count({ where: { productId: p.id, issuedAt: null, expiresAt: { lte: now } } }),
        db.rechargeCode.count({ where: { productId: p.id, issuedAt: { not: null } } }),
      ]);
      return {
        id: p.id,
        name: p.name,
        description: p.description,
        faceValueCents: p.faceValueCents,
        solidarityPriceCents: p.solidarityPriceCents,
        validityDays: p.validityDays,
        minValidityDays: p.minValidityDays,
        lowStockThreshold: p.lowStockThreshold,
        active: p.active,
        issuable: issuableCount,
        expiringSoon,
        toClear,
        expired,
        issued,
        low: issuableCount <= p.lowStockThreshold,
      };
    }),
  );
}

export type ProductInput = { name: string; description: string; faceValueCents: number; solidarityPriceCents: number; validityDays: number; minValidityDays: number; lowStockThreshold: number };

export async function createProduct(input: ProductInput, actorId: string): Promise<{ ok: true; id: string } | { ok: false; errors: Record<string, string> }> {
  try {
    const product = await db.$transaction(async (tx) => {
      const created = await tx.rechargeProduct.create({ data: input, select: { id: true } });
      await tx.auditLog.create({ data: { actorId, action: "recharge.product_created", entityType: "RechargeProduct", entityId: created.id } });
      return created;
    });
    return { ok: true, id: product.id };
  } catch (error) {
    if ((error as { code?: unknown }).code === "P2002") return { ok: false, errors: { name: "Un produit porte déjà ce nom." } };
    throw error;
  }
}

// ───────────────────────────── Import ─────────────────────────────

export type ImportPreview = {
  ok: true;
  /** Confirms the import (when `accepted` > 0) and names the report of refused lines (when any). */
  token: string;
  filename: string;
  encoding: TextEncodingName;
  perProduct: ProductImportSummary[];
  accepted: number;
  rejected: RejectedLine[];
};
export type ImportFailure = { ok: false; error: string };

const changedSincePreview = "Des codes de ce fichier sont entrés dans le stock depuis la prévisualisation : rien n'a été importé. Déposez le fichier à nouveau.";

/** The hashes, among these, of codes already in the stock. */
async function inStock(hashes: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < hashes.length; i += 1000) {
    const rows = await db.rechargeCode.findMany({ where: { codeHash: { in: hashes.slice(i, i + 1000) } }, select: { codeHash: true } });
    for (const r of rows) found.add(r.codeHash);
  }
  return found;
}

async function analyse(bytes: Uint8Array, now: Date) {
  const products = await db.rechargeProduct.findMany({ select: { id: true, name: true, minValidityDays: true } });
  const read = readCodeCsv(bytes, products, now);
  if (!read.ok) return read;
  const hashes = read.accepted.map((a) => hashCode(a.code));
  const stocked = await inStock(hashes);
  const accepted = [];
  const rejected = [...read.rejected];
  for (const [i, a] of read.accepted.entries()) {
    if (stocked.has(hashes[i]!)) rejected.push({ line: a.line, cause: "stock", productId: a.productId, reason: "Code déjà présent dans le stock." });
    else accepted.push(a);
  }
  rejected.sort((a, b) => a.line - b.line);
  return { ok: true as const, encoding: read.encoding, accepted, rejected, products };
}

/**
 * Reads the file and reports what would be imported, per product with the codes that expire
 * within its minimal validity; keeps the file (encrypted) for `confirmImport` and the list of
 * refused lines for `readRefusalReport`, both for the actor only.
 */
export async function previewImport(bytes: Uint8Array, filename: string, actorId: string, now = new Date()): Promise<ImportPreview | ImportFailure> {
  const result = await analyse(bytes, now);
  if (!result.ok) return result;
  if (!result.accepted.length && !result.rejected.length) return { ok: false, error: "Le fichier ne contient aucun code : seulement la ligne des noms de colonnes." };
  const token = newImportToken();
  await keepPendingImport(
    {
      token,
      actorId,
      filename,
      codes: result.accepted,
      refusalReport: result.rejected.length ? refusalReportCsv(result.rejected, new Map(result.products.map((p) => [p.id, p.name]))) : undefined,
    },
    now,
  );
  return {
    ok: true,
    token,
    filename,
    encoding: result.encoding,
    perProduct: summariseByProduct(result.products, result.accepted, result.rejected, now),
    accepted: result.accepted.length,
    rejected: result.rejected,
  };
}

/**
 * Imports the accepted lines of a previewed file in one transaction: all of them or none
 * (a code that reached the stock in between makes the whole import fail, to be previewed again).
 */
export async function confirmImport(token: string, actorId: string, now = new Date()): Promise<{ ok: true; importId: string; count: number } | ImportFailure> {
  const pending = await takePendingCodes(token, actorId, now);
  if (!pending) return { ok: false, error: "Cette prévisualisation n'est plus disponible : déposez le fichier à nouveau." };
  const hashes = pending.codes.map((c) => hashCode(c.code));
  // The stock changed since the preview: what staff confirmed is no longer what would happen.
  if ((await inStock(hashes)).size > 0) return { ok: false, error: changedSincePreview };
  const productIds = [...new Set(pending.codes.map((c) => c.productId))];
  try {
    const importId = await db.$transaction(
      async (tx) => {
        const created = await tx.codeImport.create({ data: { filename: pending.filename, importedById: actorId, count: pending.codes.length }, select: { id: true } });
        // One multi-row INSERT per 500 codes: Prisma's createMany costs ~0.5 ms a row here,
        // which made 100,000 codes take a minute. Plain SQL both databases read.
        for (let i = 0; i < pending.codes.length; i += 500) {
          // Time-ordered ids: the primary-key index grows at its end instead of splitting pages at random.
          const values = pending.codes
            .slice(i, i + 500)
            .map((c, j) => Prisma.sql`(${timeOrderedId()}, ${c.productId}, ${encryptCode(c.code)}, ${hashes[i + j]}, ${c.code.slice(-4)}, ${c.expiresAt}, ${created.id}, ${now})`);
          await tx.$executeRaw`INSERT INTO "RechargeCode" ("id", "productId", "codeEncrypted", "codeHash", "last4", "expiresAt", "importId", "createdAt") VALUES ${Prisma.join(values)}`;
        }
        // Refilled products may alert again when they run low.
        for (const id of productIds) {
          const threshold = await tx.rechargeProduct.findUniqueOrThrow({ where: { id }, select: { lowStockThreshold: true } });
          const left = await tx.rechargeCode.count({ where: usable(id, now) });
          if (left > threshold.lowStockThreshold) await tx.rechargeProduct.updateMany({ where: { id, lowStockAlertedAt: { not: null } }, data: { lowStockAlertedAt: null } });
        }
        await tx.auditLog.create({
          data: { actorId, action: "recharge.codes_imported", entityType: "CodeImport", entityId: created.id, data: { count: pending.codes.length } },
        });
        return created.id;
      },
      { timeout: 120_000, maxWait: 30_000 },
    );
    return { ok: true, importId, count: pending.codes.length };
  } catch (error) {
    if ((error as { code?: unknown }).code === "P2002") return { ok: false, error: changedSincePreview };
    throw error;
  }
}
