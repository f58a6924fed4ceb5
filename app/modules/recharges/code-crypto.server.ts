import { createCipheriv, createDecipheriv, createHmac, hkdfSync } from "node:crypto";
import { pooledRandomBytes } from "~/utils/ids.server";

/**
 * Recharge codes are bearer secrets (whoever reads one can use it), so they are stored
 * encrypted with AES-256-GCM, and duplicates are found through a keyed hash (HMAC-SHA256)
 * without decrypting anything. Both keys are derived with HKDF from one secret,
 * `CODES_ENCRYPTION_KEY` (e.g. `openssl rand -base64 32`); a separate key per purpose
 * means a leaked hash key never helps decrypt.
 *
 * Without the variable, a fixed development secret is used so that a fresh checkout and
 * the demo data work out of the box. It is public (it is written below): codes stored
 * with it are not protected, which is acceptable only for fake demo and test PINs.
 */
export const DEVELOPMENT_SECRET = "maillon-development-only-codes-key-not-secret";
const BLOB_VERSION = "v1";

type Keys = { encryption: Buffer; hash: Buffer };
let cached: { secret: string; keys: Keys } | undefined;

const deriveKeys = (secret: string): Keys => {
  const derive = (purpose: string) => Buffer.from(hkdfSync("sha256", secret, "maillon", `recharge-codes/${purpose}`, 32));
  return { encryption: derive("encryption"), hash: derive("hash") };
};

function keys(): Keys {
  const secret = process.env.CODES_ENCRYPTION_KEY || DEVELOPMENT_SECRET;
  if (cached?.secret !== secret) cached = { secret, keys: deriveKeys(secret) };
  return cached.keys;
}

/** `v1.<iv>.<ciphertext>.<tag>`, each part base64url. */
export const encryptCode = (code: string): string => encryptWith(keys(), code);

/** Throws when the blob was altered or encrypted under another key. */
export const decryptCode = (blob: string): string => decryptWith(keys(), blob);

/** Keyed hash (hex) of a code: equal codes give equal hashes, unguessable without the key. */
export const hashCode = (code: string): string => hashWith(keys(), code);

export type CodeCipher = { encrypt: (code: string) => string; decrypt: (blob: string) => string; hash: (code: string) => string };

/** The same operations under an explicit secret, for key rotation (recharges/key-rotation.server.ts). */
export function codeCipher(secret: string): CodeCipher {
  const k = deriveKeys(secret);
  return { encrypt: (code) => encryptWith(k, code), decrypt: (blob) => decryptWith(k, blob), hash: (code) => hashWith(k, code) };
}

function encryptWith(k: Keys, code: string): string {
  const iv = pooledRandomBytes(12); // a fresh random 96-bit IV per code
  const cipher = createCipheriv("aes-256-gcm", k.encryption, iv, { authTagLength: 16 });
  const ciphertext = Buffer.concat([cipher.update(code, "utf8"), cipher.final()]);
  return [BLOB_VERSION, iv, ciphertext, cipher.getAuthTag()].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

function decryptWith(k: Keys, blob: string): string {
  const [version, iv, ciphertext, tag, ...rest] = blob.split(".");
  if (version !== BLOB_VERSION || !iv || ciphertext === undefined || !tag || rest.length) throw new Error("Unrecognised encrypted code format");
  const decipher = createDecipheriv("aes-256-gcm", k.encryption, Buffer.from(iv, "base64url"), { authTagLength: 16 });
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
}

const hashWith = (k: Keys, code: string): string => createHmac("sha256", k.hash).update(code, "utf8").digest("hex");
