/**
 * The whole life of an account, in a real browser against the real server and a real SMTP
 * server: sign up, confirm the address from the mail, log in and out, forget the password,
 * reset it from the mail, log in with the new one. Once without JavaScript (the forms must
 * work as plain HTML) and once with it.
 * Runs on SQLite, or on PostgreSQL with TEST_DATABASE=postgresql.
 */
import { randomBytes } from "node:crypto";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS, CHROMIUM_PATH, startAppServer, type AppServer } from "../support/app-server";
import { testDatabaseUrl } from "../support/database";
import { extractLink, recipientsOf, startSmtpServer, type TestSmtpServer } from "../support/smtp";

const STEP_TIMEOUT_MS = 15_000;

let browser: Browser;
let smtp: TestSmtpServer;
let app: AppServer;

beforeAll(async () => {
  smtp = await startSmtpServer();
  app = await startAppServer({ databaseUrl: testDatabaseUrl("account_journey"), smtpUrl: smtp.url });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await smtp?.stop();
});

type Person = { name: string; email: string; password: string; newPassword: string };

const people: { javaScript: boolean; person: Person }[] = [
  {
    javaScript: false,
    person: {
      name: "Zoé Ngọc-Anh Đặng-Lefèvre",
      email: `zoe.dang.${randomBytes(3).toString("hex")}@exemple.fr`,
      password: "Trois hérissons boivent du thé",
      newPassword: "Le phare de Ploumanac'h brille",
    },
  },
  {
    javaScript: true,
    person: {
      name: "Алёна Łukasiewicz-Öztürk",
      email: `alena.lukasiewicz.${randomBytes(3).toString("hex")}@exemple.fr`,
      password: "Quatre cigognes sur le clocher",
      newPassword: "Une péniche glisse vers Strasbourg",
    },
  },
];

describe.each(people)("account journey (JavaScript $javaScript)", ({ javaScript, person }) => {
  it("signs up, confirms the address, logs in and out, resets the password", async () => {
    const context = await browser.newContext({ javaScriptEnabled: javaScript, locale: "fr-FR" });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    const page = await context.newPage();
    const at = (pathname: string) => (url: URL) => url.pathname === pathname;
    // With JavaScript, act only once React has hydrated the page, so that forms go through
    // Remix (fetch) rather than a native submission that races the hydration.
    const ready = async () => {
      if (javaScript) await page.waitForFunction(() => Object.keys(document.body).some((k) => k.startsWith("__reactProps")));
    };
    const goto = async (pathname: string) => {
      await page.goto(pathname.startsWith("http") ? pathname : `${app.url}${pathname}`);
      await ready();
    };
    const submit = async (button: string) => {
      await Promise.all([
        page.waitForResponse((r) => r.request().method() === "POST"),
        page.getByRole("button", { name: button, exact: true }).click(),
      ]);
    };
    const mailTo = (subject: string) =>
      smtp.waitFor((m) => recipientsOf(m).includes(person.email) && (m.subject ?? "").includes(subject), STEP_TIMEOUT_MS);
    const logIn = async (password: string) => {
      await page.getByLabel(/^Adresse e-mail/).fill(person.email);
      await page.getByLabel(/^Mot de passe/).fill(password);
      await submit("Se connecter");
    };
    const logOut = async () => {
      await ready();
      await submit("Se déconnecter");
      await page.waitForURL(at("/"));
      await page.getByText("Vous êtes déconnecté").first().waitFor();
    };

    try {
      // Sign up.
      await goto("/inscription");
      await page.getByLabel(/^Nom et prénom/).fill(person.name);
      await page.getByLabel(/^Adresse e-mail/).fill(person.email);
      await page.getByLabel(/^Mot de passe/).fill(person.password);
      await submit("Créer mon compte");
      await page.getByRole("heading", { name: "Vérifiez votre messagerie" }).waitFor();

      // Confirm the address from the mail.
      const verification = await mailTo("Confirmez votre adresse");
      const verificationLink = extractLink(verification, "/verification");
      expect(verificationLink.startsWith(`${app.url}/verification?token=`)).toBe(true);
      await goto(verificationLink);
      await page.waitForURL(at("/connexion"));
      await page.getByText("Votre adresse e-mail est confirmée").first().waitFor();

      // Log in, then out.
      await logIn(person.password);
      await page.waitForURL(at("/mon-espace"));
      await page.getByRole("heading", { name: "Mon espace" }).waitFor();
      await logOut();

      // Forget the password; reset it from the mail.
      await goto("/mot-de-passe-oublie");
      await page.getByLabel(/^Adresse e-mail/).fill(person.email);
      await submit("Recevoir un lien");
      const reset = await mailTo("Réinitialisation");
      const resetLink = extractLink(reset, "/reinitialiser-mot-de-passe");
      expect(resetLink.startsWith(`${app.url}/reinitialiser-mot-de-passe?token=`)).toBe(true);
      await page.waitForLoadState();
      await goto(resetLink);
      await page.getByLabel(/^Nouveau mot de passe/).fill(person.newPassword);
      await submit("Enregistrer le mot de passe");
      await page.waitForURL(at("/connexion"));
      await page.getByText(/mot de passe a été modifié/).first().waitFor();

      // The old password no longer opens the account; the new one does.
      await logIn(person.password);
      await page.waitForLoadState("networkidle");
      expect(new URL(page.url()).pathname).toBe("/connexion");
      expect(await page.getByRole("heading", { name: "Mon espace" }).count()).toBe(0);
      await logIn(person.newPassword);
      await page.waitForURL(at("/mon-espace"));
      await page.getByRole("heading", { name: "Mon espace" }).waitFor();
      await logOut();
    } catch (error) {
      const where = `(page ${page.url()})\n${(await page.locator("body").innerText({ timeout: 1000 }).catch(() => "")).slice(0, 2000)}`;
      throw new Error(`${(error as Error).message}\n${where}\nServer output:\n${app.output().slice(-4000)}`, { cause: error });
    } finally {
      await context.close();
    }
  });
});
