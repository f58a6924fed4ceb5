/**
 * Issue 13, points 3 and 4, over HTTP against the built server (database per TEST_DATABASE):
 * an issue page and its mistake belong to its issuer (or a certified referent); the code is
 * shown on a deliberate POST only, again for two minutes to its issuer, never on a GET; and
 * every answer to a signed-in request is `Cache-Control: private, no-store` unless it is
 * public on purpose (checked by walking every page the demo roles reach).
 */
import { createCookie } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postForm, startAppServer, type AppServer } from "../support/app-server";
import { testDatabaseUrl } from "../support/database";
import { createMembership, createUser } from "../factories";
import { certify, createRechargeCodes, createRechargeProduct, createRelay, giveQuota } from "../recharge-factories";
import { hashToken, newToken } from "../../app/modules/auth/tokens.server";
import { configureSqlite, createDb, type Db } from "../../app/utils/db.server";
import { providerOf } from "../../app/utils/db-adapter.server";
import { parisMonthKey } from "../../app/utils/dates";
import { seedDemoData } from "../../prisma/seed";

let app: AppServer;
let testDb: Db;
const get = (path: string, cookie?: string, headers: Record<string, string> = {}) =>
  fetch(`${app.url}${path}`, { redirect: "manual", headers: { ...headers, ...(cookie ? { Cookie: cookie } : {}) } });
const textOf = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/\s+/g, " ");
const digits = (html: string) => textOf(html).replace(/ /g, "");

// The app's session cookie (app/modules/auth/session.server.ts), made as the app makes it, without the throttled login form.
const sessionCookie = createCookie("maillon_session", { httpOnly: true, sameSite: "lax", path: "/" });
async function cookieFor(userId: string): Promise<string> {
  const token = newToken();
  const now = new Date();
  await testDb.authSession.create({ data: { userId, tokenHash: hashToken(token), lastSeenAt: now, expiresAt: new Date(now.getTime() + 12 * 3600_000) } });
  return (await sessionCookie.serialize(token)).split(";")[0]!;
}

async function member(relay: { structureId: string; requiredModuleId: string }, options: { certified?: boolean; referent?: boolean } = {}) {
  const user = await createUser(testDb);
  await createMembership(testDb, { userId: user.id, structureId: relay.structureId, role: options.referent ? "REFERENT" : "MEMBER" });
  if (options.certified !== false) await certify(testDb, user.id, relay.requiredModuleId);
  return { ...user, cookie: await cookieFor(user.id) };
}

/** A relay with stock and quota, and an issue made through the form by a certified member. */
async function issued() {
  const { relay } = await createRelay(testDb);
  const issuer = await member(relay);
  const product = await createRechargeProduct(testDb);
  const pins = await createRechargeCodes(testDb, product.id, 3);
  await giveQuota(testDb, { relayId: relay.id, productId: product.id, period: parisMonthKey(new Date()), units: 3 });
  const fields = { productId: product.id, reference: "D-2026-113", ageBand: "", commune: "", idempotencyKey: `secrecy-${relay.id}` };
  const res = await postForm(app, "/espace-relais/recharges", fields, { cookie: issuer.cookie });
  expect(res.status).toBe(302);
  const issuePath = res.headers.get("location")!;
  return { relay, issuer, pin: pins[0]!, issuePath, issueId: issuePath.split("/").pop()! };
}

beforeAll(async () => {
  const url = testDatabaseUrl("recharge_secrecy_http");
  app = await startAppServer({ databaseUrl: url, env: { SEED_DEMO_DATA: "never" } });
  testDb = createDb(url);
  if (providerOf(url) === "sqlite") await configureSqlite(testDb);
  await seedDemoData(testDb);
}, 120_000);

afterAll(async () => {
  await testDb?.$disconnect();
  await app?.stop();
});

