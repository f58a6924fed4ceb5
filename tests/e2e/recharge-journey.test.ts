/**
 * Recharges in a real browser with JavaScript off, against the built server and a real
 * database: staff import codes and allocate a quota; a certified relay member issues a
 * recharge, shows the code once (a POST) and prints the voucher; the month report counts it; an
 * uncertified member of the same relay is refused.
 */
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS, CHROMIUM_PATH, startAppServer, type AppServer } from "../support/app-server";
import { testDatabaseUrl } from "../support/database";
import { normaliseSpaces, readPdf } from "../support/pdf-text";
import { FACTORY_PASSWORD, createUser } from "../factories";
import { createRechargeProduct, createRelay, createRelayMember } from "../recharge-factories";
import type { Db } from "~/utils/db.server";

let browser: Browser;
let app: AppServer;
let testDb: Db;

beforeAll(async () => {
  const url = testDatabaseUrl("recharge_journey");
  app = await startAppServer({ databaseUrl: url, env: { SEED_DEMO_DATA: "never" } });
  const { createDb, configureSqlite } = await import("~/utils/db.server");
  const { providerOf } = await import("~/utils/db-adapter.server");
  testDb = createDb(url);
  if (providerOf(url) === "sqlite") await configureSqlite(testDb);
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await testDb?.$disconnect();
  await app?.stop();
});

async function logIn(email: string): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: "fr-FR" });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await page.goto(`${app.url}/connexion`);
  await page.getByLabel(/^Adresse e-mail/).fill(email);
  await page.getByLabel(/^Mot de passe/).fill(FACTORY_PASSWORD);
  await page.getByRole("button", { name: "Se connecter", exact: true }).click();
  await page.waitForURL((u) => u.pathname === "/mon-espace");
  return page;
}

describe("recharge journey (JavaScript off)", () => {
  it("imports codes, allocates quota, issues once to a certified member, prints the voucher, reports it; refuses an uncertified member", async () => {
    const admin = await createUser(testDb, { roles: ["ADMIN"] });
    const { relay, structure } = await createRelay(testDb);
    const certified = await createRelayMember(testDb, relay);
    const uncertified = await createRelayMember(testDb, relay, { certified: false });
    const product = await createRechargeProduct(testDb, { name: "Essentielle parcours", faceValueCents: 400 });

    // Staff import three codes; the earliest-expiring one is given first.
    const staff = await logIn(admin.email);
    await staff.goto(`${app.url}/admin/recharges/import`);
    const csv = ["produit;code;expiration", `${product.name};1111 2222 3333 44;2031-06-30`, `${product.name};5555 6666 7777 88;2030-01-31`, `${product.name};9999 0000 1111 22;2032-01-31`, `${product.name};5555 6666 7777 88;2030-01-31`].join("\n");
    await staff.getByLabel("Fichier CSV").setInputFiles({ name: "lot.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await staff.getByRole("button", { name: "Prévisualiser" }).click();
    await staff.getByText("3 code(s) prêts à importer, 1 ligne(s) refusée(s).").waitFor();
    await staff.getByText("Code en double dans le fichier (déjà à la ligne 3).").waitFor();
    await staff.getByRole("button", { name: "Importer les 3 code(s)" }).click();
    await staff.getByText("3 code(s) importé(s).").waitFor();
    expect(await staff.content()).not.toContain("5555666677778");

    // Staff allocate two recharges to the relay for this month.
    await staff.goto(`${app.url}/admin/recharges/quotas`);
    await staff.locator("#allocate-relayId").selectOption(relay.id);
    await staff.locator("#allocate-productId").selectOption(product.id);
    await staff.locator("#allocate-units").fill("2");
    await staff.getByRole("button", { name: "Attribuer", exact: true }).click();
    await staff.getByText("2 recharge(s) attribuée(s).").waitFor();

    // The certified member issues one recharge.
    const member = await logIn(certified.email);
    await member.goto(`${app.url}/espace-relais/recharges`);
    await member.getByRole("heading", { level: 1, name: `Recharges — ${structure.name}` }).waitFor();
    await member.getByLabel(/Essentielle parcours/).check();
    await member.getByLabel("Référence interne de la personne").fill("D-2026-041");
    await member.getByLabel("Tranche d'âge (facultatif)").selectOption("AGE_26_44");
    await member.getByRole("button", { name: "Confirmer et délivrer" }).click();
    await member.waitForURL((u) => /^\/espace-relais\/recharges\/[\w-]+$/.test(u.pathname));
    // The code comes on a deliberate click (a POST), never with the page itself.
    expect(await member.getByTestId("recharge-code").count()).toBe(0);
    await member.getByRole("button", { name: "Afficher le code" }).click();
    expect(await member.getByTestId("recharge-code").innerText()).toBe("5555 6666 7777 88");
    const issuePath = new URL(member.url()).pathname;

    const voucher = await member.request.get(`${app.url}${issuePath}/bon.pdf`);
    expect(voucher.status()).toBe(200);
    const pdf = await readPdf(await voucher.body());
    expect(normaliseSpaces(pdf.text)).toContain("5555 6666 7777 88");
    expect(normaliseSpaces(pdf.text)).toContain("Essentielle parcours");

    // Shown once: back on the page, the code is masked (and can be shown again only shortly, by its issuer).
    await member.goto(`${app.url}${issuePath}`);
    expect(await member.getByTestId("masked-code").innerText()).toBe("•••• •••• 7788");
    expect(await member.content()).not.toContain("5555 6666 7777 88");

    // The relay's month and the staff report show it.
    await member.goto(`${app.url}/espace-relais/recharges`);
    const row = member.getByRole("row", { name: /Essentielle parcours/ }).first();
    expect(normaliseSpaces(await row.innerText())).toMatch(/Essentielle parcours\s1\s1/);
    await staff.goto(`${app.url}/admin/recharges/rapport`);
    const reportRow = staff.getByRole("row", { name: new RegExp(structure.name) });
    expect(normaliseSpaces(await reportRow.innerText())).toMatch(/Essentielle parcours\s2\s1\s0\s1/);

    // An uncertified member of the same relay is refused, and nothing is consumed.
    const refused = await logIn(uncertified.email);
    const response = await refused.goto(`${app.url}/espace-relais/recharges`);
    expect(response?.status()).toBe(403);
    await refused.getByText(/Seuls les membres certifiés/).waitFor();
    expect(await refused.getByRole("button", { name: "Confirmer et délivrer" }).count()).toBe(0);
    expect(await testDb.rechargeIssue.count({ where: { relayId: relay.id } })).toBe(1);
  }, 120_000);
});
