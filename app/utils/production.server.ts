import { loadPrivateKey, publicKeyBase64url } from "~/modules/certificates/signing";
import { DEVELOPMENT_SIGNING_KEY } from "~/modules/certificates/signing-key.server";
import { DEVELOPMENT_SECRET } from "~/modules/recharges/code-crypto.server";
import { ConfigError, type Env } from "./env.server";
import { describeProductionProblems, productionProblems } from "./production.rules";

const developmentPublicKey = publicKeyBase64url(loadPrivateKey(DEVELOPMENT_SIGNING_KEY));

/** Whether `key` (PEM or raw base64) is the public development signing key. */
export function isDevelopmentSigningKey(key: string): boolean {
  try {
    return publicKeyBase64url(loadPrivateKey(key)) === developmentPublicKey;
  } catch {
    return false;
  }
}

/** Throws a ConfigError naming every unsafe variable when a production portal is not fit to start. */
export function assertSafeForProduction(env: Env): void {
  const problems = productionProblems(env, { codesKey: DEVELOPMENT_SECRET, isDevelopmentSigningKey });
  if (problems.length) throw new ConfigError(describeProductionProblems(env.APP_URL, problems));
}
