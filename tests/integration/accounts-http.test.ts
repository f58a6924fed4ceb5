/**
 * Accounts through the real server over HTTP: the built app, a real database (SQLite or
 * PostgreSQL per TEST_DATABASE) and a real SMTP server receiving the mails.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postForm, startAppServer, type AppServer } from "../support/app-server";
import { testDatabaseUrl } from "../support/database";
import { extractLink, recipientsOf, startSmtpServer, type TestSmtpServer } from "../support/smtp";

let app: AppServer;
let smtp: TestSmtpServer;
let counter = 0;
const uniqueEmail = (tag: string) => `${tag}.${Date.now()}.${counter++}@exemple.fr`;
const PASSWORD = "un chat sur le toit de Lyon";

beforeAll(async () => {
  smtp = await startSmtpServer();
  app = await startAppServer({ databaseUrl: testDatabaseUrl("accounts_http"), smtpUrl: smtp.url });
});
afterAll(async () => {
  await app?.stop();
  await smtp?.stop();
});

const mailTo = (email: string, subject: RegExp) =>
  smtp.waitFor((m) => recipientsOf(m).includes(email) && subject.test(m.subject ?? ""), 15_000);

const cookieFrom = (res: Response) => {
  const set = res.headers.getSetCookie().find((c) => c.startsWith("maillon_session="));
  return set ? set.split(";")[0]! : "";
};

/** The text of a field's error message as the page shows it (not the hydration data). */
const fieldError = (html: string, field: string) => decode(html.match(new RegExp(`id="field-${field}-error">([^<]*)<`))?.[1] ?? "");

const decode = (text: string) =>
  text
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

/** The text of the message about the whole form. */
const formError = (html: string) => decode(html.match(/class="form-error" role="alert">([^<]*)</)?.[1] ?? "");

const withIp = (ip: string) => ({ "X-Forwarded-For": ip });

async function post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${app.url}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: app.url, "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields),
  });
}

async function signUpAndVerify(name: string, email: string) {
  const res = await postForm(app, "/inscription", { name, email, password: PASSWORD });
  expect(res.status).toBe(302);
  const link = extractLink(await mailTo(email, /Confirmez votre adresse/), "/verification");
  const verified = await fetch(link, { redirect: "manual" });
  expect(verified.status).toBe(302);
}

async function login(email: string, password: string, headers: Record<string, string> = {}) {
  return post("/connexion", { email, password }, headers);
}

