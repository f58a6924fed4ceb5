/**
 * Issuing recharges against a real database (SQLite or PostgreSQL, per TEST_DATABASE):
 * 100 concurrent issues against a quota of 10 and a stock of 20 give exactly 10 recharges with
 * 10 distinct codes; empty quota or stock consumes nothing; a repeated form issues once;
 * the ledger replays to the balances.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../support/database";
import { createRechargeCodeExpiring, createRechargeCodes, createRechargeProduct, createRelay, createRelayMember, giveQuota } from "../recharge-factories";
import type { Db } from "~/utils/db.server";
import { parisMonthKey } from "~/utils/dates";
import { replayLedger, balanceKey } from "~/modules/recharges/quota.rules";

let testDb: Db;
let close: () => Promise<void>;
let issuing: typeof import("~/modules/recharges/issuing.server");
let quota: typeof import("~/modules/recharges/quota.server");
const period = parisMonthKey(new Date());

beforeAll(async () => {
  ({ testDb, close } = await openTestDatabase("recharge_issuing"));
  issuing = await import("~/modules/recharges/issuing.server");
  quota = await import("~/modules/recharges/quota.server");
});
afterAll(async () => close?.());

const person = (reference: string) => ({ reference, ageBand: null, commune: null });

async function setup(options: { quota: number; stock: number }) {
  const { relay } = await createRelay(testDb);
  const staff = await createRelayMember(testDb, relay);
  const product = await createRechargeProduct(testDb, { faceValueCents: 200 });
  const pins = await createRechargeCodes(testDb, product.id, options.stock);
  if (options.quota) await giveQuota(testDb, { relayId: relay.id, productId: product.id, period, units: options.quota });
  return { relay, staff, product, pins };
}

async function expectLedgerMatchesBalances() {
  const entries = await testDb.quotaLedgerEntry.findMany({ orderBy: { id: "asc" } });
  const replayed = replayLedger(entries);
  const balances = await testDb.quotaBalance.findMany();
  for (const b of balances) expect(replayed.get(balanceKey(b)) ?? 0).toBe(b.balance);
  expect(balances.every((b) => b.balance >= 0)).toBe(true);
}

describe("issueRecharge", () => {
  it("gives exactly the quota when 100 requests arrive at once, with distinct codes and nothing beyond", async () => {
    const { relay, staff, product, pins } = await setup({ quota: 10, stock: 20 });
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        issuing.issueRecharge({ relayId: relay.id, staffId: staff.id, productId: product.id, beneficiary: person(`B-${i}`), idempotencyKey: `k-${relay.id}-${i}` }),
      ),
    );
    const ok = results.filter((r) => r.ok);
    expect(ok).toHaveLength(10);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.reason === "NO_QUOTA")).toBe(true);
    const issues = await testDb.rechargeIssue.findMany({ where: { relayId: relay.id }, include: { code: true } });
    expect(issues).toHaveLength(10);
    expect(new Set(issues.map((i) => i.codeId)).size).toBe(10);
    expect((await testDb.quotaBalance.findUniqueOrThrow({ where: { relayId_productId_period: { relayId: relay.id, productId: product.id, period } } })).balance).toBe(0);
    expect(await testDb.rechargeCode.count({ where: { productId: product.id, issuedAt: { not: null } } })).toBe(10);
    // Earliest expiry first: the ten codes given are the ten that expire soonest.
    const given = new Set(issues.map((i) => i.code.last4));
    expect(pins.slice(0, 10).every((pin) => given.has(pin.slice(-4)))).toBe(true);
    expect(await testDb.quotaLedgerEntry.count({ where: { relayId: relay.id, kind: "ISSUE" } })).toBe(10);
    await expectLedgerMatchesBalances();
  }, 60_000);

  it("refuses with a clear message and consumes nothing when the quota or the stock is empty", async () => {
    const noQuota = await setup({ quota: 0, stock: 3 });
    const r1 = await issuing.issueRecharge({ relayId: noQuota.relay.id, staffId: noQuota.staff.id, productId: noQuota.product.id, beneficiary: person("A"), idempotencyKey: `a-${noQuota.relay.id}` });
    expect(r1).toMatchObject({ ok: false, reason: "NO_QUOTA" });
    expect(!r1.ok && r1.message).toMatch(/quota .* épuisé/);
    expect(await testDb.rechargeCode.count({ where: { productId: noQuota.product.id, issuedAt: null } })).toBe(3);

    const noStock = await setup({ quota: 5, stock: 0 });
    const r2 = await issuing.issueRecharge({ relayId: noStock.relay.id, staffId: noStock.staff.id, productId: noStock.product.id, beneficiary: person("A"), idempotencyKey: `b-${noStock.relay.id}` });
    expect(r2).toMatchObject({ ok: false, reason: "NO_STOCK" });
    const balance = await testDb.quotaBalance.findUniqueOrThrow({ where: { relayId_productId_period: { relayId: noStock.relay.id, productId: noStock.product.id, period } } });
    expect(balance.balance).toBe(5);
    expect(await testDb.beneficiary.count({ where: { relayId: noStock.relay.id } })).toBe(0);
    expect(await testDb.rechargeIssue.count({ where: { relayId: noStock.relay.id } })).toBe(0);
  });

  it("issues once for a form submitted twice at once (same idempotency key)", async () => {
    const { relay, staff, product } = await setup({ quota: 5, stock: 5 });
    const input = { relayId: relay.id, staffId: staff.id, productId: product.id, beneficiary: person("REF-42"), idempotencyKey: `dbl-${relay.id}` };
    const [a, b] = await Promise.all([issuing.issueRecharge(input), issuing.issueRecharge(input)]);
    expect(a.ok && b.ok).toBe(true);
    expect(a.ok && b.ok && a.issueId === b.issueId).toBe(true);
    expect(await testDb.rechargeIssue.count({ where: { relayId: relay.id } })).toBe(1);
    expect((await testDb.quotaBalance.findFirstOrThrow({ where: { relayId: relay.id } })).balance).toBe(4);
  });

  it("answers both copies of a double submission with the issue when it took the last unit of quota", async () => {
    const { relay, staff, product } = await setup({ quota: 1, stock: 5 });
    const input = { relayId: relay.id, staffId: staff.id, productId: product.id, beneficiary: person("REF-43"), idempotencyKey: `last-${relay.id}` };
    const results = await Promise.all([issuing.issueRecharge(input), issuing.issueRecharge(input), issuing.issueRecharge(input)]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(new Set(results.map((r) => r.ok && r.issueId)).size).toBe(1);
    expect(await testDb.rechargeIssue.count({ where: { relayId: relay.id } })).toBe(1);
  });

  it("enforces the beneficiary's monthly ceiling, counting declared mistakes in (their code left the stock)", async () => {
    const { relay, staff, product } = await setup({ quota: 10, stock: 10 });
    await testDb.relay.update({ where: { id: relay.id }, data: { beneficiaryMonthlyCeilingCents: 500 } });
    const issue = (key: string) => issuing.issueRecharge({ relayId: relay.id, staffId: staff.id, productId: product.id, beneficiary: person("Dossier 7"), idempotencyKey: `${key}-${relay.id}` });
    expect((await issue("c1")).ok).toBe(true);
    const second = await issue("c2");
    expect(second.ok).toBe(true);
    const third = await issue("c3");
    expect(third).toMatchObject({ ok: false, reason: "CEILING" });
    expect(!third.ok && third.message).toMatch(/plafond mensuel de 5,00\s€/);
    expect((await testDb.quotaBalance.findFirstOrThrow({ where: { relayId: relay.id } })).balance).toBe(8);

    const declared = await quota.declareMistake({ relayId: relay.id, issueId: second.ok ? second.issueId : "", actorId: staff.id, reason: "Mauvais produit choisi" });
    expect(declared).toEqual({ ok: true });
    const fourth = await issue("c4");
    expect(fourth).toMatchObject({ ok: false, reason: "CEILING" });
    expect(!fourth.ok && fourth.message).toContain("a déjà reçu 4,00 €");
    // The declared code is not back in stock, and the quota unit is not restored by the relay.
    expect(await testDb.rechargeCode.count({ where: { productId: product.id, issuedAt: null } })).toBe(8);
    expect((await testDb.quotaBalance.findFirstOrThrow({ where: { relayId: relay.id } })).balance).toBe(8);
  });

  it("knows one person by one reference, whatever its case and surrounding spaces (one ceiling)", async () => {
    const { relay, staff, product } = await setup({ quota: 10, stock: 10 });
    await testDb.relay.update({ where: { id: relay.id }, data: { beneficiaryMonthlyCeilingCents: 400 } });
    const issue = (reference: string, key: string) =>
      issuing.issueRecharge({ relayId: relay.id, staffId: staff.id, productId: product.id, beneficiary: { reference, ageBand: "AGE_26_44", commune: null }, idempotencyKey: `${key}-${relay.id}` });
    expect((await issue("dossier-é 12", "r1")).ok).toBe(true);
    expect((await issue("  DOSSIER-É 12 ", "r2")).ok).toBe(true);
    expect(await issue("Dossier-É 12", "r3")).toMatchObject({ ok: false, reason: "CEILING" });
    const rows = await testDb.beneficiary.findMany({ where: { relayId: relay.id } });
    expect(rows.map((r) => [r.reference, r.ageBand])).toEqual([["DOSSIER-É 12", "AGE_26_44"]]);
    expect(await testDb.rechargeIssue.count({ where: { beneficiaryId: rows[0]!.id } })).toBe(2);
    // Another relay's person with the same reference is another person.
    const other = await setup({ quota: 1, stock: 1 });
    const elsewhere = await issuing.issueRecharge({ relayId: other.relay.id, staffId: other.staff.id, productId: other.product.id, beneficiary: person("dossier-é 12"), idempotencyKey: `r4-${other.relay.id}` });
    expect(elsewhere.ok).toBe(true);
  });

  it("gives the earliest code that still leaves the product's least validity, never one expiring today", async () => {
    const { relay } = await createRelay(testDb);
    const staff = await createRelayMember(testDb, relay);
    const product = await createRechargeProduct(testDb, { minValidityDays: 7 });
    const now = new Date();
    const inDays = (days: number) => new Date(now.getTime() + days * 86_400_000);
    const expired = await createRechargeCodeExpiring(testDb, product.id, inDays(-1));
    const today = await createRechargeCodeExpiring(testDb, product.id, new Date(now.getTime() + 2 * 3600_000));
    const inSix = await createRechargeCodeExpiring(testDb, product.id, inDays(6.5));
    const inTen = await createRechargeCodeExpiring(testDb, product.id, inDays(10));
    const inThirty = await createRechargeCodeExpiring(testDb, product.id, inDays(30));
    await giveQuota(testDb, { relayId: relay.id, productId: product.id, period, units: 5 });
    const issue = (i: number) => issuing.issueRecharge({ relayId: relay.id, staffId: staff.id, productId: product.id, beneficiary: person(`V-${i}`), idempotencyKey: `v${i}-${relay.id}`, now });
    const givenPin = async (result: Awaited<ReturnType<typeof issue>>) => {
      if (!result.ok) throw new Error(result.message);
      const row = await testDb.rechargeIssue.findUniqueOrThrow({ where: { id: result.issueId }, include: { code: true } });
      return row.code.last4;
    };
    expect(await givenPin(await issue(1))).toBe(inTen.slice(-4));
    expect(await givenPin(await issue(2))).toBe(inThirty.slice(-4));
    const third = await issue(3);
    expect(third).toMatchObject({ ok: false, reason: "NO_STOCK" });
    expect(!third.ok && third.message).toBe(`Il n'y a plus de code « ${product.name} » valable encore 7 jours au moins : rien n'a été délivré. L'équipe de l'association a été prévenue.`);
    // Nothing consumed by the refusal; the short-lived codes are still there, to be sold off.
    expect((await testDb.quotaBalance.findFirstOrThrow({ where: { relayId: relay.id } })).balance).toBe(3);
    const left = await testDb.rechargeCode.findMany({ where: { productId: product.id, issuedAt: null } });
    expect(new Set(left.map((c) => c.last4))).toEqual(new Set([expired, today, inSix].map((p) => p.slice(-4))));

    // With no margin, the code expiring today is the earliest still usable: it is given.
    await testDb.rechargeProduct.update({ where: { id: product.id }, data: { minValidityDays: 0 } });
    expect(await givenPin(await issue(4))).toBe(today.slice(-4));
  });

  it("refuses a pending or suspended relay, an uncertified member and a member of another relay, consuming nothing", async () => {
    const { relay, staff, product } = await setup({ quota: 5, stock: 5 });
    const uncertified = await createRelayMember(testDb, relay, { certified: false });
    const other = await createRelay(testDb, { requiredModuleId: relay.requiredModuleId });
    const outsider = await createRelayMember(testDb, other.relay);
    const attempt = (staffId: string, key: string) =>
      issuing.issueRecharge({ relayId: relay.id, staffId, productId: product.id, beneficiary: person("X"), idempotencyKey: `${key}-${relay.id}` });
    expect(await attempt(uncertified.id, "u")).toMatchObject({ ok: false, reason: "NOT_CERTIFIED" });
    expect(await attempt(outsider.id, "o")).toMatchObject({ ok: false, reason: "NOT_MEMBER" });
    await testDb.relay.update({ where: { id: relay.id }, data: { status: "SUSPENDED" } });
    expect(await attempt(staff.id, "s")).toMatchObject({ ok: false, reason: "RELAY_SUSPENDED" });
    await testDb.relay.update({ where: { id: relay.id }, data: { status: "PENDING_CERTIFICATION" } });
    expect(await attempt(staff.id, "p")).toMatchObject({ ok: false, reason: "RELAY_PENDING" });
    expect((await testDb.quotaBalance.findFirstOrThrow({ where: { relayId: relay.id } })).balance).toBe(5);
    expect(await testDb.rechargeIssue.count({ where: { relayId: relay.id } })).toBe(0);
  });

  it("shows the code to its issuer only, again only within two minutes of the first showing, and logs each reading", async () => {
    const { relay, staff, product, pins } = await setup({ quota: 1, stock: 1 });
    const colleague = await createRelayMember(testDb, relay);
    const r = await issuing.issueRecharge({ relayId: relay.id, staffId: staff.id, productId: product.id, beneficiary: person("R"), idempotencyKey: `rv-${relay.id}` });
    if (!r.ok) throw new Error(r.message);
    expect(await issuing.revealCode({ relayId: relay.id, staffId: colleague.id, issueId: r.issueId })).toBeNull();
    // Two submissions at once (a double click): both answers carry the code, so whichever the browser shows has it.
    const [first, second] = await Promise.all([
      issuing.revealCode({ relayId: relay.id, staffId: staff.id, issueId: r.issueId }),
      issuing.revealCode({ relayId: relay.id, staffId: staff.id, issueId: r.issueId }),
    ]);
    expect([first, second]).toEqual([pins[0], pins[0]]);
    const shownAt = (await testDb.rechargeIssue.findUniqueOrThrow({ where: { id: r.issueId } })).codeRevealedAt!;
    // Within the window it can be shown again; the first showing's time is kept.
    expect(await issuing.revealCode({ relayId: relay.id, staffId: staff.id, issueId: r.issueId, now: new Date(shownAt.getTime() + 119_000) })).toBe(pins[0]);
    expect((await testDb.rechargeIssue.findUniqueOrThrow({ where: { id: r.issueId } })).codeRevealedAt).toEqual(shownAt);
    expect(await issuing.revealCode({ relayId: relay.id, staffId: staff.id, issueId: r.issueId, now: new Date(shownAt.getTime() + 121_000) })).toBeNull();
    expect(await issuing.revealCode({ relayId: relay.id, staffId: colleague.id, issueId: r.issueId })).toBeNull();
    expect(await testDb.auditLog.count({ where: { entityId: r.issueId, action: "recharge.code_revealed" } })).toBe(3);
  });

  it("moves, carries over and restores quota with ledger rows that replay to the balances", async () => {
    const a = await setup({ quota: 6, stock: 3 });
    const b = await createRelay(testDb);
    const admin = await createRelayMember(testDb, b.relay, { certified: false });
    expect(await quota.moveQuota({ fromRelayId: a.relay.id, toRelayId: b.relay.id, productId: a.product.id, period, units: 7, reason: "Besoin urgent", actorId: admin.id })).toMatchObject({ ok: false });
    expect(await quota.moveQuota({ fromRelayId: a.relay.id, toRelayId: b.relay.id, productId: a.product.id, period, units: 2, reason: "Besoin urgent", actorId: admin.id })).toEqual({ ok: true });
    expect(await quota.allocateQuota({ relayId: b.relay.id, productId: a.product.id, period, units: 3, actorId: admin.id })).toEqual({ ok: true });
    const issued = await issuing.issueRecharge({ relayId: a.relay.id, staffId: a.staff.id, productId: a.product.id, beneficiary: person("M"), idempotencyKey: `mv-${a.relay.id}` });
    if (!issued.ok) throw new Error(issued.message);
    await quota.declareMistake({ relayId: a.relay.id, issueId: issued.issueId, actorId: a.staff.id, reason: "Erreur de saisie" });
    expect(await quota.restoreQuotaUnit({ issueId: issued.issueId, actorId: admin.id, reason: "Erreur reconnue" })).toEqual({ ok: true });
    expect(await quota.restoreQuotaUnit({ issueId: issued.issueId, actorId: admin.id, reason: "Erreur reconnue" })).toMatchObject({ ok: false });
    const carried = await quota.carryOverQuota({ relayId: b.relay.id, productId: a.product.id, fromPeriod: period, actorId: admin.id });
    expect(carried).toEqual({ ok: true, units: 5 });
    const balanceOf = async (relayId: string, p: string) =>
      (await testDb.quotaBalance.findUnique({ where: { relayId_productId_period: { relayId, productId: a.product.id, period: p } } }))?.balance;
    expect(await balanceOf(a.relay.id, period)).toBe(4);
    expect(await balanceOf(b.relay.id, period)).toBe(0);
    await expectLedgerMatchesBalances();
  });
});
