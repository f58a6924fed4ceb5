import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { logger } from "~/utils/logger.server";
import { decryptCode, encryptCode } from "./code-crypto.server";
import { PENDING_IMPORT_TTL_MS } from "./code-import.rules";

/**
 * Between an import's preview and its confirmation, the file waits in a private temporary
 * folder, encrypted (it holds the codes), next to the report of its refused lines (no codes).
 * Both belong to the person who previewed, are read for PENDING_IMPORT_TTL_MS, and are swept
 * after that by a background job (`startCodeImportJobs`) that several instances sharing the
 * folder can run at once: removing a file already removed is not an error.
 */
const pendingDir = () => path.join(os.tmpdir(), "maillon-code-imports");
const TOKEN_PATTERN = /^[a-f0-9]{32}$/;
const codesPath = (token: string) => path.join(pendingDir(), `${token}.codes.json`);
const reportPath = (token: string) => path.join(pendingDir(), `${token}.refus.json`);

export const newImportToken = () => randomBytes(16).toString("hex");

type Owned = { actorId: string; filename: string; createdAt: string };
export type PendingCodes = Owned & { accepted: number; bytes: Uint8Array };
type StoredCodes = Owned & { accepted: number; content: string };
type StoredReport = Owned & { csv: string };

async function keep(file: string, data: object) {
  await mkdir(pendingDir(), { recursive: true, mode: 0o700 });
  await writeFile(file, JSON.stringify(data), { mode: 0o600 });
}

/** The stored file when it exists, is the actor's and is not too old; null otherwise. */
async function readOwned<T extends Owned>(file: string, actorId: string, now: Date): Promise<T | null> {
  let stored: T;
  try {
    stored = JSON.parse(await readFile(file, "utf8")) as T;
  } catch {
    return null;
  }
  const age = now.getTime() - new Date(stored.createdAt).getTime();
  return stored.actorId === actorId && age >= 0 && age <= PENDING_IMPORT_TTL_MS ? stored : null;
}

export async function keepPendingCodes(token: string, pending: PendingCodes): Promise<void> {
  const { bytes, ...rest } = pending;
  await keep(codesPath(token), { ...rest, content: encryptCode(Buffer.from(bytes).toString("base64")) } satisfies StoredCodes);
}

/** The previewed file, removed so that it is confirmed once; null when unknown, someone else's or too old. */
export async function takePendingCodes(token: string, actorId: string, now: Date): Promise<PendingCodes | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const stored = await readOwned<StoredCodes>(codesPath(token), actorId, now);
  if (!stored) return null;
  await Promise.all([rm(codesPath(token), { force: true }), rm(reportPath(token), { force: true })]);
  const { content, ...rest } = stored;
  return { ...rest, bytes: Buffer.from(decryptCode(content), "base64") };
}

export async function keepRefusalReport(token: string, report: Owned & { csv: string }): Promise<void> {
  await keep(reportPath(token), report satisfies StoredReport);
}

export async function readRefusalReport(token: string, actorId: string, now = new Date()): Promise<{ filename: string; csv: string } | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const stored = await readOwned<StoredReport>(reportPath(token), actorId, now);
  return stored && { filename: stored.filename, csv: stored.csv };
}

/** Removes every pending file older than `maxAgeMs` (by its modification time); returns how many. */
export async function sweepPendingImports(now = new Date(), maxAgeMs = PENDING_IMPORT_TTL_MS): Promise<number> {
  let names: string[];
  try {
    names = await readdir(pendingDir());
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const file = path.join(pendingDir(), name);
    try {
      if (now.getTime() - (await stat(file)).mtimeMs <= maxAgeMs) continue;
      await rm(file, { force: true });
      removed++;
    } catch {
      // Removed meanwhile by a confirmation or another instance's sweep.
    }
  }
  return removed;
}

const SWEEP_INTERVAL_MS = 10 * 60_000;

/** Sweeps soon after start (files left by a stopped server), then every ten minutes: nothing outlives the TTL by more. */
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