describe("an issue page is its issuer's business", () => {
  it("opens for its issuer and certified colleagues, not for an uncertified colleague", async () => {
    const { relay, issuer, issuePath } = await issued();
    const certified = await member(relay);
    const uncertified = await member(relay, { certified: false });
    const uncertifiedReferent = await member(relay, { certified: false, referent: true });
    expect((await get(issuePath, issuer.cookie)).status).toBe(200);
    expect((await get(issuePath, certified.cookie)).status).toBe(200);
    for (const someone of [uncertified, uncertifiedReferent]) {
      const refused = await get(issuePath, someone.cookie);
      expect(refused.status).toBe(403);
      const text = textOf(await refused.text());
      expect(text).toContain("Seuls les membres certifiés du relais peuvent consulter");
      expect(text).not.toContain("D-2026-113");
    }
    // Another relay's member does not learn it exists.
    const { relay: other } = await createRelay(testDb);
    expect((await get(issuePath, (await member(other)).cookie)).status).toBe(404);
  });

  it("lets only its certified issuer, or a certified referent, declare a mistake, within 15 minutes", async () => {
    const { relay, issuePath, issueId } = await issued();
    const colleague = await member(relay);
    const uncertified = await member(relay, { certified: false });
    const uncertifiedReferent = await member(relay, { certified: false, referent: true });
    const referent = await member(relay, { referent: true });
    const reason = { reason: "Mauvais produit choisi" };

    // The form is shown to those who may use it only.
    expect(textOf(await (await get(issuePath, colleague.cookie)).text())).not.toContain("Déclarer l'erreur");
    expect(textOf(await (await get(issuePath, referent.cookie)).text())).toContain("Déclarer l'erreur");

    // A colleague's, an uncertified member's or an uncertified referent's declaration is refused, and changes nothing.
    for (const someone of [colleague, uncertified, uncertifiedReferent]) {
      const refused = await postForm(app, issuePath, reason, { cookie: someone.cookie });
      expect(refused.status).toBe(403);
    }
    expect(textOf(await (await postForm(app, issuePath, reason, { cookie: colleague.cookie })).text())).toContain("Seule la personne qui a délivré cette recharge");
    expect(textOf(await (await postForm(app, issuePath, reason, { cookie: uncertified.cookie })).text())).toContain("Seuls les membres certifiés du relais peuvent déclarer une erreur");
    expect((await testDb.rechargeIssue.findUniqueOrThrow({ where: { id: issueId } })).mistakeDeclaredAt).toBeNull();

    // A certified referent may, on a colleague's issue.
    expect((await postForm(app, issuePath, reason, { cookie: referent.cookie })).status).toBe(302);
    const audit = await testDb.auditLog.findFirstOrThrow({ where: { entityId: issueId, action: "recharge.mistake_declared" } });
    expect(audit.actorId).toBe(referent.id);

    // Its issuer, past the 15 minutes, may not.
    const late = await issued();
    await testDb.rechargeIssue.update({ where: { id: late.issueId }, data: { issuedAt: new Date(Date.now() - 16 * 60_000) } });
    const tooLate = await postForm(app, late.issuePath, reason, { cookie: late.issuer.cookie });
    expect(tooLate.status).toBe(400);
    expect(textOf(await tooLate.text())).toContain("Le délai de 15 minutes");
  });
});

describe("the code is shown on a deliberate POST only", () => {
  it("never on a GET, even a prefetch; on the POST, again for two minutes to its issuer only", async () => {
    const { relay, issuer, pin, issuePath, issueId } = await issued();
    const revealedAt = async () => (await testDb.rechargeIssue.findUniqueOrThrow({ where: { id: issueId } })).codeRevealedAt;

    // GETs (the redirect after issuing, a prefetch, a reload) neither show nor spend it.
    for (const headers of [{}, { "Sec-Purpose": "prefetch" }, { Purpose: "prefetch" }] as Record<string, string>[]) {
      const page = await get(issuePath, issuer.cookie, headers);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(digits(html)).not.toContain(pin);
      expect(textOf(html)).toContain("Afficher le code");
    }
    expect(await revealedAt()).toBeNull();

    // A certified colleague cannot have it shown, and does not spend it.
    const colleague = await member(relay);
    const refused = await postForm(app, issuePath, { intent: "reveal" }, { cookie: colleague.cookie });
    expect(refused.status).toBe(403);
    expect(digits(await refused.text())).not.toContain(pin);
    expect(await revealedAt()).toBeNull();

    // The form sent twice (a double click, a lost answer): both answers carry the code.
    const [first, second] = await Promise.all([1, 2].map(() => postForm(app, issuePath, { intent: "reveal" }, { cookie: issuer.cookie })));
    for (const answer of [first!, second!]) {
      expect(answer.status).toBe(200);
      expect(answer.headers.get("cache-control")).toBe("private, no-store");
      expect(digits(await answer.text())).toContain(pin);
    }
    // Afterwards the page offers it again until two minutes after the first showing, masked meanwhile.
    const between = textOf(await (await get(issuePath, issuer.cookie)).text());
    expect(between.replace(/ /g, "")).not.toContain(pin);
    expect(between).toContain("Afficher à nouveau le code");

    // Past the two minutes it stays masked, on the page and on the POST.
    await testDb.rechargeIssue.update({ where: { id: issueId }, data: { codeRevealedAt: new Date(Date.now() - 3 * 60_000) } });
    const later = textOf(await (await get(issuePath, issuer.cookie)).text());
    expect(later).not.toContain("Afficher");
    expect(later).toContain(`•••• •••• ${pin.slice(-4)}`);
    expect(later).toContain("masqué : il a déjà été affiché");
    const tooLate = await postForm(app, issuePath, { intent: "reveal" }, { cookie: issuer.cookie });
    expect(tooLate.status).toBe(403);
    expect(digits(await tooLate.text())).not.toContain(pin);
    expect(await testDb.auditLog.count({ where: { entityId: issueId, action: "recharge.code_revealed" } })).toBe(2);
  });

  it("is not shown after a declared mistake", async () => {
    const { issuer, pin, issuePath } = await issued();
    expect((await postForm(app, issuePath, { reason: "Mauvaise personne" }, { cookie: issuer.cookie })).status).toBe(302);
    const answer = await postForm(app, issuePath, { intent: "reveal" }, { cookie: issuer.cookie });
    expect(answer.status).toBe(403);
    expect(digits(await answer.text())).not.toContain(pin);
  });
});

