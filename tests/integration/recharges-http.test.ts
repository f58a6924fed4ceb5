/**
 * The recharge pages through the real server over HTTP (built app, database per
 * TEST_DATABASE): who may reach them, bad input answered with 400 and French messages next
 * to the fields, a double submission issuing once, the code shown once and the voucher only
 * shortly after, and a CSV in the wrong encoding refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postForm, startAppServer, type AppServer } from "../support/app-server";
import { testDatabaseUrl } from "../support/database";
import { createLoggedInLearner } from "../../bench/support/data";
import { createMembership } from "../factories";
import { createRechargeCodeExpiring, createRechargeCodes, createRechargeProduct, createRelay, certify, giveQuota } from "../recharge-factories";
import { readPdf } from "../support/pdf-text";
import { parseExpiry } from "../../app/modules/recharges/code-csv.rules";
import { configureSqlite, createDb, type Db } from "../../app/utils/db.server";
import { providerOf } from "../../app/utils/db-adapter.server";
import { parisMonthKey } from "../../app/utils/dates";

let app: AppServer;
let testDb: Db;
const get = (path: string, cookie?: string) => fetch(`${app.url}${path}`, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
const textOf = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/\s+/g, " ");

async function loggedIn(options: { admin?: boolean } = {}) {
  const person = await createLoggedInLearner(testDb);
  if (options.admin) await testDb.userRole.create({ data: { userId: person.id, role: "ADMIN" } });
  return person;
}

beforeAll(async () => {
  const url = testDatabaseUrl("recharges_http");
  app = await startAppServer({ databaseUrl: url, env: { SEED_DEMO_DATA: "never" } });
  testDb = createDb(url);
  if (providerOf(url) === "sqlite") await configureSqlite(testDb);
});

afterAll(async () => {
  await testDb?.$disconnect();
  await app?.stop();
});

describe("access", () => {
  it("sends anonymous visitors to the login page and refuses people without the right", async () => {
    expect((await get("/espace-relais/recharges")).status).toBe(302);
    expect((await get("/admin/recharges")).status).toBe(302);
    const learner = await loggedIn();
    expect((await get("/espace-relais/recharges", learner.cookie)).status).toBe(403);
    for (const path of ["/admin/recharges", "/admin/recharges/import", "/admin/recharges/quotas", "/admin/recharges/rapport", "/admin/recharges/rapport.csv"]) {
      expect((await get(path, learner.cookie)).status, path).toBe(403);
    }
    const admin = await loggedIn({ admin: true });
    const csv = await get("/admin/recharges/rapport.csv?mois=2026-11", admin.cookie);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(await csv.text()).toContain("mois;relais;recharge");
  });
});

describe("issuing over HTTP", () => {
  it("answers bad input with 400 and French messages, issues once for a double submission, shows the code once", async () => {
    const { relay } = await createRelay(testDb);
    const member = await loggedIn();
    await createMembership(testDb, { userId: member.id, structureId: relay.structureId });
    await certify(testDb, member.id, relay.requiredModuleId);
    const product = await createRechargeProduct(testDb);
    const [pin] = await createRechargeCodes(testDb, product.id, 3);
    await giveQuota(testDb, { relayId: relay.id, productId: product.id, period: parisMonthKey(new Date()), units: 3 });

    const page = await get("/espace-relais/recharges", member.cookie);
    expect(page.status).toBe(200);
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(await page.text())?.[1];
    expect(key).toBeTruthy();

    const bad = await postForm(app, "/espace-relais/recharges", { productId: "", reference: "Jean <Dupont>", ageBand: "", commune: "", idempotencyKey: key! }, { cookie: member.cookie });
    expect(bad.status).toBe(400);
    const badText = textOf(await bad.text());
    expect(badText).toContain("Choisissez une recharge.");
    expect(badText).toContain("Lettres, chiffres, espaces et . _ / - seulement.");

    const fields = { productId: product.id, reference: "D-2026-041", ageBand: "AGE_18_25", commune: "Vénissieux", idempotencyKey: key! };
    const [first, second] = await Promise.all([postForm(app, "/espace-relais/recharges", fields, { cookie: member.cookie }), postForm(app, "/espace-relais/recharges", fields, { cookie: member.cookie })]);
    expect(first.status).toBe(302);
    expect(second.headers.get("location")).toBe(first.headers.get("location"));
    expect(await testDb.rechargeIssue.count({ where: { relayId: relay.id } })).toBe(1);

    const issuePath = first.headers.get("location")!;
    // The GET never shows the code; the deliberate POST does.
    expect(textOf(await (await get(issuePath, member.cookie)).text()).replace(/ /g, "")).not.toContain(pin);
    const shown = textOf(await (await postForm(app, issuePath, { intent: "reveal" }, { cookie: member.cookie })).text());
    expect(shown.replace(/ /g, "")).toContain(pin);
    const voucher = await get(`${issuePath}/bon.pdf`, member.cookie);
    expect(voucher.status).toBe(200);
    expect(voucher.headers.get("content-type")).toBe("application/pdf");
    const again = textOf(await (await get(issuePath, member.cookie)).text());
    expect(again.replace(/ /g, "")).not.toContain(pin);
    expect(again).toContain(`•••• •••• ${pin!.slice(-4)}`);

    // Past the voucher window, the code cannot be printed again.
    const issueId = issuePath.split("/").pop()!;
    await testDb.rechargeIssue.update({ where: { id: issueId }, data: { codeRevealedAt: new Date(Date.now() - 11 * 60_000) } });
    expect((await get(`${issuePath}/bon.pdf`, member.cookie)).status).toBe(410);
    expect(await testDb.auditLog.count({ where: { entityId: issueId, action: { in: ["recharge.code_revealed", "recharge.voucher_printed"] } } })).toBe(2);

    // The relay declares a mistake; only staff give the quota unit back, once.
    expect((await postForm(app, issuePath, { reason: "" }, { cookie: member.cookie })).status).toBe(400);
    expect((await postForm(app, issuePath, { reason: "Mauvais produit choisi" }, { cookie: member.cookie })).status).toBe(302);
    const balance = async () => (await testDb.quotaBalance.findFirstOrThrow({ where: { relayId: relay.id } })).balance;
    expect(await balance()).toBe(2);
    expect((await postForm(app, "/admin/recharges/quotas", { intent: "restore", issueId, reason: "Erreur reconnue" }, { cookie: member.cookie })).status).toBe(403);
    const admin = await loggedIn({ admin: true });
    expect((await postForm(app, "/admin/recharges/quotas", { intent: "restore", issueId, reason: "Erreur reconnue" }, { cookie: admin.cookie })).status).toBe(302);
    expect((await postForm(app, "/admin/recharges/quotas", { intent: "restore", issueId, reason: "Erreur reconnue" }, { cookie: admin.cookie })).status).toBe(400);
    expect(await balance()).toBe(3);

    // A colleague of another relay cannot see it.
    const { relay: other } = await createRelay(testDb);
    const outsider = await loggedIn();
    await createMembership(testDb, { userId: outsider.id, structureId: other.structureId });
    expect((await get(issuePath, outsider.cookie)).status).toBe(404);
  });
});

describe("a member of two relays", () => {
  it("chooses the relay they act for before issuing, and issues for that one only", async () => {
    const first = await createRelay(testDb);
    const second = await createRelay(testDb);
    const member = await loggedIn();
    const product = await createRechargeProduct(testDb);
    await createRechargeCodes(testDb, product.id, 2);
    for (const { relay } of [first, second]) {
      await createMembership(testDb, { userId: member.id, structureId: relay.structureId });
      await certify(testDb, member.id, relay.requiredModuleId);
      await giveQuota(testDb, { relayId: relay.id, productId: product.id, period: parisMonthKey(new Date()), units: 1 });
    }

    // No choice yet: sent to the relay space to choose, for the page and for the form alike.
    const unchosen = await get("/espace-relais/recharges", member.cookie);
    expect(unchosen.status).toBe(302);
    expect(unchosen.headers.get("location")).toBe("/espace-relais");
    const fields = { productId: product.id, reference: "D-77", ageBand: "", commune: "", idempotencyKey: "two-relays-first-issue" };
    expect((await postForm(app, "/espace-relais/recharges", fields, { cookie: member.cookie })).headers.get("location")).toBe("/espace-relais");
    expect(await testDb.rechargeIssue.count({ where: { staffId: member.id } })).toBe(0);

    expect((await postForm(app, "/espace-relais", { intent: "act", structureId: second.relay.structureId }, { cookie: member.cookie })).status).toBe(302);
    const page = await get("/espace-relais/recharges", member.cookie);
    expect(page.status).toBe(200);
    expect(textOf(await page.text())).toContain(`Recharges — ${second.structure.name}`);
    const issued = await postForm(app, "/espace-relais/recharges", fields, { cookie: member.cookie });
    expect(issued.status).toBe(302);
    const issues = await testDb.rechargeIssue.findMany({ where: { staffId: member.id }, select: { relayId: true } });
    expect(issues).toEqual([{ relayId: second.relay.id }]);
  });
});


describe("expiry over HTTP", () => {
  it("shows the worker the expiry before and after issuing, refuses a product whose codes are all too short-lived, and prints it on the voucher", async () => {
    const { relay } = await createRelay(testDb);
    const member = await loggedIn();
    await createMembership(testDb, { userId: member.id, structureId: relay.structureId });
    await certify(testDb, member.id, relay.requiredModuleId);
    const period = parisMonthKey(new Date());
    // Valid through 31 July next year, as the operator's file says it: in summer time the
    // stored instant is midnight in Paris, the night after the last valid day.
    const year = new Date().getUTCFullYear() + 1;
    const longLived = await createRechargeProduct(testDb, { minValidityDays: 7 });
    await createRechargeCodeExpiring(testDb, longLived.id, parseExpiry(`${year}-07-31`)!);
    await createRechargeCodeExpiring(testDb, longLived.id, parseExpiry(`${year}-12-31`)!);
    await createRechargeCodeExpiring(testDb, longLived.id, new Date(Date.now() + 3 * 86_400_000)); // to clear, not given
    const shortLived = await createRechargeProduct(testDb, { minValidityDays: 7 });
    await createRechargeCodeExpiring(testDb, shortLived.id, new Date(Date.now() + 2 * 3600_000)); // expires today
    for (const product of [longLived, shortLived]) await giveQuota(testDb, { relayId: relay.id, productId: product.id, period, units: 2 });

    const page = await get("/espace-relais/recharges", member.cookie);
    expect(page.status).toBe(200);
    const html = await page.text();
    const text = textOf(html);
    expect(text).toContain(`Code valable au moins jusqu'au 31 juillet ${year} inclus.`);
    expect(text).toContain("Plus aucun code en stock valable encore 7 jours au moins : cette recharge ne peut pas être délivrée pour l'instant.");
    expect(new RegExp(`<input[^>]*value="${shortLived.id}"[^>]*disabled`).test(html) || new RegExp(`<input[^>]*disabled[^>]*value="${shortLived.id}"`).test(html)).toBe(true);
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(html)![1]!;

    // Sent anyway (an old tab, a crafted request): refused in French, nothing consumed, typed values kept.
    const refused = await postForm(app, "/espace-relais/recharges", { productId: shortLived.id, reference: "D-2026-090", ageBand: "", commune: "", idempotencyKey: key }, { cookie: member.cookie });
    expect(refused.status).toBe(400);
    const refusedHtml = await refused.text();
    expect(textOf(refusedHtml)).toContain(`Il n'y a plus de code « ${shortLived.name} » valable encore 7 jours au moins : rien n'a été délivré.`);
    expect(refusedHtml).toContain('value="D-2026-090"');
    expect(await testDb.rechargeCode.count({ where: { productId: shortLived.id, issuedAt: null } })).toBe(1);
    expect((await testDb.quotaBalance.findFirstOrThrow({ where: { relayId: relay.id, productId: shortLived.id } })).balance).toBe(2);

    const issued = await postForm(app, "/espace-relais/recharges", { productId: longLived.id, reference: "D-2026-090", ageBand: "", commune: "", idempotencyKey: key }, { cookie: member.cookie });
    expect(issued.status).toBe(302);
    const issuePath = issued.headers.get("location")!;
    const issueId = issuePath.split("/").pop()!;
    expect(textOf(await (await get(issuePath, member.cookie)).text())).toContain(`Code valable jusqu'au 31 juillet ${year} inclus.`);

    await testDb.rechargeIssue.update({ where: { id: issueId }, data: { codeRevealedAt: new Date() } });
    const voucher = await get(`${issuePath}/bon.pdf`, member.cookie);
    expect(voucher.status).toBe(200);
    const pdf = await readPdf(new Uint8Array(await voucher.arrayBuffer()));
    expect(pdf.text).toContain(`Code valable jusqu'au 31 juillet ${year} inclus`);
    expect(pdf.text).not.toContain("août");
  });

  it("lets staff set a product's least validity, with a French error for a bad value and nothing lost", async () => {
    const product = await createRechargeProduct(testDb);
    await createRechargeCodeExpiring(testDb, product.id, new Date(Date.now() + 3 * 86_400_000));
    await createRechargeCodeExpiring(testDb, product.id, new Date(Date.now() - 86_400_000));
    const admin = await loggedIn({ admin: true });
    const page = textOf(await (await get("/admin/recharges", admin.cookie)).text());
    expect(page).toContain("À écouler");
    expect(page).toContain("Expirés");

    const learner = await loggedIn();
    expect((await postForm(app, "/admin/recharges", { intent: "minValidity", productId: product.id, minValidityDays: "1" }, { cookie: learner.cookie })).status).toBe(403);

    for (const bad of ["", "abc", "-1", "2.5", "91"]) {
      const res = await postForm(app, "/admin/recharges", { intent: "minValidity", productId: product.id, minValidityDays: bad }, { cookie: admin.cookie });
      expect(res.status, bad).toBe(400);
      const html = await res.text();
      expect(textOf(html), bad).toContain("Indiquez un nombre entier de jours, de 0 à 90.");
      const input = new RegExp(`<input[^>]*id="field-minValidityDays-${product.id}"[^>]*>`).exec(html)?.[0];
      expect(input, bad).toContain(`value="${bad}"`);
      expect(input, bad).toContain('aria-invalid="true"');
    }
    expect((await testDb.rechargeProduct.findUniqueOrThrow({ where: { id: product.id } })).minValidityDays).toBe(7);
    const unknown = await postForm(app, "/admin/recharges", { intent: "minValidity", productId: "nope", minValidityDays: "3" }, { cookie: admin.cookie });
    expect(unknown.status).toBe(400);
    expect(textOf(await unknown.text())).toContain("Ce produit n'existe pas");

    const saved = await postForm(app, "/admin/recharges", { intent: "minValidity", productId: product.id, minValidityDays: " 2 " }, { cookie: admin.cookie });
    expect(saved.status).toBe(302);
    expect((await testDb.rechargeProduct.findUniqueOrThrow({ where: { id: product.id } })).minValidityDays).toBe(2);
    expect(await testDb.auditLog.count({ where: { entityId: product.id, action: "recharge.product_min_validity_set" } })).toBe(1);
  });
});
