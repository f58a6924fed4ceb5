import type { Db } from "~/utils/db.server";
import { afterFailure, waitRemaining, type ThrottleKind } from "./throttle.rules";

const keyOf = (kind: ThrottleKind, value: string) => `${kind}:${value}`;

/** The longest wait still imposed on this IP or this account, in ms. */
export async function loginWaitMs(db: Db, ip: string, email: string, now = new Date()) {
  const rows = await db.loginThrottle.findMany({ where: { key: { in: [keyOf("ip", ip), keyOf("account", email)] } } });
  return Math.max(0, ...rows.map((r) => waitRemaining(r, now)));
}

export async function recordLoginFailure(db: Db, ip: string, email: string, now = new Date()) {
  for (const [kind, value] of [["ip", ip], ["account", email]] as const) {
    const key = keyOf(kind, value);
    await db.$transaction(async (tx) => {
      const prev = await tx.loginThrottle.findUnique({ where: { key } });
      const next = afterFailure(prev, now, kind);
      await tx.loginThrottle.upsert({ where: { key }, create: { key, ...next }, update: next });
    });
  }
}

/** A successful login clears the account's counter; the IP's decays on its own. */
export async function recordLoginSuccess(db: Db, email: string) {
  await db.loginThrottle.deleteMany({ where: { key: keyOf("account", email) } });
}
