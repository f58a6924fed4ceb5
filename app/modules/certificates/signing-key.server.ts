/**
 * The key that signs certificates, from `CERTIFICATE_SIGNING_KEY`. Without it, a fixed
 * development key is used so that a fresh checkout, the demo and the tests work out of the
 * box, as `CODES_ENCRYPTION_KEY` does. That key is public (it is written below): a
 * certificate signed with it proves nothing, which is acceptable only for demo and test data.
 */
import type { KeyObject } from "node:crypto";
import { getEnv } from "~/utils/env.server";
import { didWebFor, ed25519Multikey, parseRetiredKeys, type PublishedKey, type RetiredKey } from "./did.rules";
import { loadPrivateKey, loadPublicKey, publicKeyBase64url } from "./signing";

/** Raw Ed25519 seed, base64. DEVELOPMENT ONLY, NOT SECRET. */
export const DEVELOPMENT_SIGNING_KEY = "nZiZ9DgkE6oWzBvT21EruhTPd9tijsLGHRGoA+Xy5mM=";

type Keys = { source: string; privateKey: KeyObject; publicKey: KeyObject };
let cached: Keys | undefined;

function keys(): Keys {
  const source = getEnv().CERTIFICATE_SIGNING_KEY || DEVELOPMENT_SIGNING_KEY;
  if (cached?.source !== source) {
    const privateKey = loadPrivateKey(source);
    cached = { source, privateKey, publicKey: loadPublicKey(privateKey) };
  }
  return cached;
}

export const certificatePrivateKey = (): KeyObject => keys().privateKey;
export const certificatePublicKey = (): KeyObject => keys().publicKey;
/** Whether certificates are signed with the public development key (the page says so). */
export const usesDevelopmentSigningKey = (): boolean => !getEnv().CERTIFICATE_SIGNING_KEY;

/** The public key to publish: PEM (SPKI) and raw base64url. */
export function publishedPublicKey(): { pem: string; base64url: string } {
  const key = certificatePublicKey();
  return { pem: key.export({ format: "pem", type: "spki" }).toString(), base64url: publicKeyBase64url(key) };
}

// ───────────────────────── did:web and published keys ─────────────────────────

/** The portal's DID (did:web on APP_URL's host): the issuer of every credential. */
export const issuerDid = (): string => didWebFor(getEnv().APP_URL);

/** The id of a key's verification method in the DID document: the DID, "#", its Multikey. */
export const verificationMethodId = (publicKey: KeyObject): string => `${issuerDid()}#${ed25519Multikey(publicKey)}`;

let retiredCache: { source: string; keys: RetiredKey[] } | undefined;

/** Keys that signed certificates before a rotation (CERTIFICATE_RETIRED_KEYS): still published, marked retired. */
export function retiredPublicKeys(): RetiredKey[] {
  const source = getEnv().CERTIFICATE_RETIRED_KEYS ?? "";
  if (retiredCache?.source !== source) retiredCache = { source, keys: parseRetiredKeys(source) };
  return retiredCache.keys;
}

/** The current key then the retired ones, as the DID document lists them. */
export function publishedKeys(): PublishedKey[] {
  const current = certificatePublicKey();
  const currentMultikey = ed25519Multikey(current);
  return [
    { publicKey: current, multikey: currentMultikey, retiredOn: null },
    ...retiredPublicKeys()
      .map((k) => ({ ...k, multikey: ed25519Multikey(k.publicKey) }))
      .filter((k) => k.multikey !== currentMultikey),
  ];
}
