import type { Db } from "./db.server";

/**
 * PostgreSQL advisory locks, held by a transaction: the lock goes with the transaction's
 * connection, so it is released when the work ends, or when a crashed process's connection
 * drops. Keys are `hashtext` of a name under the portal's own prefix.
 */
const keyOf = (name: string) => `maillon:${name}`;

/** Hours, not Prisma's 5 s default: the transaction only holds the lock while `work` runs on other connections. */
const HOLD_TIMEOUT_MS = 6 * 3600_000;

/**
 * Runs `work` if no other process holds the lock `name`; otherwise returns `{ ran: false }`
 * at once. `work` runs its queries on other connections of the pool: the transaction only
 * holds the lock.
 */
export async function withTryAdvisoryLock<T>(db: Db, name: string, work: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
  return db.$transaction(
    async (tx) => {
      const [row] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(hashtext(${keyOf(name)})) AS locked`;
      if (!row?.locked) return { ran: false as const };
      return { ran: true as const, value: await work() };
    },
    { maxWait: 30_000, timeout: HOLD_TIMEOUT_MS },
  );
}

/** Runs `work` holding the lock `name`, waiting for another process to release it first. */
export async function withAdvisoryLock<T>(db: Db, name: string, work: () => Promise<T>, waitMs = 10 * 60_000): Promise<T> {
  return db.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = ${Math.round(waitMs)}`);
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${keyOf(name)}))`;
      return work();
    },
    { maxWait: 30_000, timeout: HOLD_TIMEOUT_MS },
  );
}
