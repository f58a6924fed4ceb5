import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "./env.server";

describe("configuration", () => {
  it("runs on the embedded defaults", () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBe("file:./data/maillon.db");
    expect(env.PORT).toBe(3000);
    expect(env.APP_URL).toBe("http://localhost:3000");
    expect(env.SMTP_URL).toBeUndefined();
  });

  it("honours PORT in the default APP_URL", () => {
    expect(parseEnv({ PORT: "8080" }).APP_URL).toBe("http://localhost:8080");
  });

  it.each([
    [{ PORT: "soixante" }, "PORT"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
    [{ SMTP_URL: "http://mail" }, "SMTP_URL"],
    [{ APP_URL: "ftp://x" }, "APP_URL"],
    [{ CERTIFICATE_SIGNING_KEY: "not-a-key" }, "CERTIFICATE_SIGNING_KEY"],
    [{ CERTIFICATE_SIGNING_KEY: "c2hvcnQ=" }, "CERTIFICATE_SIGNING_KEY"],
  ])("names the bad variable in %j", (source, name) => {
    expect(() => parseEnv(source)).toThrow(ConfigError);
    expect(() => parseEnv(source)).toThrow(new RegExp(`${name}:`));
  });

  it("seeds demo data by default on a loopback APP_URL only", () => {
    expect(parseEnv({}).SEED_DEMO_DATA).toBe("auto");
    expect(parseEnv({ APP_URL: "https://formation.maillon.example" }).SEED_DEMO_DATA).toBe("never");
    expect(parseEnv({ APP_URL: "https://formation.maillon.example", SEED_DEMO_DATA: "auto" }).SEED_DEMO_DATA).toBe("auto");
  });

  it("wants a METRICS_TOKEN long enough to resist guessing", () => {
    expect(() => parseEnv({ METRICS_TOKEN: "court" })).toThrow(/METRICS_TOKEN:/);
    expect(parseEnv({ METRICS_TOKEN: "x".repeat(32) }).METRICS_TOKEN).toBe("x".repeat(32));
  });

  it("accepts an Ed25519 signing key as PEM or raw base64", () => {
    const { privateKey } = generateKeyPairSync("ed25519");
    const pem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    const raw = Buffer.from(privateKey.export({ format: "jwk" }).d!, "base64url").toString("base64");
    expect(parseEnv({ CERTIFICATE_SIGNING_KEY: pem }).CERTIFICATE_SIGNING_KEY).toBe(pem);
    expect(parseEnv({ CERTIFICATE_SIGNING_KEY: raw }).CERTIFICATE_SIGNING_KEY).toBe(raw);
    expect(parseEnv({ CERTIFICATE_SIGNING_KEY: "" }).CERTIFICATE_SIGNING_KEY).toBeUndefined();
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    expect(() => parseEnv({ CERTIFICATE_SIGNING_KEY: rsa })).toThrow(/CERTIFICATE_SIGNING_KEY:/);
  });

  it("never prints a variable's value", () => {
    const message = (() => {
      try {
        parseEnv({ SMTP_URL: "smtp-secret-password" });
        return "accepted";
      } catch (e) {
        return String(e);
      }
    })();
    expect(message).toContain("SMTP_URL");
    expect(message).not.toContain("secret-password");
  });
});
