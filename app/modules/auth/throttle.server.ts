import type { Db } from "~/utils/db.server";
import { afterFailure, afterRefund, restamped, waitRemaining, type ThrottleKind, type ThrottleState } from "./throttle.rules";

/**
 * Counters per address ("ip:…"), per account ("account:…") and per account from one
 * address ("account-ip:…", what a success may take back). Every change is a
 * compare-and-swap on the row (write only if it still holds what was read, else read
 * again), so parallel attempts are each counted, on SQLite and PostgreSQL alike.
 */
const keysOf = (ip: string, email: string) => ({
  ip: `ip:${ip}`,
  account: `account:${email}`,
  accountFromIp: `account-ip:${email}|${ip}`,
});

const MAX_SWAP_TRIES = 200;
const isUniqueViolation = (e: unknown) => (e as { code?: string })?.code === "P2002";

/** Replaces the row `key` by `change(row)` (null: delete it), atomically; returns the state it replaced. */
async function swap(db: Db, key: string, change: (prev: ThrottleState | null) => ThrottleState | null): Promise<ThrottleState | null> {
  for (let i = 0; i < MAX_SWAP_TRIES; i++) {
    const prev = await db.loginThrottle.findUnique({ where: { key }, select: { failures: true, lastFailureAt: true, blockedUntil: true } });
    const next = change(prev);
    if (!prev) {
      if (!next) return null;
      try {
        await db.loginThrottle.create({ data: { key, ...next } });
        return null;
      } catch (error) {
        if (isUniqueViolation(error)) continue; // another attempt created it first
        throw error;
      }
    }
    const unchanged = { key, failures: prev.failures, lastFailureAt: prev.lastFailureAt, blockedUntil: prev.blockedUntil };
    const { count } = next ? await db.loginThrottle.updateMany({ where: unchanged, data: next }) : await db.loginThrottle.deleteMany({ where: unchanged });
    if (count === 1) return prev;
  }
  throw new Error("Login throttle row changed too often to be updated");
}

/** The longest wait still imposed on this IP or this account, in ms. */
export async function loginWaitMs(db: Db, ip: string, email: string, now = new Date()) {
  const keys = keysOf(ip, email);
  const rows = await db.loginThrottle.findMany({ where: { key: { in: [keys.ip, keys.account] } } });
  return Math.max(0, ...rows.map((r) => waitRemaining(r, now)));
}

export type Admission = { admitted: true } | { admitted: false; waitMs: number };

/**
 * Counts the attempt as a failure before its password is checked, and admits it only if
 * neither the account nor the address was made to wait. An attempt made while the account
 * waits counts against the account (hammering only makes its wait grow) but not against the
 * address: it checks no password, and counting it there would let the parallel attempts the
 * account refuses use up the address's free attempts before the ones it admitted, so fewer
 * than the free attempts would be examined. An attempt the address refuses counts there.
 */
export async function admitLoginAttempt(db: Db, ip: string, email: string, now = new Date()): Promise<Admission> {
  const keys = keysOf(ip, email);
  await swap(db, keys.accountFromIp, (p) => afterFailure(p, now, "account"));
  const account = await swap(db, keys.account, (p) => afterFailure(p, now, "account"));
  const waiting = waitRemaining(account, now) > 0 || waitRemaining(await swap(db, keys.ip, (p) => afterFailure(p, now, "ip")), now) > 0;
  return waiting ? { admitted: false, waitMs: await loginWaitMs(db, ip, email, now) } : { admitted: true };
}

/** A wrong password, confirmed at `at`: the waits it caused start now (checking takes time). */
export async function recordLoginFailure(db: Db, ip: string, email: string, at: Date) {
  const keys = keysOf(ip, email);
  await swap(db, keys.account, (p) => p && restamped(p, at, "account"));
  await swap(db, keys.ip, (p) => p && restamped(p, at, "ip"));
}

/**
 * A success takes back what this address counted against the account (its own typos and
 * this attempt) and this attempt from the address; other addresses' failures stay.
 */
export async function recordLoginSuccess(db: Db, ip: string, email: string) {
  const keys = keysOf(ip, email);
  const own = await swap(db, keys.accountFromIp, () => null);
  const refund = (removed: number, kind: ThrottleKind) => (p: ThrottleState | null) => {
    if (!p || p.failures <= removed) return null;
    return afterRefund(p, removed, kind);
  };
  await swap(db, keys.account, refund(own?.failures ?? 1, "account"));
  await swap(db, keys.ip, refund(1, "ip"));
}
