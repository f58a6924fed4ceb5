/**
 * Issue 13, point 6, over HTTP against the built server (database per TEST_DATABASE): the
 * code import as staff use it. A 100,000-line file as French Excel writes it goes through
 * the real multipart form; the encoding is named in the preview; a file whose every line is
 * refused lists them with a full report to download (its author's only, never cached); the
 * import route takes the size its page announces while every other form keeps 1 MB, and a
 * refusal is a French HTML page; a preview is confirmed once, by its author, on any instance.
 */
import { createCookie } from "@remix-run/node";
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postForm, startAppServer, type AppServer } from "../support/app-server";
import { testDatabaseUrl } from "../support/database";
import { encodeWindows1252 } from "../support/windows-1252";
import { createUser } from "../factories";
import { createRechargeProduct } from "../recharge-factories";
import { hashToken, newToken } from "../../app/modules/auth/tokens.server";
import { configureSqlite, createDb, type Db } from "../../app/utils/db.server";
import { providerOf } from "../../app/utils/db-adapter.server";

let app: AppServer;
let testDb: Db;
const IMPORT = "/admin/recharges/import";
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");

const sessionCookie = createCookie("maillon_session", { httpOnly: true, sameSite: "lax", path: "/" });
async function admin(): Promise<{ id: string; cookie: string }> {
  const user = await createUser(testDb, { roles: ["ADMIN"] });
  const token = newToken();
  const now = new Date();
  await testDb.authSession.create({ data: { userId: user.id, tokenHash: hashToken(token), lastSeenAt: now, expiresAt: new Date(now.getTime() + 12 * 3600_000) } });
  return { id: user.id, cookie: (await sessionCookie.serialize(token)).split(";")[0]! };
}

function upload(cookie: string, bytes: Uint8Array<ArrayBuffer>, filename = "codes.csv") {
  const form = new FormData();
  form.set("intent", "preview");
  form.set("file", new Blob([bytes], { type: "text/csv" }), filename);
  return fetch(`${app.url}${IMPORT}`, { method: "POST", redirect: "manual", headers: { Origin: app.url, Cookie: cookie }, body: form });
}
const tokenOf = (html: string) => /name="token" value="([a-f0-9]{32})"/.exec(html)?.[1];
const confirm = (cookie: string, token: string) => postForm(app, IMPORT, { intent: "confirm", token }, { cookie });

