/**
 * Login throttling under concurrency, through the real server (the production build, on
 * SQLite or PostgreSQL per TEST_DATABASE). The server trusts a proxy on loopback
 * (`trust proxy` in server/index.ts), so X-Forwarded-For gives each request its address.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "~/utils/db.server";
import { applyPendingMigrations } from "../../server/schema-engine";
import { startAppServer, type AppServer } from "../support/app-server";
import { testDatabaseUrl } from "../support/database";
import { createUser, FACTORY_PASSWORD } from "../factories";

let app: AppServer;
let db: Db;

beforeAll(async () => {
  const databaseUrl = testDatabaseUrl("login_throttle_http");
  await applyPendingMigrations(databaseUrl);
  db = createDb(databaseUrl);
  app = await startAppServer({ databaseUrl });
}, 120_000);
afterAll(async () => {
  await app?.stop();
  await db?.$disconnect();
});

// The action's answer as data (`/connexion.data`, what the page's own fetch asks for): the same
// action and status, without rendering 30 HTML pages at once on a small machine.
const login = (email: string, password: string, ip: string) =>
  fetch(`${app.url}/connexion.data`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: app.url, "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": ip },
    body: new URLSearchParams({ email, password }),
  });

async function outcomes(responses: Response[]) {
  const texts = await Promise.all(responses.map((r) => r.text()));
  return {
    checked: responses.filter((r, i) => r.status === 400 && texts[i]!.includes("Adresse e-mail ou mot de passe incorrect")).length,
    refused: responses.filter((r, i) => r.status === 429 && /Trop de tentatives\. Patientez \d+ secondes avant de réessayer\./.test(texts[i]!)).length,
  };
}

describe("login throttling over HTTP, under concurrency", () => {
  it("checks 3 of 30 parallel wrong passwords for one account and refuses the 27 others in French", async () => {
    const user = await createUser(db);
    const responses = await Promise.all(Array.from({ length: 30 }, () => login(user.email, "mauvais mot de passe", "198.51.100.40")));
    expect(await outcomes(responses)).toEqual({ checked: 3, refused: 27 });
  }, 60_000);

  it("checks at most 3 of 29 parallel guesses from 29 addresses, and the account then waits even for the right password", async () => {
    const user = await createUser(db);
    const responses = await Promise.all(Array.from({ length: 29 }, (_, i) => login(user.email, `essai ${i}`, `192.0.2.${i + 1}`)));
    expect(await outcomes(responses)).toEqual({ checked: 3, refused: 26 });
    const owner = await login(user.email, FACTORY_PASSWORD, "192.0.2.30");
    expect(await outcomes([owner])).toEqual({ checked: 0, refused: 1 });
  }, 60_000);
});
