import { afterEach, describe, expect, it } from "vitest";
import { decryptCode, encryptCode, hashCode } from "./code-crypto.server";

const PIN = "48201937465018";
const original = process.env.CODES_ENCRYPTION_KEY;

afterEach(() => {
  if (original === undefined) delete process.env.CODES_ENCRYPTION_KEY;
  else process.env.CODES_ENCRYPTION_KEY = original;
});

describe("recharge code crypto", () => {
  it("decrypts what it encrypted, and never stores the code in clear", () => {
    const blob = encryptCode(PIN);
    expect(blob).not.toContain(PIN);
    expect(blob).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(decryptCode(blob)).toBe(PIN);
  });

  it("uses a fresh IV each time: the same code encrypts differently", () => {
    expect(encryptCode(PIN)).not.toBe(encryptCode(PIN));
  });

  it("rejects a tampered or truncated blob", () => {
    const [version, iv, ciphertext, tag] = encryptCode(PIN).split(".") as [string, string, string, string];
    const flipped = Buffer.from(ciphertext, "base64url");
    flipped[0]! ^= 1;
    expect(() => decryptCode([version, iv, flipped.toString("base64url"), tag].join("."))).toThrow();
    expect(() => decryptCode([version, iv, ciphertext, tag.slice(0, 8)].join("."))).toThrow();
    expect(() => decryptCode([version, iv, ciphertext].join("."))).toThrow();
    expect(() => decryptCode(`v2.${iv}.${ciphertext}.${tag}`)).toThrow();
  });

  it("hashes deterministically with a key: equal codes match, different codes do not", () => {
    expect(hashCode(PIN)).toBe(hashCode(PIN));
    expect(hashCode(PIN)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashCode(PIN)).not.toBe(hashCode("48201937465019"));
  });

  it("depends on CODES_ENCRYPTION_KEY: another key can neither decrypt nor reproduce the hash", () => {
    delete process.env.CODES_ENCRYPTION_KEY;
    const devBlob = encryptCode(PIN);
    const devHash = hashCode(PIN);
    process.env.CODES_ENCRYPTION_KEY = "Zm9yIHRlc3RzIG9ubHk6IGEgMzItYnl0ZSBzZWNyZXQh";
    expect(hashCode(PIN)).not.toBe(devHash);
    expect(() => decryptCode(devBlob)).toThrow();
    expect(decryptCode(encryptCode(PIN))).toBe(PIN);
  });
});