describe("the server", () => {
  it("answers /healthz with the database reachable", async () => {
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", database: "ok" });
  });

  it("gives every response a request id and a French 404 page", async () => {
    const res = await fetch(`${app.url}/cette-page-n-existe-pas`);
    expect(res.status).toBe(404);
    expect(res.headers.get("x-request-id")).toBeTruthy();
    const html = await res.text();
    expect(html).toContain('<html lang="fr"');
    expect(html).toContain("Page introuvable");
  });

  it.each([
    ["no Origin nor Referer", {}],
    ["another site's Origin", { Origin: "https://pirate.example.com" }],
  ])("refuses a POST with %s (403)", async (_label, headers) => {
    const res = await fetch(`${app.url}/connexion`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams({ email: "a@exemple.fr", password: PASSWORD }),
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("Requête refusée");
  });
});

it("refuses a body over 1 MB with 413 before reading it", async () => {
  const res = await postForm(app, "/inscription", { name: "x".repeat(1_100_000), email: "x@exemple.fr", password: PASSWORD });
  expect(res.status).toBe(413);
  expect(await res.text()).toContain("trop volumineuses");
});

describe("sign-up", () => {
  it.each([
    ["a malformed e-mail", { name: "Zoé", email: "zoe-at-exemple.fr", password: PASSWORD }, "email", "n'est pas valide"],
    ["a short password", { name: "Zoé", email: "zoe@exemple.fr", password: "court" }, "password", "au moins 12 caractères"],
    ["a common password", { name: "Zoé", email: "zoe@exemple.fr", password: "motdepasse123456" }, "password", "trop courant"],
    ["a 100 kB name", { name: "é".repeat(100_000), email: "zoe@exemple.fr", password: PASSWORD }, "name", "Le nom est trop long"],
    ["SQL in the e-mail", { name: "Zoé", email: "' OR 1=1; --", password: PASSWORD }, "email", "n'est pas valide"],
  ])("refuses %s with a French message next to the field, keeping what was typed", async (_label, fields, field, message) => {
    const res = await postForm(app, "/inscription", fields);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(fieldError(html, field)).toContain(message);
    expect(html).toContain('aria-invalid="true"');
    if (fields.name.length < 100) expect(html).toContain(`value="${fields.name}"`);
    expect(html).not.toContain(fields.password.length > 5 ? fields.password : "\u0000");
    expect(html).not.toMatch(/at \S+ \(.*:\d+:\d+\)/); // no stack trace
  });

  it("shows every problem at once, each next to its field", async () => {
    const res = await postForm(app, "/inscription", { name: "", email: "zoe@@exemple", password: "motdepasse2024" });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(fieldError(html, "name")).toContain("Indiquez votre nom");
    expect(fieldError(html, "email")).toContain("n'est pas valide");
    expect(fieldError(html, "password")).toContain("trop courant");
  });

  it("renders markup typed in a field as text", async () => {
    const res = await postForm(app, "/inscription", { name: '<script>alert("x")</script>', email: "x@exemple.fr", password: "court" });
    const html = await res.text();
    expect(html).not.toContain('<script>alert("x")</script>');
    expect(html).toContain("&lt;script&gt;");
  });

  it("creates the account, mails a verification link, and lets the person in once verified", async () => {
    const email = uniqueEmail("nguyen");
    const res = await postForm(app, "/inscription", { name: "Nguyễn Thị Minh Khai", email, password: PASSWORD });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/inscription/verifiez");
    const first = await mailTo(email, /Confirmez votre adresse/);
    expect(first.text).toContain("Nguyễn Thị Minh Khai");

    // Logging in unverified sends a fresh link and voids the first one.
    const before = await login(email, PASSWORD);
    expect(before.status).toBe(400);
    expect(formError(await before.text())).toContain("pas encore confirmée");
    const second = await smtp.waitFor((m) => m !== first && recipientsOf(m).includes(email) && /Confirmez/.test(m.subject ?? ""), 15_000);
    const voided = await fetch(extractLink(first, "/verification"), { redirect: "manual" });
    expect(voided.status).toBe(400);

    const link = extractLink(second, "/verification");
    const ok = await fetch(link, { redirect: "manual" });
    expect(ok.status).toBe(302);
    expect(ok.headers.get("location")).toBe("/connexion");
    const again = await fetch(link, { redirect: "manual" });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("plus valable");

    const res2 = await login(email, PASSWORD);
    expect(res2.status).toBe(302);
    expect(res2.headers.get("location")).toBe("/mon-espace");
  });

  it("answers a duplicate sign-up like a new one and warns the owner by mail", async () => {
    const email = uniqueEmail("doublon");
    await postForm(app, "/inscription", { name: "Łucja Wiśniewska", email, password: PASSWORD });
    const dup = await postForm(app, "/inscription", { name: "Quelqu'un d'autre", email: email.toUpperCase(), password: PASSWORD });
    expect(dup.status).toBe(302);
    expect(dup.headers.get("location")).toBe("/inscription/verifiez");
    const warning = await mailTo(email, /déjà|compte/i);
    expect(warning.text).toContain("Łucja Wiśniewska");
  });

  it("refuses a wrong or malformed verification link", async () => {
    for (const token of ["", "abc", "A".repeat(43), "<script>"]) {
      const res = await fetch(`${app.url}/verification?token=${encodeURIComponent(token)}`, { redirect: "manual" });
      expect(res.status).toBe(400);
    }
  });
});

describe("sessions", () => {
  it("set an HttpOnly, SameSite=Lax cookie, rotate at login and end on the server at logout", async () => {
    const email = uniqueEmail("ольга");
    await signUpAndVerify("Ольга Смирнова", email);
    const first = await login(email, PASSWORD);
    const setCookie = first.headers.getSetCookie().find((c) => c.startsWith("maillon_session="))!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toMatch(/Secure/i); // plain http here; Secure when APP_URL is https
    const cookie1 = cookieFrom(first);

    const space = await fetch(`${app.url}/mon-espace`, { headers: { Cookie: cookie1 }, redirect: "manual" });
    expect(space.status).toBe(200);
    expect(await space.text()).toContain("Ольга Смирнова");

    const second = await post("/connexion", { email, password: PASSWORD }, { Cookie: cookie1 });
    const cookie2 = cookieFrom(second);
    expect(cookie2).not.toBe(cookie1);
    const old = await fetch(`${app.url}/mon-espace`, { headers: { Cookie: cookie1 }, redirect: "manual" });
    expect(old.status).toBe(302);

    const out = await postForm(app, "/deconnexion", {}, { cookie: cookie2 });
    expect(out.status).toBe(302);
    const after = await fetch(`${app.url}/mon-espace`, { headers: { Cookie: cookie2 }, redirect: "manual" });
    expect(after.status).toBe(302);
    expect(after.headers.get("location")).toMatch(/^\/connexion\?redirectTo=/);
  });
});

describe("throttling of failed logins", () => {
  it("slows an account down after 3 failures, more while it is hammered, then lets its owner in", async () => {
    const email = uniqueEmail("throttle.account");
    await signUpAndVerify("Jean-Éric Lefèvre", email);
    const ip = withIp("198.51.100.10");
    for (let i = 0; i < 3; i++) {
      const res = await login(email, "mauvais mot de passe", ip);
      expect(res.status).toBe(400);
      expect(formError(await res.text())).toContain("Adresse e-mail ou mot de passe incorrect");
    }
    // Two more attempts, refused or failed: either way they count, and the wait reaches 4 s.
    for (let i = 0; i < 2; i++) expect([400, 429]).toContain((await login(email, "mauvais mot de passe", ip)).status);

    const blocked = await login(email, PASSWORD, withIp("198.51.100.11"));
    expect(blocked.status).toBe(429);
    const wait = Number(formError(await blocked.text()).match(/Patientez (\d+) secondes/)?.[1]);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(120); // the per-account cap: never a lasting lock

    await new Promise((r) => setTimeout(r, wait * 1000 + 200));
    const ok = await login(email, PASSWORD, withIp("198.51.100.11"));
    expect(ok.status).toBe(302);
  });

  it("slows an IP down that tries many accounts, without touching other IPs", async () => {
    const ip = withIp("203.0.113.7");
    for (let i = 0; i < 3; i++) expect((await login(uniqueEmail("inconnu"), "mauvais mot de passe", ip)).status).toBe(400);
    const blocked = await login(uniqueEmail("inconnu"), "mauvais mot de passe", ip);
    expect(blocked.status).toBe(429);
    const elsewhere = await login(uniqueEmail("inconnu"), "mauvais mot de passe", withIp("203.0.113.8"));
    expect(elsewhere.status).toBe(400);
  });
});

describe("password reset", () => {
  it("mails a single-use link; the new password works, the old one and open sessions do not", async () => {
    const email = uniqueEmail("reset");
    await signUpAndVerify("فاطمة الزهراء", email);
    const session = cookieFrom(await login(email, PASSWORD));

    const unknown = await postForm(app, "/mot-de-passe-oublie", { email: uniqueEmail("personne") });
    const known = await postForm(app, "/mot-de-passe-oublie", { email });
    expect(unknown.status).toBe(200);
    expect(known.status).toBe(200);
    const sameAnswer = (html: string) => html.includes("Si un compte existe");
    expect(sameAnswer(await unknown.text()) && sameAnswer(await known.text())).toBe(true);

    const mail = await mailTo(email, /Réinitialisation/);
    const link = extractLink(mail, "/reinitialiser-mot-de-passe");
    const token = new URL(link).searchParams.get("token")!;
    const form = await fetch(link);
    expect(form.status).toBe(200);

    const weak = await postForm(app, `/reinitialiser-mot-de-passe?token=${token}`, { token, password: "court" });
    expect(weak.status).toBe(400);
    expect(fieldError(await weak.text(), "password")).toContain("au moins 12");

    const NEW = "une autre phrase bien à moi";
    const done = await postForm(app, `/reinitialiser-mot-de-passe?token=${token}`, { token, password: NEW });
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe("/connexion");
    await mailTo(email, /mot de passe a été modifié|Mot de passe modifié/i);

    expect((await fetch(`${app.url}/mon-espace`, { headers: { Cookie: session }, redirect: "manual" })).status).toBe(302);
    expect((await login(email, PASSWORD, withIp("192.0.2.50"))).status).toBe(400);
    expect((await login(email, NEW, withIp("192.0.2.51"))).status).toBe(302);

    const reused = await postForm(app, `/reinitialiser-mot-de-passe?token=${token}`, { token, password: "encore une autre phrase" });
    expect(reused.status).toBe(400);
    const html = await reused.text();
    expect(formError(html) || decode(html.match(/<h1>([^<]*)</)?.[1] ?? "")).toContain("plus valable");
  });
});
