/**
 * Ed25519 signatures over a certificate's printed fields, so that anyone holding the PDF
 * (or its data) can check that nothing was changed since issue. The signed bytes are a
 * canonical JSON: fixed field set, keys sorted, strings NFC-normalised (a name typed
 * with combining accents signs as the precomposed one), dates as ISO 8601 UTC, integers
 * only. Status fields (revoked, superseded) are not signed: they change after issue and
 * the public verification page shows them.
 *
 * Keys come from parameters (the caller reads them from the environment), as PEM or as
 * raw 32-byte keys in base64/base64url. Tested in signing.test.ts.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";
import type { CertificateKind } from "./certificate.rules";

/** Names the signed format, so a signature made for anything else never verifies as a certificate. */
export const CERTIFICATE_SIGNATURE_FORMAT = "maillon-certificate/v1";

export type SignedCertificateFields = {
  number: string;
  kind: CertificateKind;
  verificationCode: string;
  holderName: string;
  employerName: string | null;
  moduleTitle: string;
  attendedMinutes: number;
  startsOn: Date;
  endsOn: Date;
  objectivesReached: boolean | null;
  issuedAt: Date;
  expiresAt: Date | null;
};

type Canonical = null | boolean | number | string | Date | readonly Canonical[] | { readonly [key: string]: Canonical };

/** Deterministic JSON: sorted keys, NFC strings, ISO dates; throws on undefined, non-integers and anything else. */
export function canonicalJson(value: Canonical): string {
  if (value === null || typeof value === "boolean") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new TypeError(`Only safe integers can be signed, got ${value}`);
    return JSON.stringify(value);
  }
  if (typeof value === "string") return JSON.stringify(value.normalize("NFC"));
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError("Invalid date cannot be signed");
    return JSON.stringify(value.toISOString());
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = Object.keys(value).sort().map((key) => {
      const item = (value as Record<string, Canonical>)[key];
      if (item === undefined) throw new TypeError(`Field ${key} is undefined`);
      return `${JSON.stringify(key.normalize("NFC"))}:${canonicalJson(item)}`;
    });
    return `{${entries.join(",")}}`;
  }
  throw new TypeError(`Cannot sign a value of type ${typeof value}`);
}

/** The exact text signed for a certificate: only the printed fields, whatever else the object carries. */
export function canonicalCertificate(fields: SignedCertificateFields): string {
  return canonicalJson({
    format: CERTIFICATE_SIGNATURE_FORMAT,
    number: fields.number,
    kind: fields.kind,
    verificationCode: fields.verificationCode,
    holderName: fields.holderName,
    employerName: fields.employerName,
    moduleTitle: fields.moduleTitle,
    attendedMinutes: fields.attendedMinutes,
    startsOn: fields.startsOn,
    endsOn: fields.endsOn,
    objectivesReached: fields.objectivesReached,
    issuedAt: fields.issuedAt,
    expiresAt: fields.expiresAt,
  });
}

// DER headers that wrap a raw 32-byte Ed25519 key into PKCS#8 (private) and SPKI (public).
const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
const SPKI_ED25519_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

/** The 32 raw bytes of a base64 or base64url key; throws when it is not 32 bytes. */
function rawKeyBytes(text: string): Buffer {
  const compact = text.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) throw new Error("Signing key is neither PEM nor base64");
  const bytes = Buffer.from(compact.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  if (bytes.length !== 32) throw new Error(`A raw Ed25519 key is 32 bytes, got ${bytes.length}`);
  return bytes;
}

/** Throws unless `key` is an Ed25519 key. */
function assertEd25519(key: KeyObject): KeyObject {
  if (key.asymmetricKeyType !== "ed25519") throw new Error(`Expected an Ed25519 key, got ${key.asymmetricKeyType ?? key.type}`);
  return key;
}

/** An Ed25519 private key from PEM (PKCS#8) or a raw 32-byte seed in base64. */
export function loadPrivateKey(input: string | KeyObject): KeyObject {
  if (typeof input !== "string") return assertEd25519(input);
  if (input.includes("-----BEGIN")) return assertEd25519(createPrivateKey(input));
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, rawKeyBytes(input)]), format: "der", type: "pkcs8" });
}

/** An Ed25519 public key from PEM (SPKI) or a raw 32-byte key in base64. */
export function loadPublicKey(input: string | KeyObject): KeyObject {
  if (typeof input !== "string") return assertEd25519(input.type === "private" ? createPublicKey(input) : input);
  if (input.includes("-----BEGIN")) return assertEd25519(createPublicKey(input));
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, rawKeyBytes(input)]), format: "der", type: "spki" });
}

/** The raw public key (base64url, 43 characters) to publish; a raw base64 string given here is read as a public key. */
export const publicKeyBase64url = (key: string | KeyObject): string => loadPublicKey(key).export({ format: "jwk" }).x!;

export type SigningKeyPair = { privateKeyPem: string; publicKeyPem: string; privateKeyBase64: string; publicKeyBase64: string };

/** A fresh Ed25519 key pair, as PEM and as raw base64 (for `CERTIFICATE_SIGNING_KEY`-style settings). */
export function generateSigningKeyPair(): SigningKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const jwk = privateKey.export({ format: "jwk" });
  return {
    privateKeyPem: privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
    publicKeyPem: publicKey.export({ format: "pem", type: "spki" }).toString(),
    privateKeyBase64: Buffer.from(jwk.d!, "base64url").toString("base64"),
    publicKeyBase64: Buffer.from(jwk.x!, "base64url").toString("base64"),
  };
}

/** The Ed25519 signature (base64url, 86 characters) of the certificate's canonical fields. */
export function signCertificate(fields: SignedCertificateFields, privateKey: string | KeyObject): string {
  return sign(null, Buffer.from(canonicalCertificate(fields), "utf8"), loadPrivateKey(privateKey)).toString("base64url");
}

/** Whether `signature` was made over exactly these fields by the holder of `publicKey`; false for any malformed signature. */
export function verifyCertificateSignature(fields: SignedCertificateFields, signature: string, publicKey: string | KeyObject): boolean {
  if (!/^[A-Za-z0-9_-]{86}$/.test(signature)) return false;
  const key = loadPublicKey(publicKey);
  let data: Buffer;
  try {
    data = Buffer.from(canonicalCertificate(fields), "utf8");
  } catch {
    return false;
  }
  return verify(null, data, key, Buffer.from(signature, "base64url"));
}
