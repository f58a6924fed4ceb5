/**
 * Issue 13, points 4 and 8, in Chromium with JavaScript off against the built server:
 * the recharge code, once shown, does not come back with Back (after leaving the page, or
 * after logging out), and the issuing form works on a 390-pixel-wide phone.
 *
 * The browser runs as a person's browser does: Playwright's own switches that turn off the
 * back/forward cache and the "resend the form?" prompt are left out, so Back behaves as it does
 * at a relay's desk.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContextOptions, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS, CHROMIUM_PATH, REPO_ROOT, startAppServer, type AppServer } from "../support/app-server";
import { testDatabaseUrl } from "../support/database";
import { FACTORY_PASSWORD } from "../factories";
import { createRechargeCodes, createRechargeProduct, createRelay, createRelayMember, giveQuota } from "../recharge-factories";
import { parisMonthKey } from "~/utils/dates";
import type { Db } from "~/utils/db.server";

let browser: Browser;
let app: AppServer;
let testDb: Db;
const ARTEFACTS = path.join(REPO_ROOT, "test-results");

beforeAll(async () => {
  const url = testDatabaseUrl("recharge_secrecy");
  app = await startAppServer({ databaseUrl: url, env: { SEED_DEMO_DATA: "never" } });
  const { createDb, configureSqlite } = await import("~/utils/db.server");
  const { providerOf } = await import("~/utils/db-adapter.server");
  testDb = createDb(url);
  if (providerOf(url) === "sqlite") await configureSqlite(testDb);
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    ignoreDefaultArgs: ["--disable-back-forward-cache", "--disable-prompt-on-repost"],
  });
});

afterAll(async () => {
  await browser?.close();
  await testDb?.$disconnect();
  await app?.stop();
});

async function logIn(email: string, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: "fr-FR", ...options });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await page.goto(`${app.url}/connexion`);
  await page.getByLabel(/^Adresse e-mail/).fill(email);
  await page.getByLabel(/^Mot de passe/).fill(FACTORY_PASSWORD);
  await page.getByRole("button", { name: "Se connecter", exact: true }).click();
  await page.waitForURL((u) => u.pathname === "/mon-espace");
  return page;
}

async function relayWithStock(products: { name: string; units: number }[]) {
  const { relay } = await createRelay(testDb);
  const issuer = await createRelayMember(testDb, relay);
  const made = [];
  for (const { name, units } of products) {
    const product = await createRechargeProduct(testDb, { name });
    const pins = await createRechargeCodes(testDb, product.id, 3);
    if (units) await giveQuota(testDb, { relayId: relay.id, productId: product.id, period: parisMonthKey(new Date()), units });
    made.push({ product, pins });
  }
  return { relay, issuer, products: made };
}

/** Issues through the form and shows the code with the button; returns the code shown. */
async function issueAndReveal(page: Page, productName: string): Promise<string> {
  await page.goto(`${app.url}/espace-relais/recharges`);
  await page.getByLabel(new RegExp(productName)).check();
  await page.getByLabel("Référence interne de la personne").fill("D-2026-390");
  await page.getByRole("button", { name: "Confirmer et délivrer" }).click();
  await page.waitForURL((u) => /^\/espace-relais\/recharges\/[\w-]+$/.test(u.pathname));
  expect(await page.getByTestId("recharge-code").count()).toBe(0);
  await page.getByRole("button", { name: "Afficher le code" }).click();
  return (await page.getByTestId("recharge-code").innerText()).replace(/\s/g, "");
}

/** Back, whatever the browser then shows (a page, or its "form resubmission" error page). */
async function back(page: Page) {
  // "commit": a page restored from the back/forward cache fires no new load event.
  await page.goBack({ waitUntil: "commit" }).catch((error: Error) => {
    if (!/ERR_CACHE_MISS/.test(error.message)) throw error;
  });
}

/** What the page shows once the navigation Back started has settled. */
async function pageText(page: Page): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      // A page restored from the back/forward cache fires no new load event: do not wait long for one.
      await page.waitForLoadState("load", { timeout: 3000 }).catch(() => undefined);
      return (await page.evaluate(() => document.documentElement.innerText)).replace(/\s/g, "");
    } catch (error) {
      if (attempt >= 5 || !/context was destroyed/.test((error as Error).message)) throw error;
    }
  }
}

