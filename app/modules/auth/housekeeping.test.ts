import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyPendingMigrations } from "../../../server/schema-engine";
import { testDatabaseUrl } from "../../../tests/support/database";
import { createDb, type Db } from "~/utils/db.server";
import { purgeExpiredAuthData } from "./housekeeping.server";
import { ABSOLUTE_MS, IDLE_MS } from "./session.server";

let db: Db;
const now = new Date("2026-11-22T10:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms);

beforeAll(async () => {
  const url = testDatabaseUrl("housekeeping");
  await applyPendingMigrations(url);
  db = createDb(url);
});
afterAll(() => db?.$disconnect());

describe("auth housekeeping", () => {
  it("deletes ended sessions, dead tokens and stale throttles, and keeps live ones", async () => {
    const user = await db.user.create({ data: { email: "menage@exemple.fr", name: "Ménage" } });
    const session = (tokenHash: string, lastSeenAt: Date, expiresAt: Date) =>
      db.authSession.create({ data: { userId: user.id, tokenHash, lastSeenAt, expiresAt } });
    await session("live", ago(60_000), new Date(now.getTime() + ABSOLUTE_MS));
    await session("idle", ago(IDLE_MS + 1), new Date(now.getTime() + ABSOLUTE_MS));
    await session("expired", ago(60_000), ago(1));
    await db.oneTimeToken.create({ data: { userId: user.id, purpose: "PASSWORD_RESET", tokenHash: "old", expiresAt: ago(2 * 86_400_000) } });
    await db.oneTimeToken.create({ data: { userId: user.id, purpose: "PASSWORD_RESET", tokenHash: "fresh", expiresAt: ago(60_000) } });
    await db.loginThrottle.create({ data: { key: "ip:1", failures: 5, lastFailureAt: ago(3600_000), blockedUntil: ago(3500_000) } });
    await db.loginThrottle.create({ data: { key: "ip:2", failures: 5, lastFailureAt: ago(1000), blockedUntil: now } });

    expect(await purgeExpiredAuthData(db, now)).toEqual({ sessions: 2, tokens: 1, throttles: 1 });
    expect((await db.authSession.findMany()).map((s) => s.tokenHash)).toEqual(["live"]);
    expect((await db.oneTimeToken.findMany()).map((t) => t.tokenHash)).toEqual(["fresh"]);
    expect((await db.loginThrottle.findMany()).map((t) => t.key)).toEqual(["ip:2"]);
  });
});
