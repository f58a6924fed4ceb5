/**
 * The portal behind a reverse proxy that does not pass the public Host (nginx's default
 * `proxy_set_header Host $proxy_host`): a real HTTP proxy in front of the real server sends
 * the upstream's own host. The browser is on the public https address (APP_URL), so its form
 * posts carry `Origin: https://…`. Logging in through the proxy must work, and production
 * answers carry HSTS.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { startSmtpServer, type TestSmtpServer } from "../support/smtp";
import { testDatabaseUrl } from "../support/database";
import { createUser, FACTORY_PASSWORD } from "../factories";
import { configureSqlite, createDb, type Db } from "../../app/utils/db.server";
import { providerOf } from "../../app/utils/db-adapter.server";

const PUBLIC_URL = "https://maillon.example.org";

let app: AppServer;
let testDb: Db;
let proxy: http.Server;
let proxyUrl: string;
let smtp: TestSmtpServer;

// A portal on a public address is in production: real keys and a real mail server.
const productionEnv = () => ({
  APP_URL: PUBLIC_URL,
  CODES_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  CERTIFICATE_SIGNING_KEY: generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
});

/** Forwards every request to the app, with the upstream's host as Host and no forwarded headers. */
function startProxy(upstream: URL): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const headers = { ...req.headers, host: upstream.host };
    const forward = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on("error", () => {
      res.writeHead(502).end("bad gateway");
    });
    req.pipe(forward);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

beforeAll(async () => {
  const url = testDatabaseUrl("reverse_proxy");
  smtp = await startSmtpServer();
  app = await startAppServer({ databaseUrl: url, smtpUrl: smtp.url, env: { SEED_DEMO_DATA: "never", ...productionEnv() } });
  testDb = createDb(url);
  if (providerOf(url) === "sqlite") await configureSqlite(testDb);
  proxy = await startProxy(new URL(app.url));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => proxy?.close(resolve));
  await testDb?.$disconnect();
  await app?.stop();
  await smtp?.stop();
});

describe("behind a reverse proxy that sends its own Host", () => {
  it("logs in through the proxy with the public Origin, and the session works", async () => {
    const user = await createUser(testDb, { name: "Élodie Proxy-Lefèvre" });
    const login = await fetch(`${proxyUrl}/connexion`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: PUBLIC_URL, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: user.email, password: FACTORY_PASSWORD, redirectTo: "" }),
    });
    expect(login.status, await login.clone().text()).toBe(302);
    const setCookie = login.headers.get("set-cookie") ?? "";
    expect(setCookie).toContain("maillon_session=");
    expect(setCookie).toMatch(/;\s*Secure/i);

    const space = await fetch(`${proxyUrl}/mon-espace`, { redirect: "manual", headers: { Cookie: setCookie.split(";")[0]! } });
    expect(space.status).toBe(200);
    expect(await space.text()).toContain("Élodie Proxy-Lefèvre");
  });

  it("still refuses a form posted from another site", async () => {
    const refused = await fetch(`${proxyUrl}/connexion`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: "https://evil.example", "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: "x@exemple.test", password: "x" }),
    });
    expect(refused.status).toBe(403);
  });

  it("sends HSTS on every answer when APP_URL is https", async () => {
    for (const path of ["/", "/connexion", "/healthz"]) {
      const answer = await fetch(`${proxyUrl}${path}`, { redirect: "manual" });
      expect(answer.headers.get("strict-transport-security"), path).toMatch(/^max-age=\d{7,}/);
    }
  });
});
