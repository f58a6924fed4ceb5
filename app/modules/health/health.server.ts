import { db } from "~/utils/db.server";
import { logger } from "~/utils/logger.server";
import { lastJobRun, mailState } from "./metrics.server";

const TIMEOUT_MS = 2000;

/**
 * Whether the database answers a trivial query within two seconds. Errors are swallowed on
 * purpose: the health check says up or down, never why (the logs say why).
 */
export async function checkDatabase(timeoutMs = TIMEOUT_MS): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => {
      logger.error("health check: database did not answer in time", { timeoutMs });
      resolve(false);
    }, timeoutMs);
  });
  // Inside an async function: creating the client can itself throw (bad URL, unreadable file).
  const query = (async () => db.$queryRaw`SELECT 1`)().then(
    () => true,
    (e: unknown) => {
      logger.error("health check: database query failed", { error: e instanceof Error ? e.name : "unknown", code: (e as { code?: string })?.code });
      return false;
    },
  );
  try {
    return await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export type HealthReport = {
  status: "ok" | "error";
  database: "ok" | "error";
  /** Counts and dates only: no address, subject or content. Absent when the database is down. */
  mail?: {
    queueLength: number;
    failed: number;
    lastSentAt: string | null;
    oldestPendingSince: string | null;
    /** This process's last worker run. */
    worker: { lastRunAt: string; outcome: string } | null;
  };
};

/** What /healthz says: the database, then the outbox and the mail worker. Only the database decides the status. */
export async function healthReport(): Promise<HealthReport> {
  if (!(await checkDatabase())) return { status: "error", database: "error" };
  const worker = lastJobRun("mail-outbox");
  try {
    const mail = await mailState();
    return {
      status: "ok",
      database: "ok",
      mail: {
        queueLength: mail.queueLength,
        failed: mail.failed,
        lastSentAt: mail.lastSentAt?.toISOString() ?? null,
        oldestPendingSince: mail.oldestPendingSince?.toISOString() ?? null,
        worker: worker ? { lastRunAt: worker.at.toISOString(), outcome: worker.outcome } : null,
      },
    };
  } catch (e) {
    logger.error("health check: outbox query failed", { error: e instanceof Error ? e.name : "unknown" });
    return { status: "ok", database: "ok" };
  }
}
