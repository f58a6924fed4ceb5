/**
 * Issue 14, point 2, over HTTP against the built server (database per TEST_DATABASE): the
 * organisation's identity is data staff set at /admin/organisation. Bad input is refused
 * next to its field with nothing lost; a logo is checked (type, size, scripts in SVG) and
 * served sandboxed; documents, mails and legal pages read the identity; a certificate keeps
 * the identity it was issued under when the organisation's changes.
 */
import { createCookie } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { testDatabaseUrl } from "../support/database";
import { normaliseSpaces, readPdf } from "../support/pdf-text";
import { createCertificate, createEnrolment, createModule, createSession, createStructure, createUser } from "../factories";
import { hashToken, newToken } from "../../app/modules/auth/tokens.server";
import { DEMO_IDENTITY } from "../../app/modules/organisation/identity.rules";
import { configureSqlite, createDb, type Db } from "../../app/utils/db.server";
import { providerOf } from "../../app/utils/db-adapter.server";

let app: AppServer;
let testDb: Db;
const PAGE = "/admin/organisation";
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
const get = (path: string, cookie?: string) => fetch(`${app.url}${path}`, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });

const sessionCookie = createCookie("maillon_session", { httpOnly: true, sameSite: "lax", path: "/" });
async function signedIn(roles: ("ADMIN" | "TRAINER")[] = []) {
  const user = await createUser(testDb, { roles });
  const token = newToken();
  const now = new Date();
  await testDb.authSession.create({ data: { userId: user.id, tokenHash: hashToken(token), lastSeenAt: now, expiresAt: new Date(now.getTime() + 12 * 3600_000) } });
  return { ...user, cookie: (await sessionCookie.serialize(token)).split(";")[0]! };
}

const { id: _id, hasLogo: _hasLogo, logoType: _logoType, ...DEMO_FIELDS } = DEMO_IDENTITY;
const IDENTITY_A = {
  ...DEMO_FIELDS,
  name: "Lien Numérique Rhône",
  street: "8 rue Saint-Jérôme",
  postalCode: "69007",
  city: "Lyon",
  siret: "26690048900011",
  nda: "84691234569",
  ndaRegion: "Auvergne-Rhône-Alpes",
  email: "formation@lien-numerique.example",
  phone: "04 72 00 00 00",
  signatoryName: "Aïcha Benali",
  signatoryTitle: "Présidente",
  documentMentions: "Exonération de TVA : article 261-4-4° a du CGI.",
};
const IDENTITY_B = { ...IDENTITY_A, name: "Association Passerelles Numériques", signatoryName: "Jean-Éric Ngô", email: "contact@passerelles.example" };

// The smallest valid PNG: 1×1 transparent pixel.
const PNG = Uint8Array.from(
  Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64"),
);

function postIdentity(cookie: string, fields: Record<string, string>, logo?: { bytes: Uint8Array<ArrayBuffer>; name: string; type: string }) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  if (logo) form.set("logo", new Blob([logo.bytes], { type: logo.type }), logo.name);
  return fetch(`${app.url}${PAGE}`, { method: "POST", redirect: "manual", headers: { Origin: app.url, Cookie: cookie }, body: form });
}

async function certificatePdfText(holderCookie: string, id: string) {
  const res = await get(`/mon-espace/certificats/${id}/document.pdf`, holderCookie);
  expect(res.status).toBe(200);
  return normaliseSpaces((await readPdf(new Uint8Array(await res.arrayBuffer()))).text);
}

beforeAll(async () => {
  const url = testDatabaseUrl("organisation_identity_http");
  app = await startAppServer({ databaseUrl: url, env: { SEED_DEMO_DATA: "never" } });
  testDb = createDb(url);
  if (providerOf(url) === "sqlite") await configureSqlite(testDb);
}, 120_000);

afterAll(async () => {
  await testDb?.$disconnect();
  await app?.stop();
});

describe("who may set the identity", () => {
  it("is staff only: a learner or a trainer cannot read the page nor post to it", async () => {
    for (const someone of [await signedIn(), await signedIn(["TRAINER"])]) {
      expect((await get(PAGE, someone.cookie)).status).toBe(403);
      expect((await postIdentity(someone.cookie, IDENTITY_A)).status).toBe(403);
    }
    expect((await get(PAGE)).status).toBe(302); // to the login page
    expect(await testDb.organisationIdentity.count()).toBe(0);
  });
});

describe("the identity page", () => {
  it("says the demonstration values are printed until an identity is saved", async () => {
    const admin = await signedIn(["ADMIN"]);
    const text = textOf(await (await get(PAGE, admin.cookie)).text());
    expect(text).toContain("L'identité n'a pas encore été renseignée");
    expect(text).toContain(DEMO_IDENTITY.name);
  });

  it("refuses bad input next to each field, keeping what was typed, and saves nothing", async () => {
    const admin = await signedIn(["ADMIN"]);
    const res = await postIdentity(admin.cookie, { ...IDENTITY_A, siret: "00000000000000", nda: "123", email: "pas-une-adresse", city: "Villeurbanne" });
    expect(res.status).toBe(400);
    const html = await res.text();
    const text = textOf(html);
    expect(text).toContain("un même chiffre répété");
    expect(text).toContain("11 chiffres");
    expect(text).toContain("Adresse e-mail invalide");
    expect(html).toMatch(/id="field-siret"[^>]*aria-invalid="true"/);
    expect(html).toContain('value="Villeurbanne"');
    expect(html).toContain('value="Aïcha Benali"');
    expect(await testDb.organisationIdentity.count()).toBe(0);
  });

  it("refuses an SVG logo with a script, and says to choose the logo again when another field is wrong", async () => {
    const admin = await signedIn(["ADMIN"]);
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" onload="fetch(\'/admin\')"><circle r="4"/></svg>');
    const res = await postIdentity(admin.cookie, IDENTITY_A, { bytes: svg, name: "logo.svg", type: "image/svg+xml" });
    expect(res.status).toBe(400);
    expect(textOf(await res.text())).toContain("Ce logo SVG contient un attribut d'événement");
    const png = await postIdentity(admin.cookie, { ...IDENTITY_A, postalCode: "690" }, { bytes: PNG, name: "logo.png", type: "image/png" });
    expect(png.status).toBe(400);
    expect(textOf(await png.text())).toContain("Le logo n'a pas été enregistré avec le reste : choisissez-le à nouveau.");
    expect(await testDb.organisationIdentity.count()).toBe(0);
  });

  it("answers a 20 MB logo with a French page before reading it", async () => {
    const admin = await signedIn(["ADMIN"]);
    const big = new Uint8Array(20 * 1024 * 1024);
    big.set(PNG);
    const res = await postIdentity(admin.cookie, IDENTITY_A, { bytes: big, name: "logo.png", type: "image/png" });
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(textOf(await res.text())).toContain("Le logo dépasse 500 Ko");
    expect(await testDb.organisationIdentity.count()).toBe(0);
  });
});

