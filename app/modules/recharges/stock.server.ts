import { randomBytes } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Prisma } from "~/generated/sqlite/client";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { timeOrderedId } from "~/utils/ids.server";
import { enqueueMail } from "../mail/outbox.server";
import { decryptCode, encryptCode, hashCode } from "./code-crypto.server";
import { readCodeCsv, type RejectedLine } from "./code-csv.rules";
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
  token: string;
  filename: string;
  perProduct: { productId: string; name: string; count: number }[];
  accepted: number;
  rejected: RejectedLine[];
};
export type ImportFailure = { ok: false; error: string };

const changedSincePreview = "Des codes de ce fichier sont entrés dans le stock depuis la prévisualisation : rien n'a été importé. Déposez le fichier à nouveau.";

/** Pending files wait here, encrypted, between the preview and the confirmation. */
const pendingDir = () => path.join(os.tmpdir(), "maillon-code-imports");
const PENDING_TTL_MS = 3600_000;
const TOKEN_PATTERN = /^[a-f0-9]{32}$/;
const pendingPath = (token: string) => path.join(pendingDir(), `${token}.enc`);

async function analyse(bytes: Uint8Array, now: Date) {
  const products = await db.rechargeProduct.findMany({ select: { id: true, name: true } });
  const read = readCodeCsv(bytes, products, now);
  if (!read.ok) return read;
  const hashes = read.accepted.map((a) => hashCode(a.code));
  const inStock = new Set<string>();
  for (let i = 0; i < hashes.length; i += 1000) {
    const found = await db.rechargeCode.findMany({ where: { codeHash: { in: hashes.slice(i, i + 1000) } }, select: { codeHash: true } });
    for (const f of found) inStock.add(f.codeHash);
  }
  const accepted = [];
  const rejected = [...read.rejected];
  for (let i = 0; i < read.accepted.length; i++) {
    if (inStock.has(hashes[i]!)) rejected.push({ line: read.accepted[i]!.line, reason: "Code déjà présent dans le stock." });
    else accepted.push({ ...read.accepted[i]!, codeHash: hashes[i]! });
  }
  rejected.sort((a, b) => a.line - b.line);
  return { ok: true as const, accepted, rejected, products };
}

/** Reads the file and reports what would be imported; keeps it (encrypted) for `confirmImport`. */
export async function previewImport(bytes: Uint8Array, filename: string, now = new Date()): Promise<ImportPreview | ImportFailure> {
  const result = await analyse(bytes, now);
  if (!result.ok) return result;
  if (!result.accepted.length) return { ok: false, error: "Aucune ligne de ce fichier ne peut être importée." + (result.rejected.length ? " Voir les lignes refusées ci-dessous." : "") };
  const token = randomBytes(16).toString("hex");
  await mkdir(pendingDir(), { recursive: true, mode: 0o700 });
  await writeFile(pendingPath(token), JSON.stringify({ filename, accepted: result.accepted.length, createdAt: now.toISOString(), content: encryptCode(Buffer.from(bytes).toString("base64")) }), { mode: 0o600 });
  const counts = new Map<string, number>();
  for (const a of result.accepted) counts.set(a.productId, (counts.get(a.productId) ?? 0) + 1);
  return {
    ok: true,
    token,
    filename,
    perProduct: result.products.filter((p) => counts.has(p.id)).map((p) => ({ productId: p.id, name: p.name, count: counts.get(p.id)! })),
    accepted: result.accepted.length,
    rejected: result.rejected,
  };
}

/**
 * Imports the accepted lines of a previewed file in one transaction: all of them or none
 * (a code that reached the stock in between makes the whole import fail, to be previewed again).
 */
export async function confirmImport(token: string, actorId: string, now = new Date()): Promise<{ ok: true; importId: string; count: number } | ImportFailure> {
  const expired: ImportFailure = { ok: false, error: "Cette prévisualisation n'est plus disponible : déposez le fichier à nouveau." };
  if (!TOKEN_PATTERN.test(token)) return expired;
  let pending: { filename: string; accepted: number; createdAt: string; content: string };
  try {
    pending = JSON.parse(await readFile(pendingPath(token), "utf8"));
  } catch {
    return expired;
  }
  await rm(pendingPath(token), { force: true });
  if (now.getTime() - new Date(pending.createdAt).getTime() > PENDING_TTL_MS) return expired;
  const bytes = Buffer.from(decryptCode(pending.content), "base64");
  const result = await analyse(bytes, now);
  if (!result.ok) return result;
  // The stock changed since the preview: what staff confirmed is no longer what would happen.
  if (result.accepted.length !== pending.accepted) return { ok: false, error: changedSincePreview };
  try {
    const importId = await db.$transaction(
      async (tx) => {
        const created = await tx.codeImport.create({ data: { filename: pending.filename, importedById: actorId, count: result.accepted.length }, select: { id: true } });
        // One multi-row INSERT per 500 codes: Prisma's createMany costs ~0.5 ms a row here,
        // which made 100,000 codes take a minute. Plain SQL both databases read.
        for (let i = 0; i < result.accepted.length; i += 500) {
          // Time-ordered ids: the primary-key index grows at its end instead of splitting pages at random.
          const values = result.accepted
            .slice(i, i + 500)
            .map((a) => Prisma.sql`(${timeOrderedId()}, ${a.productId}, ${encryptCode(a.code)}, ${a.codeHash}, ${a.code.slice(-4)}, ${a.expiresAt}, ${created.id}, ${now})`);
          await tx.$executeRaw`INSERT INTO "RechargeCode" ("id", "productId", "codeEncrypted", "codeHash", "last4", "expiresAt", "importId", "createdAt") VALUES ${Prisma.join(values)}`;
        }
        // Refilled products may alert again when they run low.
        for (const p of result.products) {
          const threshold = await tx.rechargeProduct.findUniqueOrThrow({ where: { id: p.id }, select: { lowStockThreshold: true } });
          const left = await tx.rechargeCode.count({ where: usable(p.id, now) });
          if (left > threshold.lowStockThreshold) await tx.rechargeProduct.updateMany({ where: { id: p.id, lowStockAlertedAt: { not: null } }, data: { lowStockAlertedAt: null } });
        }
        await tx.auditLog.create({
          data: { actorId, action: "recharge.codes_imported", entityType: "CodeImport", entityId: created.id, data: { count: result.accepted.length, rejected: result.rejected.length } },
        });
        return created.id;
      },
      { timeout: 120_000, maxWait: 30_000 },
    );
    return { ok: true, importId, count: result.accepted.length };
  } catch (error) {
    if ((error as { code?: unknown }).code === "P2002") return { ok: false, error: changedSincePreview };
    throw error;
  }
}
