import { randomBytes } from "node:crypto";
import { db } from "~/utils/db.server";
import { logger } from "~/utils/logger.server";
import { decryptCode, encryptCode } from "./code-crypto.server";
import { PENDING_IMPORT_TTL_MS } from "./code-import.rules";

/**
 * Between an import's preview and its confirmation, the file waits in the database
 * (`PendingCodeImport`), encrypted (it holds the codes), with the report of its refused
 * lines (no codes). Both belong to the person who previewed and are read for
 * PENDING_IMPORT_TTL_MS; a background job sweeps older rows. In the database, any instance
 * can confirm a preview another one made, and a file is confirmed once: taking it is a
 * conditional update.
 */
const TOKEN_PATTERN = /^[a-f0-9]{32}$/;

export const newImportToken = () => randomBytes(16).toString("hex");

export type PendingImport = { token: string; actorId: string; filename: string; accepted: number; bytes?: Uint8Array; refusalReport?: string };

/** Keeps a previewed file (when it has codes to import) and its refusal report (when some lines were refused). */
export async function keepPendingImport(pending: PendingImport, now: Date): Promise<void> {
  await db.pendingCodeImport.create({
    data: {
      token: pending.token,
      actorId: pending.actorId,
      filename: pending.filename,
      acceptedCount: pending.accepted,
      content: pending.bytes ? encryptCode(Buffer.from(pending.bytes).toString("base64")) : null,
      refusalReport: pending.refusalReport ?? null,
      createdAt: now,
    },
  });
}

const fresh = (token: string, actorId: string, now: Date) => ({ token, actorId, createdAt: { gte: new Date(now.getTime() - PENDING_IMPORT_TTL_MS) } });

/**
 * The previewed file, taken so that it is confirmed once; null when unknown, someone else's,
 * too old, already confirmed, or unreadable (encrypted under a key since rotated).
 */
export async function takePendingCodes(token: string, actorId: string, now: Date): Promise<{ filename: string; accepted: number; bytes: Uint8Array } | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const stored = await db.pendingCodeImport.findFirst({ where: { ...fresh(token, actorId, now), content: { not: null } } });
  if (!stored?.content) return null;
  const taken = await db.pendingCodeImport.updateMany({ where: { token, content: { not: null } }, data: { content: null } });
  if (taken.count !== 1) return null;
  try {
    return { filename: stored.filename, accepted: stored.acceptedCount, bytes: Buffer.from(decryptCode(stored.content), "base64") };
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

const SWEEP_INTERVAL_MS = 10 * 60_000;

/** Sweeps soon after start, then every ten minutes: nothing outlives the TTL by more than that. */
export function startCodeImportJobs(intervalMs = SWEEP_INTERVAL_MS, firstRunMs = 1000): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const removed = await sweepPendingImports();
      if (removed > 0) logger.info("unconfirmed code imports swept", { removed });
    } catch (error) {
      logger.error("sweeping unconfirmed code imports failed", { error: (error as Error).message });
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => void tick(), firstRunMs);
  first.unref();
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
