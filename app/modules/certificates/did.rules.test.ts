import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { base58btc, didDocument, didWebFor, ed25519Multikey, fromBase58btc, parseRetiredKeys, publicKeyFromMultikey } from "./did.rules";
import { DEVELOPMENT_SIGNING_KEY } from "./signing-key.server";
import { loadPublicKey, publicKeyBase64url } from "./signing";

describe("did:web", () => {
  it.each([
    ["https://maillon.example.org", "did:web:maillon.example.org"],
    ["https://Maillon.Example.org/", "did:web:maillon.example.org"],
    ["http://localhost:3000", "did:web:localhost%3A3000"],
    ["http://127.0.0.1:41234", "did:web:127.0.0.1%3A41234"],
  ])("%s → %s", (url, did) => expect(didWebFor(url)).toBe(did));
});

describe("Multikey", () => {
  it("encodes an Ed25519 public key as z6Mk… and back", () => {
    const { publicKey } = generateKeyPairSync("ed25519");
    const multikey = ed25519Multikey(publicKey);
    expect(multikey).toMatch(/^z6Mk[1-9A-HJ-NP-Za-km-z]{44}$/);
    expect(publicKeyBase64url(publicKeyFromMultikey(multikey))).toBe(publicKeyBase64url(publicKey));
  });

  it("keeps leading zero bytes through base58", () => {
    const bytes = Uint8Array.from([0, 0, 1, 255, 16]);
    expect(base58btc(bytes).startsWith("11")).toBe(true);
    expect([...fromBase58btc(base58btc(bytes))]).toEqual([...bytes]);
  });
});

describe("retired keys and the DID document", () => {
  const dev = loadPublicKey(DEVELOPMENT_SIGNING_KEY);
  const { publicKey: other } = generateKeyPairSync("ed25519");
  const otherBase64 = Buffer.from(publicKeyBase64url(other), "base64url").toString("base64");

  it("reads Multikeys and base64 keys, with or without a retirement day, and refuses anything else", () => {
    const keys = parseRetiredKeys(`${ed25519Multikey(dev)}@2026-01-31,\n ${otherBase64}`);
    expect(keys.map((k) => [ed25519Multikey(k.publicKey), k.retiredOn])).toEqual([
      [ed25519Multikey(dev), "2026-01-31"],
      [ed25519Multikey(other), null],
    ]);
    expect(parseRetiredKeys("")).toEqual([]);
    for (const bad of ["z6Mkabc", `${otherBase64}@31/01/2026`, "pas-une-clé", `${otherBase64}@2026-01-31@x`]) expect(() => parseRetiredKeys(bad)).toThrow();
  });

  it("lists the current key first, the retired ones after, all allowed to assert, the retired ones dated", () => {
    const did = "did:web:maillon.example.org";
    const doc = didDocument(did, [
      { multikey: ed25519Multikey(dev), retiredOn: null },
      { multikey: ed25519Multikey(other), retiredOn: "2026-01-31" },
    ]);
    expect(doc.id).toBe(did);
    expect(doc["@context"].slice(0, 2)).toEqual(["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]);
    expect(doc.verificationMethod[0]).toEqual({ id: `${did}#${ed25519Multikey(dev)}`, type: "Multikey", controller: did, publicKeyMultibase: ed25519Multikey(dev) });
    expect(doc.verificationMethod[1]!.retired).toBe("2026-01-31");
    expect(doc.assertionMethod).toEqual(doc.verificationMethod.map((m) => m.id));
    expect(JSON.stringify(doc)).not.toContain("revoked");
  });
});
