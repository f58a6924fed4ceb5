/**
 * The short-lived cache of the public catalogue pages (server/page-cache.ts) through the
 * real server over HTTP (built app, real database per TEST_DATABASE): anonymous visitors
 * share one rendering but never one CSP nonce, a logged-in person's page is never stored
 * nor shown to anyone else, and seats left are at most one second stale.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postForm, startAppServer, type AppServer } from "../support/app-server";
import { testDatabaseUrl } from "../support/database";
import { createModule, createSession, createUser, FACTORY_PASSWORD } from "../factories";
import { configureSqlite, createDb, type Db } from "../../app/utils/db.server";
import { providerOf } from "../../app/utils/db-adapter.server";

const LEARNER_NAME = "Ophélie Témoin-Dupré";
let app: AppServer;
let testDb: Db;
let learnerCookie = "";
let moduleSlug = "";
let sessionId = "";

beforeAll(async () => {
  const url = testDatabaseUrl("catalogue_cache_http");
  app = await startAppServer({ databaseUrl: url });
  testDb = createDb(url);
  if (providerOf(url) === "sqlite") await configureSqlite(testDb);
  const learner = await createUser(testDb, { name: LEARNER_NAME });
  const login = await postForm(app, "/connexion", { email: learner.email, password: FACTORY_PASSWORD });
  expect(login.status).toBe(302);
  learnerCookie = login.headers.getSetCookie().find((c) => c.startsWith("maillon_session="))!.split(";")[0]!;
  const module = await createModule(testDb, { title: "Accompagner les démarches en ligne" });
  moduleSlug = module.slug;
  sessionId = (await createSession(testDb, { moduleId: module.id, capacity: 12 })).id;
});

afterAll(async () => {
  await testDb?.$disconnect();
  await app?.stop();
});

type Page = { status: number; html: string; nonce: string; cache: string | null; vary: string; cacheControl: string | null };

async function get(path: string, cookie?: string): Promise<Page> {
  const res = await fetch(`${app.url}${path}`, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
  const nonce = /'nonce-([^']+)'/.exec(res.headers.get("content-security-policy") ?? "")?.[1] ?? "";
  return {
    status: res.status,
    html: await res.text(),
    nonce,
    cache: res.headers.get("x-page-cache"),
    vary: res.headers.get("vary") ?? "",
    cacheControl: res.headers.get("cache-control"),
  };
}

/** Every inline or external script of the page carries exactly this response's nonce. */
function expectScriptsCarry(page: Page) {
  expect(page.nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  const scripts = page.html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${page.nonce}"`);
}

const sameWithoutNonce = (page: Page) => page.html.split(page.nonce).join("NONCE");

describe("anonymous visitors of the catalogue", () => {
  it("share one rendering, each response with its own nonce, never a nonce served twice", async () => {
    const pages = [await get("/formations"), ...(await Promise.all(Array.from({ length: 6 }, () => get("/formations")))), await get("/formations")];
    expect(pages.every((p) => p.status === 200)).toBe(true);
    expect(pages.some((p) => p.cache === "hit")).toBe(true);
    for (const page of pages) {
      expectScriptsCarry(page);
      expect(page.vary).toMatch(/\bCookie\b/);
      expect(page.cacheControl).toBe("private, no-cache");
      for (const other of pages) if (other !== page) expect(page.html).not.toContain(other.nonce);
    }
    expect(new Set(pages.map((p) => p.nonce)).size).toBe(pages.length);
    expect(new Set(pages.map(sameWithoutNonce)).size).toBe(1);
    expect(pages[0]!.html).toContain("Accompagner les démarches en ligne");
  });

  it("see seats left at most a second late", async () => {
    const path = `/formations/${moduleSlug}`;
    const seatsCell = (html: string) => /<td>Lyon<\/td><td>([^<]+)<\/td>/.exec(html)?.[1];
    const before = await get(path);
    expect(seatsCell(before.html)).toBe("12");
    await testDb.session.update({ where: { id: sessionId }, data: { seatsTaken: 5 } });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const after = await get(path);
    expect(seatsCell(after.html)).toBe("7");
    expectScriptsCarry(after);
  });

  it("do not get an error page from the cache: a missing module answers 404 each time", async () => {
    for (let i = 0; i < 2; i++) {
      const page = await get("/formations/module-qui-n-existe-pas");
      expect(page.status).toBe(404);
      expect(page.cache).toBe("bypass");
    }
  });
});

describe("a logged-in person", () => {
  it("gets their own page, never the anonymous one, which never shows them", async () => {
    const anonymousFirst = await get("/formations");
    expect(anonymousFirst.html).toContain("Se connecter");

    const mine = await get("/formations", learnerCookie);
    expect(mine.status).toBe(200);
    expect(mine.cache).toBe("bypass");
    expect(mine.html).toContain("Se déconnecter");
    expect(mine.html).toContain(LEARNER_NAME);
    expect(mine.cacheControl).toBe("private, no-store");
    expectScriptsCarry(mine);

    const anonymousAfter = await get("/formations");
    expect(anonymousAfter.html).not.toContain(LEARNER_NAME);
    expect(anonymousAfter.html).not.toContain("Se déconnecter");
    expect(anonymousAfter.html).toContain("Se connecter");
  });

  it("is not stored when they are the first to ask for a page", async () => {
    const path = `/formations?ville=Lyon&mois=&format=`;
    const mine = await get(path, learnerCookie);
    expect(mine.html).toContain(LEARNER_NAME);
    const anonymous = await get(path);
    expect(anonymous.cache).toBe("miss");
    expect(anonymous.html).not.toContain(LEARNER_NAME);
    expect(anonymous.html).toContain("Se connecter");
  });

  it("sees the flash message after logging out, which a cached page would have lost", async () => {
    const someone = await createUser(testDb);
    const login = await postForm(app, "/connexion", { email: someone.email, password: FACTORY_PASSWORD });
    const cookie = login.headers.getSetCookie().find((c) => c.startsWith("maillon_session="))!.split(";")[0]!;
    const res = await postForm(app, "/deconnexion", {}, { cookie });
    expect(res.headers.get("location")).toBe("/");
    const flash = res.headers.getSetCookie().find((c) => c.startsWith("maillon_flash="))!.split(";")[0]!;
    expect((await get("/")).html).not.toContain("Vous êtes déconnecté·e"); // the anonymous home page, now cached
    const page = await get("/", flash);
    expect(page.cache).toBe("bypass");
    expect(page.html).toContain("Vous êtes déconnecté·e");
  });
});
