/**
 * The real server (server/index.ts) started as an association's IT person would, with an
 * APP_URL other machines reach: it refuses to start on the public development keys, without
 * keys, with demo data or without SMTP, says which variable and how to make a key, and starts
 * empty once configured.
 */
import { execFileSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { DEVELOPMENT_SIGNING_KEY } from "../../app/modules/certificates/signing-key.server";
import { generateSigningKeyPair } from "../../app/modules/certificates/signing";
import { DEVELOPMENT_SECRET } from "../../app/modules/recharges/code-crypto.server";
import { createDb } from "../../app/utils/db.server";
import { REPO_ROOT, runFailingAppServer, startAppServer, type AppServer } from "../support/app-server";
import { emptyTestDatabaseUrl, testDatabaseUrl } from "../support/database";

const PUBLIC_URL = "https://formation.maillon.example";
const REAL = {
  APP_URL: PUBLIC_URL,
  CODES_ENCRYPTION_KEY: "cmVhbC1rZXktZm9yLXRoZS1wcm9kdWN0aW9uLXRlc3Q=",
  CERTIFICATE_SIGNING_KEY: generateSigningKeyPair().privateKeyBase64,
  SMTP_URL: "smtp://127.0.0.1:2525",
};

let app: AppServer | undefined;
afterAll(async () => {
  await app?.stop();
});

describe("a production start", () => {
  it("is refused with the public development codes key, naming the variable and the command that makes a key", async () => {
    const { code, output } = await runFailingAppServer({ databaseUrl: testDatabaseUrl("prod_dev_key"), env: { ...REAL, CODES_ENCRYPTION_KEY: DEVELOPMENT_SECRET } });
    expect(code).not.toBe(0);
    expect(output).toContain("Démarrage refusé");
    expect(output).toContain("CODES_ENCRYPTION_KEY : c'est la clé de développement, publique");
    expect(output).toContain("npm run keys:generate");
    expect(output).not.toContain(DEVELOPMENT_SECRET);
    expect(output).not.toContain("CERTIFICATE_SIGNING_KEY :");
  });

  it("is refused with no keys at all, or with the development signing key", async () => {
    const none = await runFailingAppServer({ databaseUrl: testDatabaseUrl("prod_no_keys"), env: { APP_URL: PUBLIC_URL, SMTP_URL: REAL.SMTP_URL } });
    expect(none.code).not.toBe(0);
    expect(none.output).toContain("CODES_ENCRYPTION_KEY : manquante");
    expect(none.output).toContain("CERTIFICATE_SIGNING_KEY : manquante");

    const devSigning = await runFailingAppServer({ databaseUrl: testDatabaseUrl("prod_dev_signing"), env: { ...REAL, CERTIFICATE_SIGNING_KEY: DEVELOPMENT_SIGNING_KEY } });
    expect(devSigning.code).not.toBe(0);
    expect(devSigning.output).toContain("CERTIFICATE_SIGNING_KEY : c'est la clé de développement");
  });

  it("is refused when demo data would be seeded, or mail only captured in files", async () => {
    const demo = await runFailingAppServer({ databaseUrl: testDatabaseUrl("prod_demo"), env: { ...REAL, SEED_DEMO_DATA: "auto" } });
    expect(demo.code).not.toBe(0);
    expect(demo.output).toContain("SEED_DEMO_DATA");
    const { SMTP_URL: _, ...withoutSmtp } = REAL;
    const captured = await runFailingAppServer({ databaseUrl: testDatabaseUrl("prod_no_smtp"), env: withoutSmtp });
    expect(captured.code).not.toBe(0);
    expect(captured.output).toContain("SMTP_URL : manquante");
  });

  it("starts with the keys `npm run keys:generate` prints and SMTP, on an empty database (no demo accounts)", async () => {
    const printed = execFileSync(process.execPath, ["--import", "tsx", "scripts/generate-keys.ts"], { cwd: REPO_ROOT, encoding: "utf8" });
    const keys = Object.fromEntries(printed.split("\n").filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
    expect(Object.keys(keys)).toEqual(["CODES_ENCRYPTION_KEY", "CERTIFICATE_SIGNING_KEY", "METRICS_TOKEN"]);
    const databaseUrl = emptyTestDatabaseUrl("prod_ok");
    app = await startAppServer({ databaseUrl, env: { APP_URL: PUBLIC_URL, SMTP_URL: REAL.SMTP_URL, ...keys, SEED_DEMO_DATA: "" } });
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    expect(app.output()).not.toContain("Comptes de démonstration");
    const db = createDb(databaseUrl);
    try {
      expect(await db.user.count()).toBe(0);
    } finally {
      await db.$disconnect();
    }
  });
});