describe("Cache-Control", () => {
  it("sends the issue page, the code's answer, the voucher and the relay's recharges private and not stored", async () => {
    const { issuer, issuePath } = await issued();
    expect((await get(issuePath, issuer.cookie)).headers.get("cache-control")).toBe("private, no-store");
    expect((await postForm(app, issuePath, { intent: "reveal" }, { cookie: issuer.cookie })).headers.get("cache-control")).toBe("private, no-store");
    const voucher = await get(`${issuePath}/bon.pdf`, issuer.cookie);
    expect(voucher.status).toBe(200);
    expect(voucher.headers.get("cache-control")).toBe("private, no-store");
    expect((await get("/espace-relais/recharges", issuer.cookie)).headers.get("cache-control")).toBe("private, no-store");
    // Errors and redirects too: a 403, a login redirect.
    expect((await get(issuePath)).headers.get("cache-control")).toBe("private, no-store");
  });

  it("keeps the public answers cacheable as before: assets, the anonymous catalogue, open data", async () => {
    const home = await (await get("/formations")).text();
    const asset = /\/assets\/[\w.-]+\.(?:js|css)/.exec(home)?.[0];
    expect(asset).toBeTruthy();
    expect((await get(asset!)).headers.get("cache-control")).toMatch(/max-age=31536000.*immutable|immutable.*max-age=31536000/);
    expect((await get("/formations")).headers.get("cache-control")).toBe("private, no-cache");
    expect((await get("/relais/donnees.csv")).headers.get("cache-control")).toBe("public, max-age=300");
  });

  // Answers that are public on purpose, whoever asks.
  const PUBLIC_ON_PURPOSE = new Set(["/relais/donnees.csv", "/relais/donnees.json", "/certificats/cle-publique"]);

  it.each([
    ["admin", "admin@maillon.localhost", ["/admin/recharges/rapport.csv", "/admin", "/admin/sessions", "/admin/inscriptions", "/admin/recharges", "/admin/rapports", "/admin/relais"]],
    ["trainer", "formatrice@maillon.localhost", ["/formateur", "/mon-espace"]],
    ["relay referent", "referente@maillon.localhost", ["/mon-espace", "/ma-structure", "/espace-relais"]],
    ["certified relay member", "minh-khai.nguyen@maillon.localhost", ["/espace-relais/recharges", "/mon-espace"]],
    ["learner", "stagiaire@maillon.localhost", ["/mon-espace", "/formations"]],
  ])("sends every page and file the demo %s reaches private and not stored", async (_role, email, entries) => {
    const user = await testDb.user.findUniqueOrThrow({ where: { email }, select: { id: true } });
    const cookie = await cookieFor(user.id);
    const queue = [...entries];
    const seen = new Set<string>(queue);
    const wrong: string[] = [];
    const files: string[] = [];
    // A breadth-first walk of the links (GET only: nothing is changed), up to a bound per role.
    while (queue.length && seen.size <= 90) {
      const path = queue.shift()!;
      const res = await get(path, cookie);
      const cacheControl = res.headers.get("cache-control");
      const type = res.headers.get("content-type") ?? "";
      // The certificates' status lists (one per year) and the issuer's DID document are public too.
      const publicOnPurpose = PUBLIC_ON_PURPOSE.has(path.split("?")[0]!) || /^\/certificats\/statuts\/\d{4}$/.test(path) || path === "/.well-known/did.json";
      if (!publicOnPurpose && cacheControl !== "private, no-store") wrong.push(`${path} (${res.status}): ${cacheControl}`);
      if (!type.startsWith("text/html")) {
        files.push(`${path} ${type}`);
        await res.arrayBuffer();
        continue;
      }
      for (const [, href] of (await res.text()).matchAll(/href="(\/[^"#]*)"/g)) {
        const link = href!.replace(/&amp;/g, "&");
        if (link.startsWith("//") || link.startsWith("/assets/") || /\.(?:css|ico|svg|png|webmanifest)$/.test(link) || seen.has(link)) continue;
        seen.add(link);
        queue.push(link);
      }
    }
    expect(wrong, `answers without private, no-store:\n${wrong.join("\n")}`).toEqual([]);
    expect(seen.size).toBeGreaterThan(entries.length);
    if (_role === "trainer") expect(files.some((f) => f.includes("application/pdf")), files.join("\n")).toBe(true);
    if (_role === "admin") expect(files.some((f) => f.includes("text/csv")), files.join("\n")).toBe(true);
  }, 120_000);
});
