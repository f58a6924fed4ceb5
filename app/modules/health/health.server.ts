import { db } from "~/utils/db.server";
import { logger } from "~/utils/logger.server";

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
