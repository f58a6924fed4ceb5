import { describe, expect, it } from "vitest";
import { describeProductionProblems, isLoopbackUrl, isProduction, productionProblems, type ProductionSettings } from "./production.rules";

const DEV_CODES_KEY = "development-codes-key";
const DEV_SIGNING = "development-signing-key";
const development = { codesKey: DEV_CODES_KEY, isDevelopmentSigningKey: (k: string) => k === DEV_SIGNING || k === `PEM:${DEV_SIGNING}` };

const REAL: ProductionSettings = {
  APP_URL: "https://formation.maillon.example",
  CODES_ENCRYPTION_KEY: "k".repeat(44),
  CERTIFICATE_SIGNING_KEY: "a-real-signing-key",
  SEED_DEMO_DATA: "never",
  SMTP_URL: "smtps://user:pass@smtp.example.org:465",
};

describe("loopback addresses", () => {
  it.each([
    ["http://localhost:3000", true],
    ["http://LOCALHOST", true],
    ["http://maillon.localhost:3000", true],
    ["http://127.0.0.1:41234", true],
    ["http://127.8.9.10", true],
    ["http://[::1]:3000", true],
    ["https://formation.maillon.example", false],
    ["http://192.168.1.20:3000", false],
    ["http://10.0.0.5", false],
    ["http://0.0.0.0:3000", false],
    ["http://127.0.0.1.nip.io", false],
    ["http://localhost.example.org", false],
    ["http://128.0.0.1", false],
    ["http://[::ffff:7f00:1]", false],
    ["pas une adresse", false],
  ])("%s → %s", (url, loopback) => {
    expect(isLoopbackUrl(url)).toBe(loopback);
    expect(isProduction({ APP_URL: url })).toBe(!loopback);
  });
});

describe("what a production portal refuses to start with", () => {
  it.each<[string, Partial<ProductionSettings>, string[]]>([
    ["real keys, SMTP, no demo", {}, []],
    ["no codes key", { CODES_ENCRYPTION_KEY: undefined }, ["CODES_ENCRYPTION_KEY"]],
    ["the development codes key", { CODES_ENCRYPTION_KEY: DEV_CODES_KEY }, ["CODES_ENCRYPTION_KEY"]],
    ["a short codes key", { CODES_ENCRYPTION_KEY: "secret" }, ["CODES_ENCRYPTION_KEY"]],
    ["no signing key", { CERTIFICATE_SIGNING_KEY: undefined }, ["CERTIFICATE_SIGNING_KEY"]],
    ["the development signing key", { CERTIFICATE_SIGNING_KEY: DEV_SIGNING }, ["CERTIFICATE_SIGNING_KEY"]],
    ["the development signing key as PEM", { CERTIFICATE_SIGNING_KEY: `PEM:${DEV_SIGNING}` }, ["CERTIFICATE_SIGNING_KEY"]],
    ["demo data asked for", { SEED_DEMO_DATA: "auto" }, ["SEED_DEMO_DATA"]],
    ["demo data not set (the default is never in production)", { SEED_DEMO_DATA: undefined }, []],
    ["mail only captured in files", { SMTP_URL: undefined }, ["SMTP_URL"]],
    [
      "nothing configured",
      { CODES_ENCRYPTION_KEY: undefined, CERTIFICATE_SIGNING_KEY: undefined, SEED_DEMO_DATA: "auto", SMTP_URL: undefined },
      ["CODES_ENCRYPTION_KEY", "CERTIFICATE_SIGNING_KEY", "SEED_DEMO_DATA", "SMTP_URL"],
    ],
  ])("%s → %j", (_, change, variables) => {
    expect(productionProblems({ ...REAL, ...change }, development).map((p) => p.variable)).toEqual(variables);
  });

  it("a loopback portal (the demo) starts with nothing configured", () => {
    for (const APP_URL of ["http://localhost:3000", "http://127.0.0.1:5173"]) {
      expect(productionProblems({ APP_URL, SEED_DEMO_DATA: "auto" }, development)).toEqual([]);
    }
  });

  it("says which variable and how to make a key, never a key's value", () => {
    const settings = { ...REAL, CODES_ENCRYPTION_KEY: DEV_CODES_KEY, CERTIFICATE_SIGNING_KEY: undefined };
    const message = describeProductionProblems(settings.APP_URL, productionProblems(settings, development));
    expect(message).toContain("CODES_ENCRYPTION_KEY : c'est la clé de développement");
    expect(message).toContain("CERTIFICATE_SIGNING_KEY : manquante");
    expect(message).toContain("npm run keys:generate");
    expect(message).not.toContain(DEV_CODES_KEY);
  });
});