describe("the code does not come back with Back (JavaScript off)", () => {
  it("after leaving the page", async () => {
    const { issuer, products } = await relayWithStock([{ name: "Essentielle retour", units: 2 }]);
    const page = await logIn(issuer.email);
    const code = await issueAndReveal(page, "Essentielle retour");
    expect(code).toBe(products[0]!.pins[0]);

    await page.getByRole("link", { name: "← Recharges du relais" }).click();
    await page.waitForURL((u) => u.pathname === "/espace-relais/recharges");
    await back(page);
    expect(await pageText(page)).not.toContain(code);
    // Further back, the issue page as first loaded: fetched again, the code masked.
    await back(page);
    expect(await pageText(page)).not.toContain(code);
  });

  it("after logging out", async () => {
    const { issuer } = await relayWithStock([{ name: "Internet retour", units: 2 }]);
    const page = await logIn(issuer.email);
    const code = await issueAndReveal(page, "Internet retour");

    await page.getByRole("button", { name: "Se déconnecter" }).click();
    await page.getByText("Vous êtes déconnecté·e").waitFor();
    for (let step = 0; step < 3; step++) {
      await back(page);
      expect(await pageText(page), `Back ×${step + 1}`).not.toContain(code);
      expect(await pageText(page)).not.toContain("D-2026-390");
    }
  });
});

describe("the issuing form on a 390-pixel-wide phone", () => {
  it("puts each radio beside its label, the whole line a tap target of 44 px at least, the count readable", async () => {
    const { issuer } = await relayWithStock([
      { name: "Essentielle téléphone", units: 3 },
      { name: "Internet téléphone", units: 0 },
    ]);
    const page = await logIn(issuer.email, { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    await page.goto(`${app.url}/espace-relais/recharges`);
    await page.getByRole("group", { name: "Recharge" }).scrollIntoViewIfNeeded();
    mkdirSync(ARTEFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTEFACTS, "issuing-form-390.png"), fullPage: true });

    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // Products are shared by every relay: the ones made here are the ones "téléphone".
    const choices = page.locator("label.choice", { hasText: "téléphone" });
    expect(await choices.count()).toBe(2);
    const fieldsetBox = (await page.getByRole("group", { name: "Recharge" }).boundingBox())!;
    for (let i = 0; i < 2; i++) {
      const choice = choices.nth(i);
      const radio = (await choice.locator("input[type=radio]").boundingBox())!;
      const text = (await choice.locator("> span").boundingBox())!;
      const line = (await choice.boundingBox())!;
      const firstLine = await choice.locator("> span").evaluate((el) => parseFloat(getComputedStyle(el).lineHeight));
      // Beside its label: left of the text, on its first line.
      expect(radio.x + radio.width).toBeLessThanOrEqual(text.x);
      expect(radio.y).toBeGreaterThanOrEqual(text.y - 2);
      expect(radio.y + radio.height).toBeLessThanOrEqual(text.y + firstLine + 2);
      expect(radio.width).toBeGreaterThanOrEqual(18);
      // The whole line is the tap target.
      expect(line.height).toBeGreaterThanOrEqual(44);
      expect(line.width).toBeGreaterThanOrEqual(fieldsetBox.width * 0.85);
      // The count fits on the screen and is at least 14 px.
      const count = choice.locator(".choice-count");
      const countBox = (await count.boundingBox())!;
      expect(countBox.x + countBox.width).toBeLessThanOrEqual(390);
      expect(await count.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(14);
    }
    expect(await choices.nth(0).innerText()).toContain("3 restante(s)");
    expect(await choices.nth(1).innerText()).toContain("quota épuisé");

    // A tap at the far end of the line, away from the radio, chooses the product.
    const first = (await choices.nth(0).boundingBox())!;
    await page.touchscreen.tap(first.x + first.width - 8, first.y + first.height - 8);
    expect(await choices.nth(0).locator("input").isChecked()).toBe(true);
  });
});