describe("documents keep the identity they were issued under", () => {
  it("prints the saved identity on new documents, mails and legal pages, and an older certificate keeps its own", async () => {
    const admin = await signedIn(["ADMIN"]);
    const saved = await postIdentity(admin.cookie, IDENTITY_A, { bytes: PNG, name: "logo.png", type: "image/png" });
    expect(saved.status).toBe(302);
    const a = await testDb.organisationIdentity.findFirstOrThrow({ where: { name: IDENTITY_A.name } });
    expect(a).toMatchObject({ siret: IDENTITY_A.siret, logoType: "image/png", createdById: admin.id });
    expect(await testDb.auditLog.count({ where: { action: "organisation.identity_changed", entityId: a.id, actorId: admin.id } })).toBe(1);

    // The logo is public, immutable, and sandboxed.
    const logo = await get(`/organisation/logo/${a.id}`);
    expect(logo.status).toBe(200);
    expect(logo.headers.get("content-type")).toBe("image/png");
    expect(logo.headers.get("cache-control")).toContain("immutable");
    expect(logo.headers.get("content-security-policy")).toContain("sandbox");
    expect(new Uint8Array(await logo.arrayBuffer())).toEqual(PNG);

    // A certificate issued now.
    const holder = await signedIn();
    const module = await createModule(testDb, { title: "Accompagner les démarches en ligne" });
    const session = await createSession(testDb, { moduleId: module.id, days: 1 });
    const structure = await createStructure(testDb);
    const enrolment = await createEnrolment(testDb, { sessionId: session.id, userId: holder.id, structureId: structure.id, status: "CONFIRMED" });
    const before = await createCertificate(testDb, { enrolmentId: enrolment.id, kind: "COMPLETION" });

    // The organisation changes its name and signatory: the logo stays unless replaced.
    expect((await postIdentity(admin.cookie, IDENTITY_B)).status).toBe(302);
    const b = await testDb.organisationIdentity.findFirstOrThrow({ where: { name: IDENTITY_B.name } });
    expect(b.logoType).toBe("image/png");
    const after = await createCertificate(testDb, { enrolmentId: enrolment.id, kind: "END_OF_TRAINING" });

    const oldText = await certificatePdfText(holder.cookie, before.id);
    expect(oldText).toContain(IDENTITY_A.name);
    expect(oldText).toContain("Aïcha Benali, Présidente");
    expect(oldText).toContain("84 69 12345 69");
    expect(oldText).not.toContain(IDENTITY_B.name);
    const oldPdf = await (await get(`/mon-espace/certificats/${before.id}/document.pdf`, holder.cookie)).arrayBuffer();
    expect(Buffer.from(oldPdf).toString("latin1")).toContain("/Subtype /Image"); // the PNG logo
    const newText = await certificatePdfText(holder.cookie, after.id);
    expect(newText).toContain(IDENTITY_B.name);
    expect(newText).toContain("Jean-Éric Ngô, Présidente");
    expect(newText).toContain("Exonération de TVA : article 261-4-4° a du CGI.");

    const badge = await (await get(`/certificats/verifier/${before.verificationCode}/open-badge.json`)).json();
    expect(badge.issuer.name).toBe(IDENTITY_A.name);

    // Legal pages and mails read the current one (cached a few seconds per process).
    await new Promise((r) => setTimeout(r, 5200));
    const legal = textOf(await (await get("/mentions-legales")).text()).replace(/ ([,.])/g, "$1");
    expect(legal).toContain(`${IDENTITY_B.name}, ${IDENTITY_B.legalForm}`);
    expect(legal).toContain("SIRET 266 900 489 00011");
    expect(legal).toContain("84 69 12345 69");
    const contact = textOf(await (await get("/contact")).text());
    expect(contact).toContain(IDENTITY_B.email);
    expect(contact).toContain("8 rue Saint-Jérôme");
    expect(textOf(await (await get("/")).text())).toContain(IDENTITY_B.name); // the footer

    const forgot = await fetch(`${app.url}/mot-de-passe-oublie`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: app.url, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: holder.email }),
    });
    expect([200, 302]).toContain(forgot.status);
    const mail = await testDb.outboxMail.findFirstOrThrow({ where: { to: holder.email, template: "reset-password" } });
    expect(mail.text).toContain(`${IDENTITY_B.name} — formation à l'inclusion numérique`);
    expect(mail.text).toContain(IDENTITY_B.email);
  }, 60_000);
});
