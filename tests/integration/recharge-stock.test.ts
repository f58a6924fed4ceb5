/**
 * Code import and stock on a real database: preview then confirm, rejected lines reported,
 * duplicates with the stock refused, codes stored encrypted, 100,000 lines in one go, and the
 * low-stock alert mailed once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../support/database";
import { createUser } from "../factories";
import { createRechargeCodeExpiring, createRechargeCodes, createRechargeProduct, createRelay, createRelayMember, giveQuota } from "../recharge-factories";
import type { Db } from "~/utils/db.server";
import { parisMonthKey } from "~/utils/dates";

let testDb: Db;
let close: () => Promise<void>;
let stock: typeof import("~/modules/recharges/stock.server");
let issuing: typeof import("~/modules/recharges/issuing.server");
let retention: typeof import("~/modules/recharges/retention.server");

beforeAll(async () => {
  ({ testDb, close } = await openTestDatabase("recharge_stock"));
  stock = await import("~/modules/recharges/stock.server");
  issuing = await import("~/modules/recharges/issuing.server");
  retention = await import("~/modules/recharges/retention.server");
});
afterAll(async () => close?.());

const csv = (lines: string[]) => new TextEncoder().encode(["produit;code;expiration", ...lines].join("\n"));

describe("code import", () => {
  it("previews, reports rejected lines, then imports the accepted ones encrypted", async () => {
    const admin = await createUser(testDb, { roles: ["ADMIN"] });
    const product = await createRechargeProduct(testDb);
    const [inStock] = await createRechargeCodes(testDb, product.id, 1);
    const preview = await stock.previewImport(
      csv([`${product.name};11112222333344;2030-01-01`, `${product.name};11112222333344;2030-01-01`, `${product.name};${inStock};2030-01-01`, `${product.name};55556666777788;2020-01-01`]),
      "lot.csv",
      admin.id,
    );
    if (!preview.ok) throw new Error(preview.error);
    expect(preview.accepted).toBe(1);
    expect(preview.rejected.map((r) => [r.line, r.reason])).toEqual([
      [3, "Code en double dans le fichier (déjà à la ligne 2)."],
      [4, "Code déjà présent dans le stock."],
      [5, "Code déjà expiré."],
    ]);
    expect(await testDb.rechargeCode.count({ where: { productId: product.id } })).toBe(1);
    const done = await stock.confirmImport(preview.token, admin.id);
    expect(done).toMatchObject({ ok: true, count: 1 });
    const row = await testDb.rechargeCode.findFirstOrThrow({ where: { productId: product.id, last4: "3344" } });
    expect(row.codeEncrypted).not.toContain("11112222333344");
    expect(await stock.confirmImport(preview.token, admin.id)).toMatchObject({ ok: false });
  });

  it("imports nothing when a code reached the stock between preview and confirmation", async () => {
    const admin = await createUser(testDb, { roles: ["ADMIN"] });
    const product = await createRechargeProduct(testDb);
    const preview = await stock.previewImport(csv([`${product.name};99990000111122;2030-01-01`, `${product.name};99990000111133;2030-01-01`]), "a.csv", admin.id);
    const other = await stock.previewImport(csv([`${product.name};99990000111133;2030-01-01`]), "b.csv", admin.id);
    if (!preview.ok || !other.ok) throw new Error("preview failed");
    expect(await stock.confirmImport(other.token, admin.id)).toMatchObject({ ok: true, count: 1 });
    expect(await stock.confirmImport(preview.token, admin.id)).toMatchObject({ ok: false, error: expect.stringMatching(/rien n'a été importé/) });
    expect(await testDb.rechargeCode.count({ where: { productId: product.id } })).toBe(1);
  });

  it("sweeps previews an hour old, confirmed or not, and keeps younger ones", async () => {
    const { sweepPendingImports } = await import("~/modules/recharges/pending-imports.server");
    const admin = await createUser(testDb, { roles: ["ADMIN"] });
    const product = await createRechargeProduct(testDb);
    const now = new Date();
    const old = await stock.previewImport(csv([`${product.name};91919191919191;2030-01-01`, "x;1;2030-01-01"]), "vieux.csv", admin.id, new Date(now.getTime() - 61 * 60_000));
    const young = await stock.previewImport(csv([`${product.name};92929292929292;2030-01-01`]), "jeune.csv", admin.id, new Date(now.getTime() - 59 * 60_000));
    if (!old.ok || !young.ok) throw new Error("preview failed");
    expect(await sweepPendingImports(now)).toBeGreaterThanOrEqual(1);
    expect(await testDb.pendingCodeImport.count({ where: { token: old.token } })).toBe(0);
    expect(await testDb.pendingCodeImport.count({ where: { token: young.token } })).toBe(1);
    expect(await stock.confirmImport(young.token, admin.id, now)).toMatchObject({ ok: true, count: 1 });
    // Confirmed: the codes are gone from the row at once, the row itself at the sweep.
    expect((await testDb.pendingCodeImport.findUniqueOrThrow({ where: { token: young.token } })).content).toBeNull();
    expect(await sweepPendingImports(new Date(now.getTime() + 2 * 60_000))).toBeGreaterThanOrEqual(1);
    expect(await testDb.pendingCodeImport.count({ where: { token: young.token } })).toBe(0);
  });
});

describe("low-stock alert", () => {
  it("mails the admins once when issuing brings the stock to the threshold", async () => {
    const admin = await createUser(testDb, { roles: ["ADMIN"] });
    const product = await createRechargeProduct(testDb, { lowStockThreshold: 2 });
    await createRechargeCodes(testDb, product.id, 4);
    const { relay } = await createRelay(testDb);
    const staff = await createRelayMember(testDb, relay);
    await giveQuota(testDb, { relayId: relay.id, productId: product.id, period: parisMonthKey(new Date()), units: 4 });
    for (let i = 0; i < 4; i++) {
      const r = await issuing.issueRecharge({ relayId: relay.id, staffId: staff.id, productId: product.id, beneficiary: { reference: `L${i}`, ageBand: null, commune: null }, idempotencyKey: `low-${product.id}-${i}` });
      expect(r.ok).toBe(true);
    }
    const mails = await testDb.outboxMail.findMany({ where: { template: "recharge-low-stock", to: admin.email } });
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain(product.name);
  });
});

describe("stock figures", () => {
  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);

  it("tells issuable codes from those too close to their end (à écouler) and expired ones", async () => {
    const product = await createRechargeProduct(testDb, { minValidityDays: 7 });
    for (const days of [-3, -1, 0.1, 3, 6.9, 8, 20, 45]) await createRechargeCodeExpiring(testDb, product.id, inDays(days));
    const figures = (await stock.listProductStock()).find((p) => p.id === product.id)!;
    expect(figures).toMatchObject({ minValidityDays: 7, issuable: 3, expiringSoon: 2, toClear: 3, expired: 2, issued: 0 });
  });

  it("alerts on low stock counting issuable codes only", async () => {
    const admin = await createUser(testDb, { roles: ["ADMIN"] });
    const product = await createRechargeProduct(testDb, { lowStockThreshold: 1, minValidityDays: 7 });
    for (const days of [2, 3, 4]) await createRechargeCodeExpiring(testDb, product.id, inDays(days));
    await createRechargeCodes(testDb, product.id, 2);
    const { relay } = await createRelay(testDb);
    const staff = await createRelayMember(testDb, relay);
    await giveQuota(testDb, { relayId: relay.id, productId: product.id, period: parisMonthKey(new Date()), units: 2 });
    const issued = await issuing.issueRecharge({ relayId: relay.id, staffId: staff.id, productId: product.id, beneficiary: { reference: "S1", ageBand: null, commune: null }, idempotencyKey: `issuable-${product.id}` });
    expect(issued.ok).toBe(true);
    // One issuable code left (the threshold), three more that cannot be given: the team is told.
    const mails = await testDb.outboxMail.findMany({ where: { template: "recharge-low-stock", to: admin.email } });
    expect(mails).toHaveLength(1);
    expect((await stock.listProductStock()).find((p) => p.id === product.id)).toMatchObject({ issuable: 1, toClear: 3, low: true });
  });
});

describe("beneficiary retention", () => {
  it("purges records 12 months after their last recharge and keeps the journal without them", async () => {
    const product = await createRechargeProduct(testDb);
    await createRechargeCodes(testDb, product.id, 2);
    const { relay } = await createRelay(testDb);
    const staff = await createRelayMember(testDb, relay);
    const now = new Date();
    const longAgo = new Date(now.getTime() - 400 * 86_400_000);
    await giveQuota(testDb, { relayId: relay.id, productId: product.id, period: parisMonthKey(longAgo), units: 1 });
    await giveQuota(testDb, { relayId: relay.id, productId: product.id, period: parisMonthKey(now), units: 1 });
    const old = await issuing.issueRecharge({ relayId: relay.id, staffId: staff.id, productId: product.id, beneficiary: { reference: "ANCIEN-1", ageBand: "AGE_65_PLUS", commune: "Vaulx-en-Velin" }, idempotencyKey: `old-${relay.id}`, now: longAgo });
    const recent = await issuing.issueRecharge({ relayId: relay.id, staffId: staff.id, productId: product.id, beneficiary: { reference: "RECENT-1", ageBand: null, commune: null }, idempotencyKey: `new-${relay.id}`, now });
    expect(old.ok && recent.ok).toBe(true);

    const purged = await retention.purgeBeneficiaries(now, 12);
    expect(purged).toBeGreaterThanOrEqual(1);
    const left = await testDb.beneficiary.findMany({ where: { relayId: relay.id } });
    expect(left.map((b) => b.reference)).toEqual(["RECENT-1"]);
    const journal = await testDb.rechargeIssue.findMany({ where: { relayId: relay.id }, orderBy: { issuedAt: "asc" } });
    expect(journal).toHaveLength(2);
    expect(journal[0]!.beneficiaryId).toBeNull();
    expect(journal[1]!.beneficiaryId).toBe(left[0]!.id);
  });
});
