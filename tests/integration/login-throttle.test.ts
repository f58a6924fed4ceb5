/**
 * Login throttling under concurrency, at the module level (the clock is the test's): every
 * parallel attempt is counted, and a success takes back only its own address's failures.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../support/database";
import { createUser, FACTORY_PASSWORD } from "../factories";

let database: Awaited<ReturnType<typeof openTestDatabase>>;
let authenticate: typeof import("~/modules/auth/account.server").authenticate;

beforeAll(async () => {
  database = await openTestDatabase("login_throttle");
  ({ authenticate } = await import("~/modules/auth/account.server"));
});
afterAll(() => database?.close());

const t0 = new Date("2026-12-07T10:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);
const ipNumber = (n: number) => `192.0.2.${n}`;

describe("login throttling under concurrency", () => {
  it("checks at most 3 of 30 parallel wrong passwords for one account from one address", async () => {
    const user = await createUser(database.testDb);
    const results = await Promise.all(
      Array.from({ length: 30 }, () => authenticate({ email: user.email, password: "mauvais mot de passe", ip: "198.51.100.20" }, t0)),
    );
    const reasons = results.map((r) => (r.ok ? "ok" : r.reason));
    expect(reasons.filter((r) => r === "invalid")).toHaveLength(3);
    expect(reasons.filter((r) => r === "throttled")).toHaveLength(27);
  });

  it("with 30 addresses: at most 3 guesses checked, and the owner's success leaves the others' failures counted", async () => {
    const user = await createUser(database.testDb);
    const guesses = await Promise.all(
      Array.from({ length: 29 }, (_, i) => authenticate({ email: user.email, password: `essai ${i}`, ip: ipNumber(i + 1) }, t0)),
    );
    expect(guesses.filter((r) => !r.ok && r.reason === "invalid")).toHaveLength(3);
    expect(guesses.filter((r) => !r.ok && r.reason === "throttled")).toHaveLength(26);

    // While the account waits, even the right password is not examined (the wait is capped at 2 minutes).
    const early = await authenticate({ email: user.email, password: FACTORY_PASSWORD, ip: ipNumber(30) }, at(1000));
    expect(early).toMatchObject({ ok: false, reason: "throttled" });
    expect((early as { waitSeconds: number }).waitSeconds).toBeLessThanOrEqual(120);

    const owner = await authenticate({ email: user.email, password: FACTORY_PASSWORD, ip: ipNumber(30) }, at(3 * 60_000));
    expect(owner.ok).toBe(true);
    // The guesses from the 29 other addresses still count: the next one is refused unchecked.
    const next = await authenticate({ email: user.email, password: "encore un essai", ip: ipNumber(31) }, at(3 * 60_000));
    expect(next).toMatchObject({ ok: false, reason: "throttled" });
  });

  it("a success takes back the owner's own typos from that address", async () => {
    const user = await createUser(database.testDb);
    const from = (ip: string, password: string, ms = 0) => authenticate({ email: user.email, password, ip }, at(ms));
    for (let i = 0; i < 2; i++) expect(await from("198.51.100.30", "faute de frappe")).toMatchObject({ reason: "invalid" });
    expect((await from("198.51.100.30", FACTORY_PASSWORD)).ok).toBe(true);
    // Nothing of the owner's typos is left: three failures again before any wait.
    for (let i = 0; i < 3; i++) expect(await from("198.51.100.31", "faute de frappe")).toMatchObject({ reason: "invalid" });
    expect(await from("198.51.100.31", "faute de frappe")).toMatchObject({ reason: "throttled" });
  });

  it("an attempt refused because the account waits does not use up the address's free attempts", async () => {
    const [blocked, other] = [await createUser(database.testDb), await createUser(database.testDb)];
    for (let i = 0; i < 3; i++) await authenticate({ email: blocked.email, password: "essai", ip: ipNumber(100 + i) }, t0);
    for (let i = 0; i < 3; i++) {
      expect(await authenticate({ email: blocked.email, password: "essai", ip: "198.51.100.40" }, at(10))).toMatchObject({ reason: "throttled" });
    }
    // In parallel these three could have run ahead of the attempts the account admitted, and
    // refused them on the address's counter: fewer than 3 of 30 would have been checked.
    expect(await authenticate({ email: other.email, password: "essai", ip: "198.51.100.40" }, at(20))).toMatchObject({ reason: "invalid" });
  });
});
