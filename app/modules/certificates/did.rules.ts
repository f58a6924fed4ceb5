/**
 * The portal as a did:web issuer (W3C DID 1.0, did:web method): its DID is APP_URL's host
 * (a port percent-encoded, "localhost%3A3000"), its DID document lists the certificate
 * keys as Multikey verification methods (Controlled Identifiers 1.0) allowed for
 * `assertionMethod`. A retired key (signed certificates before a rotation) stays listed
 * and allowed, so those certificates keep verifying, with the date it was retired; only the
 * current key signs. Pure; tested in did.rules.test.ts.
 */
import type { KeyObject } from "node:crypto";
import { loadPublicKey } from "./signing";

const BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/** Bitcoin base58 (multibase base58btc without its "z"). */
export function base58btc(bytes: Uint8Array): string {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  let value = 0n;
  for (const b of bytes) value = value * 256n + BigInt(b);
  let out = "";
  while (value > 0n) {
    out = BASE58[Number(value % 58n)] + out;
    value /= 58n;
  }
  return "1".repeat(zeros) + out;
}

/** Bytes of a base58btc string; throws on a character outside the alphabet. */
export function fromBase58btc(text: string): Uint8Array {
  let value = 0n;
  for (const c of text) {
    const digit = BASE58.indexOf(c);
    if (digit < 0) throw new Error(`Not base58: ${c}`);
    value = value * 58n + BigInt(digit);
  }
  const bytes: number[] = [];
  while (value > 0n) {
    bytes.unshift(Number(value % 256n));
    value /= 256n;
  }
  let zeros = 0;
  while (text[zeros] === "1") zeros++;
  return Uint8Array.from([...new Array<number>(zeros).fill(0), ...bytes]);
}

// Multicodec "ed25519-pub" (0xed) as an unsigned varint.
const ED25519_PUB_PREFIX = [0xed, 0x01];

/** The Multikey `publicKeyMultibase` of an Ed25519 public key: "z6Mk…". */
export function ed25519Multikey(publicKey: KeyObject): string {
  const raw = Buffer.from(publicKey.export({ format: "jwk" }).x!, "base64url");
  return `z${base58btc(Uint8Array.from([...ED25519_PUB_PREFIX, ...raw]))}`;
}

/** An Ed25519 public key from its Multikey ("z6Mk…"). */
export function publicKeyFromMultikey(multikey: string): KeyObject {
  if (!multikey.startsWith("z")) throw new Error("A Multikey is base58btc: it starts with z");
  const bytes = fromBase58btc(multikey.slice(1));
  if (bytes.length !== 34 || bytes[0] !== 0xed || bytes[1] !== 0x01) throw new Error("Not an Ed25519 Multikey");
  return loadPublicKey(Buffer.from(bytes.slice(2)).toString("base64"));
}

/** did:web of an origin: "https://maillon.example.org" → "did:web:maillon.example.org", a port as "%3A8443". */
export function didWebFor(appUrl: string): string {
  const url = new URL(appUrl);
  const host = url.hostname.toLowerCase();
  return `did:web:${url.port ? `${host}%3A${url.port}` : host}`;
}

export type RetiredKey = { publicKey: KeyObject; retiredOn: string | null };
export type PublishedKey = RetiredKey & { multikey: string };

/**
 * CERTIFICATE_RETIRED_KEYS: public keys separated by commas, spaces or new lines, each a
 * Multikey ("z6Mk…") or 32 bytes in base64, optionally followed by "@" and the day it was
 * retired ("z6Mk…@2026-11-30"). Throws on anything else (the environment check names it).
 */
export function parseRetiredKeys(text: string): RetiredKey[] {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((entry) => {
      const [key = "", day, extra] = entry.split("@");
      if (extra !== undefined || (day !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(day))) throw new Error(`Retired key entry is not KEY or KEY@YYYY-MM-DD: ${key.slice(0, 8)}…`);
      const publicKey = key.startsWith("z6Mk") ? publicKeyFromMultikey(key) : loadPublicKey(key);
      return { publicKey, retiredOn: day ?? null };
    });
}

export const DID_CONTEXT = "https://www.w3.org/ns/did/v1";
export const MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1";
// No standard term says "retired but still valid" ("revoked" would make verifiers refuse old
// certificates): this one is defined in the VC 2.0 namespace meant for such extensions.
const RETIRED_TERM = { retired: { "@id": "https://www.w3.org/ns/credentials/undefined-term#retired", "@type": "http://www.w3.org/2001/XMLSchema#date" } };

export type DidDocument = {
  "@context": [typeof DID_CONTEXT, typeof MULTIKEY_CONTEXT, typeof RETIRED_TERM];
  id: string;
  verificationMethod: { id: string; type: "Multikey"; controller: string; publicKeyMultibase: string; retired?: string }[];
  assertionMethod: string[];
};

/** The DID document: the current key first, then retired ones (each still allowed to assert, with its retirement day). */
export function didDocument(did: string, keys: readonly { multikey: string; retiredOn: string | null }[]): DidDocument {
  const methods = keys.map((k) => ({
    id: `${did}#${k.multikey}`,
    type: "Multikey" as const,
    controller: did,
    publicKeyMultibase: k.multikey,
    ...(k.retiredOn ? { retired: k.retiredOn } : {}),
  }));
  return { "@context": [DID_CONTEXT, MULTIKEY_CONTEXT, RETIRED_TERM], id: did, verificationMethod: methods, assertionMethod: methods.map((m) => m.id) };
}
