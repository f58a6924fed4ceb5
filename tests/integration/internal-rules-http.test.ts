/**
 * Issue 15, point 4, over HTTP against the built server: only staff edit the règlement
 * intérieur; bad input keeps the text typed with a French error; typed markup is shown as
 * text; a learner reads the version in force and only versions delivered to them.
 */
import { createCookie } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { testDatabaseUrl } from "../support/database";
import { createUser } from "../factories";
import { hashToken, newToken } from "../../app/modules/auth/tokens.server";
import { configureSqlite, createDb, type Db } from "../../app/utils/db.server";
import { providerOf } from "../../app/utils/db-adapter.server";

let app: AppServer;
let testDb: Db;
const PAGE = "/admin/reglement-interieur";
const BODY = `# Règlement intérieur\n\n<script>alert("x")</script>\n\n${"Les stagiaires respectent les consignes de sécurité du lieu de formation. ".repeat(4)}`;
const get = (path: string, cookie?: string) => fetch(`${app.url}${path}`, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
const post = (cookie: string, fields: Record<string, string>) =>
  fetch(`${app.url}${PAGE}`, { method: "POST", redirect: "manual", headers: { Origin: app.url, Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields) });

const sessionCookie = createCookie("maillon_session", { httpOnly: true, sameSite: "lax", path: "/" });
async function signedIn(roles: ("ADMIN" | "TRAINER")[] = []) {
  const user = await createUser(testDb, { roles });
  const token = newToken();
  const now = new Date();
  await testDb.authSession.create({ data: { userId: user.id, tokenHash: hashToken(token), lastSeenAt: now, expiresAt: new Date(now.getTime() + 12 * 3600_000) } });
  return { ...user, cookie: (await sessionCookie.serialize(token)).split(";")[0]! };
}

beforeAll(async () => {
  const url = testDatabaseUrl("internal_rules_http");
  app = await startAppServer({ databaseUrl: url, env: { SEED_DEMO_DATA: "never" } });
  testDb = createDb(url);
  if (providerOf(url) === "sqlite") await configureSqlite(testDb);
}, 120_000);

afterAll(async () => {
  await testDb?.$disconnect();
  await app?.stop();
});

describe("/admin/reglement-interieur", () => {
  it("is staff only: a learner or a trainer gets 403 and publishes nothing", async () => {
    for (const someone of [await signedIn(), await signedIn(["TRAINER"])]) {
      expect((await get(PAGE, someone.cookie)).status).toBe(403);
      expect((await post(someone.cookie, { body: BODY, baseNumber: "0" })).status).toBe(403);
    }
    expect((await get(PAGE)).status).toBe(302);
    expect(await testDb.internalRulesVersion.count()).toBe(0);
  });

  it("refuses a short text with a French error, keeping what was typed", async () => {
    const admin = await signedIn(["ADMIN"]);
    const res = await post(admin.cookie, { body: "Texte <b>court</b> tapé", baseNumber: "0" });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("trop court pour un règlement intérieur");
    expect(html).toContain("Texte &lt;b&gt;court&lt;/b&gt; tapé");
    expect(html).toMatch(/id="field-body"[^>]*aria-invalid="true"/);
    expect(await testDb.internalRulesVersion.count()).toBe(0);
  });

  it("publishes version 1, then a learner reads it as text; another version number is not theirs", async () => {
    const admin = await signedIn(["ADMIN"]);
    const res = await post(admin.cookie, { body: BODY, baseNumber: "0" });
    expect(res.status).toBe(302);
    expect((await testDb.internalRulesVersion.findFirstOrThrow()).number).toBe(1);
    const stale = await post(admin.cookie, { body: `${BODY}\nAjout.`, baseNumber: "0" });
    expect(stale.status).toBe(400);
    expect(await stale.text()).toContain("pendant que vous écriviez");

    const learner = await signedIn();
    const page = await get("/mon-espace/reglement-interieur", learner.cookie);
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toContain("no-store");
    const html = await page.text();
    expect(html).toContain("Version en vigueur");
    expect(html).not.toContain('<script>alert("x")</script>');
    expect(html).toContain("&lt;script&gt;");
    expect((await get("/mon-espace/reglement-interieur?version=7", learner.cookie)).status).toBe(404);
    expect((await get("/mon-espace/reglement-interieur")).status).toBe(302);
  });
});
