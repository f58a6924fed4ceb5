/**
 * `npm run keys:generate`: prints fresh secrets for a production portal, as lines to copy
 * into its environment (systemd EnvironmentFile, container env file...). Nothing is stored.
 */
import { randomBytes } from "node:crypto";
import { generateSigningKeyPair } from "../app/modules/certificates/signing";

const signing = generateSigningKeyPair();
console.log(
  [
    "# Secrets du portail : à garder hors du dépôt, et à sauvegarder à part de la base.",
    `CODES_ENCRYPTION_KEY=${randomBytes(32).toString("base64")}`,
    `CERTIFICATE_SIGNING_KEY=${signing.privateKeyBase64}`,
    `METRICS_TOKEN=${randomBytes(32).toString("base64url")}`,
    `# Clé publique des certificats, en base64 (le portail la publie en PEM sur /certificats/cle-publique) : ${signing.publicKeyBase64}`,
  ].join("\n"),
);
