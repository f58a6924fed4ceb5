/**
 * The key that signs certificates, from `CERTIFICATE_SIGNING_KEY`. Without it, a fixed
 * development key is used so that a fresh checkout, the demo and the tests work out of the
 * box, as `CODES_ENCRYPTION_KEY` does. That key is public (it is written below): a
 * certificate signed with it proves nothing, which is acceptable only for demo and test data.
 */
import type { KeyObject } from "node:crypto";
import { getEnv } from "~/utils/env.server";
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
