import { getDb, type Db } from "~/utils/db.server";
import { IDLE_MS } from "./session.server";
import { FORGET_AFTER_MS } from "./throttle.rules";

const KEEP_USED_TOKENS_MS = 24 * 3600_000;

/** Deletes what no longer serves: ended sessions, dead link tokens, forgotten login failures. */
export async function purgeExpiredAuthData(db: Db = getDb(), now = new Date()) {
  const [sessions, tokens, throttles] = await Promise.all([
    db.authSession.deleteMany({ where: { OR: [{ expiresAt: { lte: now } }, { lastSeenAt: { lt: new Date(now.getTime() - IDLE_MS) } }] } }),
    db.oneTimeToken.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - KEEP_USED_TOKENS_MS) } } }),
    db.loginThrottle.deleteMany({ where: { lastFailureAt: { lt: new Date(now.getTime() - FORGET_AFTER_MS) } } }),
  ]);
  return { sessions: sessions.count, tokens: tokens.count, throttles: throttles.count };
}