/** A raw request, for bodies a browser would not send (no declared length). */
function rawPost(path: string, headers: Record<string, string>, chunks: string[]): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${app.url}${path}`, { method: "POST", headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"]), body }));
    });
    req.on("error", reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

beforeAll(async () => {
  const url = testDatabaseUrl("code_import_http");
  app = await startAppServer({ databaseUrl: url, env: { SEED_DEMO_DATA: "never" } });
  testDb = createDb(url);
  if (providerOf(url) === "sqlite") await configureSqlite(testDb);
}, 120_000);

afterAll(async () => {
  await testDb?.$disconnect();
  await app?.stop();
});

describe("a file as French Excel writes it", () => {
  it("imports 100,000 lines in Windows-1252 with semicolons through the form, naming the encoding in the preview", async () => {
    const staff = await admin();
    const product = await createRechargeProduct(testDb, { name: "Forfait l’Essentiel été" });
    const lines = Array.from({ length: 100_000 }, (_, i) => `${product.name};${String(60_000_000_000_000 + i)};31/12/2031`);
    const file = encodeWindows1252(["Produit;Code;Date d’expiration", ...lines].join("\r\n") + "\r\n");
    expect(file.byteLength).toBeGreaterThan(3_900_000); // over the 1 MB every other form keeps

    const preview = await upload(staff.cookie, file, "lot décembre.csv");
    const html = await preview.text();
    expect(preview.status).toBe(200);
    expect(preview.headers.get("cache-control")).toBe("private, no-store");
    const text = textOf(html);
    expect(text).toContain("Encodage lu : Windows-1252");
    expect(text).toContain("Prévisualisation de lot décembre.csv");
    // The accented, typographic name read right: the product was recognised on every line.
    expect(text).toContain(`${product.name} : 100 000`);
    expect(text).toContain("0 ligne(s) refusée(s)");
    expect(await testDb.rechargeCode.count({ where: { productId: product.id } })).toBe(0); // nothing before confirmation

    const confirmed = await confirm(staff.cookie, tokenOf(html)!);
    expect(confirmed.status).toBe(302);
    expect(confirmed.headers.get("location")).toBe("/admin/recharges");
    expect(await testDb.rechargeCode.count({ where: { productId: product.id } })).toBe(100_000);
    expect(await testDb.codeImport.findFirst({ where: { importedById: staff.id }, select: { filename: true, count: true } })).toEqual({ filename: "lot décembre.csv", count: 100_000 });
  }, 120_000);

  it("reads an ISO-8859-1 file (a single é) as Windows-1252 instead of refusing it", async () => {
    const staff = await admin();
    const product = await createRechargeProduct(testDb, { name: "Recharge données été" });
    const res = await upload(staff.cookie, encodeWindows1252(`produit;code;expiration\n${product.name};40404040404040;2031-01-31\n`), "latin1.csv");
    expect(res.status).toBe(200);
    const text = textOf(await res.text());
    expect(text).toContain("Encodage lu : Windows-1252");
    expect(text).toContain(`${product.name} : 1`);
  });
});

describe("a file whose every line is refused", () => {
  it("lists the first 200 refusals with their reasons and offers the full report to its author only, never cached", async () => {
    const staff = await admin();
    const product = await createRechargeProduct(testDb);
    const lines = Array.from({ length: 250 }, (_, i) => (i % 2 ? `Produit inconnu;${String(50_000_000_000_000 + i)};2031-01-31` : `${product.name};123;2031-01-31`));
    const res = await upload(staff.cookie, new TextEncoder().encode(["produit;code;expiration", ...lines].join("\n")), "tout-refusé.csv");
    expect(res.status).toBe(400);
    const html = await res.text();
    const text = textOf(html);
    expect(text).toContain("ses 250 lignes sont toutes refusées");
    expect(text).toContain("Lignes refusées (les 200 premières)");
    expect(html.match(/<tr><td>\d+<\/td>/g)?.length).toBe(200);
    expect(text).toContain("3 Produit inconnu : « Produit inconnu ».");
    expect(tokenOf(html)).toBeUndefined(); // nothing to confirm

    const link = /href="(\/admin\/recharges\/import\/lignes-refusees\/[a-f0-9]{32})"/.exec(html)?.[1];
    expect(link).toBeDefined();
    const report = await fetch(`${app.url}${link}`, { headers: { Cookie: staff.cookie } });
    expect(report.status).toBe(200);
    expect(report.headers.get("content-type")).toContain("text/csv");
    expect(report.headers.get("cache-control")).toBe("private, no-store");
    expect(report.headers.get("content-disposition")).toContain("lignes-refusees-tout-refus");
    const rows = (await report.text()).replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(rows[0]).toBe("ligne;produit;raison");
    expect(rows).toHaveLength(251);
    expect(rows[1]).toMatch(/^2;/);
    expect(rows.at(-1)).toMatch(/^251;/);

    // Another admin, or nobody, cannot read it.
    const colleague = await admin();
    expect((await fetch(`${app.url}${link}`, { headers: { Cookie: colleague.cookie } })).status).toBe(404);
    const anonymous = await fetch(`${app.url}${link}`, { redirect: "manual" });
    expect(anonymous.status).toBe(302);
    expect(await testDb.rechargeCode.count({ where: { productId: product.id } })).toBe(0);
  });
});

describe("a preview is confirmed once, by its author", () => {
  it("refuses the token to another admin, a second confirmation, and a forged token", async () => {
    const staff = await admin();
    const colleague = await admin();
    const product = await createRechargeProduct(testDb);
    const res = await upload(staff.cookie, new TextEncoder().encode(`produit;code;expiration\n${product.name};30303030303030;2031-01-31\n`));
    const token = tokenOf(await res.text())!;

    const stolen = await confirm(colleague.cookie, token);
    expect(stolen.status).toBe(400);
    expect(textOf(await stolen.text())).toContain("Cette prévisualisation n'est plus disponible");
    expect(await testDb.rechargeCode.count({ where: { productId: product.id } })).toBe(0);

    const [first, second] = await Promise.all([confirm(staff.cookie, token), confirm(staff.cookie, token)]);
    expect([first.status, second.status].sort()).toEqual([302, 400]);
    expect(await testDb.rechargeCode.count({ where: { productId: product.id } })).toBe(1);
    expect((await confirm(staff.cookie, "../../etc/passwd")).status).toBe(400);
  });

  it("warns before confirmation about codes expiring within the product's minimal validity", async () => {
    const staff = await admin();
    const product = await createRechargeProduct(testDb, { name: "Forfait court" });
    await testDb.rechargeProduct.update({ where: { id: product.id }, data: { minValidityDays: 10 } });
    const soon = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const csv = `produit;code;expiration\n${product.name};20202020202020;${soon}\n${product.name};20202020202021;2031-01-31\n`;
    const text = textOf(await (await upload(staff.cookie, new TextEncoder().encode(csv))).text());
    expect(text).toContain("Forfait court : 2 — Attention : 1 code expire dans moins de 10 jours (la validité minimale du produit) : il sera importé mais jamais délivré.");
  });

  it("refuses a preview past its hour, before any sweep", async () => {
    const staff = await admin();
    const product = await createRechargeProduct(testDb);
    const html = await (await upload(staff.cookie, new TextEncoder().encode(`produit;code;expiration\n${product.name};10101010101010;2031-01-31\n`))).text();
    const token = tokenOf(html)!;
    const stored = await testDb.pendingCodeImport.findUniqueOrThrow({ where: { token } });
    expect(stored.content).not.toContain("10101010101010"); // the file waits encrypted
    await testDb.pendingCodeImport.update({ where: { token }, data: { createdAt: new Date(Date.now() - 61 * 60_000) } });
    const late = await confirm(staff.cookie, token);
    expect(late.status).toBe(400);
    expect(textOf(await late.text())).toContain("Cette prévisualisation n'est plus disponible");
    expect(await testDb.rechargeCode.count({ where: { productId: product.id } })).toBe(0);
  });
});

describe("body limits", () => {
  it("takes the size the import page announces, and answers a bigger file with a French HTML page", async () => {
    const staff = await admin();
    const page = textOf(await (await fetch(`${app.url}${IMPORT}`, { headers: { Cookie: staff.cookie } })).text());
    expect(page).toContain("Fichier CSV de 10 Mo au plus");
    const tooBig = new Uint8Array(10 * 1024 * 1024 + 100 * 1024).fill(0x41);
    const res = await upload(staff.cookie, tooBig);
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toContain("text/html");
    const text = textOf(await res.text());
    expect(text).toContain("Le fichier dépasse 10 Mo");
    expect(text).toContain("Revenir au formulaire");
  });

  it("keeps every other form at 1 MB, with the same kind of page, however the path is written", async () => {
    for (const path of ["/connexion", "/Admin/Recharges/Import/../quotas", "/admin/recharges/import.data/x"]) {
      const res = await fetch(`${app.url}${path}`, {
        method: "POST",
        headers: { Origin: app.url, "Content-Type": "application/x-www-form-urlencoded" },
        body: `email=${"a".repeat(2 * 1024 * 1024)}`,
      });
      expect(res.status, path).toBe(413);
      expect(res.headers.get("content-type")).toContain("text/html");
      expect(textOf(await res.text())).toContain("1 Mo au plus pour un formulaire");
    }
  });

  it("refuses a body that does not declare its length", async () => {
    const res = await rawPost("/connexion", { Origin: app.url, "Content-Type": "application/x-www-form-urlencoded", "Transfer-Encoding": "chunked" }, ["email=a", "&password=b"]);
    expect(res.status).toBe(411);
    expect(res.type).toContain("text/html");
    expect(textOf(res.body)).toContain("La requête n'annonce pas la taille des données envoyées");
  });
});
