/**
 * When the portal counts as "in production", and what it must then refuse to start with.
 * Pure: the configuration and the public development values come in as arguments.
 *
 * A portal is in production as soon as its public address (`APP_URL`) is not a loopback
 * address: from then on other machines can reach it, so the public development keys, the
 * demo data and mail captured in files are unsafe (decision 021).
 */

/** Whether `url`'s host is this machine only: localhost (and *.localhost), 127.0.0.0/8, ::1. */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (host === "[::1]") return true;
  return /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(host) && host.split(".").every((part) => Number(part) <= 255);
}

export type ProductionSettings = {
  APP_URL: string;
  CODES_ENCRYPTION_KEY?: string;
  CERTIFICATE_SIGNING_KEY?: string;
  /** As given in the environment (undefined: not set). */
  SEED_DEMO_DATA?: "auto" | "never";
  SMTP_URL?: string;
};

export type DevelopmentValues = {
  codesKey: string;
  /** Whether a signing key is the public development one (in any of its encodings). */
  isDevelopmentSigningKey: (key: string) => boolean;
};

export type ProductionProblem = { variable: string; message: string };

/** The shortest `CODES_ENCRYPTION_KEY` accepted in production (a 32-byte key in base64 has 44). */
export const MIN_CODES_KEY_LENGTH = 32;

const MAKE_KEYS = "Créez des clés avec `npm run keys:generate` (elles sont affichées, à copier dans l'environnement du service).";

export const isProduction = (settings: Pick<ProductionSettings, "APP_URL">) => !isLoopbackUrl(settings.APP_URL);

/** What stops a portal in production from starting; empty when it may start (or is not in production). */
export function productionProblems(settings: ProductionSettings, development: DevelopmentValues): ProductionProblem[] {
  if (!isProduction(settings)) return [];
  const problems: ProductionProblem[] = [];
  const codesKey = settings.CODES_ENCRYPTION_KEY;
  if (!codesKey) {
    problems.push({ variable: "CODES_ENCRYPTION_KEY", message: `manquante : sans elle, les codes de recharge seraient chiffrés avec la clé de développement, publique. ${MAKE_KEYS}` });
  } else if (codesKey === development.codesKey) {
    problems.push({ variable: "CODES_ENCRYPTION_KEY", message: `c'est la clé de développement, publique. ${MAKE_KEYS}` });
  } else if (codesKey.length < MIN_CODES_KEY_LENGTH) {
    problems.push({ variable: "CODES_ENCRYPTION_KEY", message: `trop courte (${MIN_CODES_KEY_LENGTH} caractères au moins). ${MAKE_KEYS}` });
  }
  const signingKey = settings.CERTIFICATE_SIGNING_KEY;
  if (!signingKey) {
    problems.push({ variable: "CERTIFICATE_SIGNING_KEY", message: `manquante : sans elle, les certificats seraient signés avec la clé de développement, publique. ${MAKE_KEYS}` });
  } else if (development.isDevelopmentSigningKey(signingKey)) {
    problems.push({ variable: "CERTIFICATE_SIGNING_KEY", message: `c'est la clé de développement, publique. ${MAKE_KEYS}` });
  }
  if (settings.SEED_DEMO_DATA === "auto") {
    problems.push({
      variable: "SEED_DEMO_DATA",
      message: "les données de démonstration (comptes au mot de passe public) ne sont pas chargées en production : retirez la variable ou mettez-la à « never ».",
    });
  }
  if (!settings.SMTP_URL) {
    problems.push({
      variable: "SMTP_URL",
      message: "manquante : sans serveur d'envoi, les e-mails seraient seulement écrits dans des fichiers (MAIL_CAPTURE_DIR) et personne ne les recevrait. Exemple : smtps://utilisateur:mot-de-passe@smtp.example.org:465",
    });
  }
  return problems;
}

/** The French message printed when the portal refuses to start. */
export function describeProductionProblems(appUrl: string, problems: ProductionProblem[]): string {
  return [
    `Démarrage refusé : le portail est accessible depuis d'autres machines (APP_URL=${appUrl} n'est pas une adresse locale), et sa configuration n'est pas sûre :`,
    ...problems.map((p) => `  ${p.variable} : ${p.message}`),
  ].join("\n");
}
