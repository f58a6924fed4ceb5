import { randomBytes } from "node:crypto";
import { db } from "~/utils/db.server";
import { decryptCode, encryptCode } from "./code-crypto.server";
import { PENDING_IMPORT_TTL_MS } from "./code-import.rules";

/**
 * Between an import's preview and its confirmation, the accepted lines wait in the database
 * (`PendingCodeImport`), encrypted (they are the codes), with the report of its refused
 * lines (no codes). Both belong to the person who previewed and are read for
 * PENDING_IMPORT_TTL_MS; a background job (server/jobs.ts) sweeps older rows. In the database, any instance
 * can confirm a preview another one made, and a file is confirmed once: taking it is a
 * conditional update.
 */
const TOKEN_PATTERN = /^[a-f0-9]{32}$/;

export const newImportToken = () => randomBytes(16).toString("hex");

/** A line the preview accepted: what the confirmation inserts, without reading the file again. */
export type PendingCode = { productId: string; code: string; expiresAt: Date };
export type PendingImport = { token: string; actorId: string; filename: string; codes: readonly PendingCode[]; refusalReport?: string };
type StoredCode = [productId: string, code: string, expiresAtMs: number];

/** Keeps a preview's accepted lines (when it has any) and its refusal report (when some lines were refused). */
export async function keepPendingImport(pending: PendingImport, now: Date): Promise<void> {
  await db.pendingCodeImport.create({
    data: {
      token: pending.token,
      actorId: pending.actorId,
      filename: pending.filename,
      acceptedCount: pending.codes.length,
      content: pending.codes.length ? encryptCode(JSON.stringify(pending.codes.map((c): StoredCode => [c.productId, c.code, c.expiresAt.getTime()]))) : null,
      refusalReport: pending.refusalReport ?? null,
      createdAt: now,
    },
  });
}

const fresh = (token: string, actorId: string, now: Date) => ({ token, actorId, createdAt: { gte: new Date(now.getTime() - PENDING_IMPORT_TTL_MS) } });

/**
 * The previewed lines, taken so that they are confirmed once; null when unknown, someone else's,
 * too old, already confirmed, or unreadable (encrypted under a key since rotated).
 */
export async function takePendingCodes(token: string, actorId: string, now: Date): Promise<{ filename: string; codes: PendingCode[] } | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const stored = await db.pendingCodeImport.findFirst({ where: { ...fresh(token, actorId, now), content: { not: null } } });
  if (!stored?.content) return null;
  const taken = await db.pendingCodeImport.updateMany({ where: { token, content: { not: null } }, data: { content: null } });
  if (taken.count !== 1) return null;
  try {
    const codes = (JSON.parse(decryptCode(stored.content)) as StoredCode[]).map(([productId, code, ms]) => ({ productId, code, expiresAt: new Date(ms) }));
    return { filename: stored.filename, codes };
  } catch {
    return null;
  }
}

export async function readRefusalReport(token: string, actorId: string, now = new Date()): Promise<{ filename: string; csv: string } | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const stored = await db.pendingCodeImport.findFirst({ where: fresh(token, actorId, now), select: { filename: true, refusalReport: true } });
  return stored?.refusalReport ? { filename: stored.filename, csv: stored.refusalReport } : null;
}

/** Removes every pending import older than `maxAgeMs`; returns how many. Instances sweeping at once delete each row once. */
export async function sweepPendingImports(now = new Date(), maxAgeMs = PENDING_IMPORT_TTL_MS): Promise<number> {
  const { count } = await db.pendingCodeImport.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - maxAgeMs) } } });
  return count;
}
