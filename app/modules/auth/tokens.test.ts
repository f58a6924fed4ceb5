import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyPendingMigrations } from "../../../server/schema-engine";
import { testDatabaseUrl } from "../../../tests/support/database";
import { createDb, type Db } from "~/utils/db.server";
import { consumeOneTimeToken, hashToken, issueOneTimeToken, isTokenUsable, TOKEN_TTL_MS } from "./tokens.server";

let db: Db;
let userId: string;
const now = new Date("2026-11-22T10:00:00Z");
const minutes = (m: number) => new Date(now.getTime() + m * 60_000);

beforeAll(async () => {
  const url = testDatabaseUrl("tokens");
  await applyPendingMigrations(url);
  db = createDb(url);
  userId = (await db.user.create({ data: { email: `tokens-${Date.now()}@exemple.fr`, name: "Camille" } })).id;
});
afterAll(() => db?.$disconnect());

describe("one-time link tokens", () => {
  it("are stored hashed, never in clear", async () => {
    const token = await issueOneTimeToken(db, userId, "PASSWORD_RESET", now);
    const rows = await db.oneTimeToken.findMany({ where: { userId } });
    expect(rows.some((r) => r.tokenHash === hashToken(token))).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it("expire: a reset link lasts at most 30 minutes", async () => {
    expect(TOKEN_TTL_MS.PASSWORD_RESET).toBeLessThanOrEqual(30 * 60_000);
    const token = await issueOneTimeToken(db, userId, "PASSWORD_RESET", now);
    expect(await isTokenUsable(db, "PASSWORD_RESET", token, minutes(29))).toBe(true);
    expect(await consumeOneTimeToken(db, "PASSWORD_RESET", token, minutes(31))).toBeNull();
  });

  it("work once, even when used twice at the same time", async () => {
    const token = await issueOneTimeToken(db, userId, "PASSWORD_RESET", now);
    const results = await Promise.all([1, 2, 3].map(() => consumeOneTimeToken(db, "PASSWORD_RESET", token, minutes(1))));
    expect(results.filter((r) => r === userId)).toHaveLength(1);
  });

  it("serve only their purpose, and a newer link voids the older one", async () => {
    const first = await issueOneTimeToken(db, userId, "EMAIL_VERIFICATION", now);
    expect(await consumeOneTimeToken(db, "PASSWORD_RESET", first, minutes(1))).toBeNull();
    const second = await issueOneTimeToken(db, userId, "EMAIL_VERIFICATION", minutes(1));
    expect(await consumeOneTimeToken(db, "EMAIL_VERIFICATION", first, minutes(2))).toBeNull();
    expect(await consumeOneTimeToken(db, "EMAIL_VERIFICATION", second, minutes(2))).toBe(userId);
  });
});
