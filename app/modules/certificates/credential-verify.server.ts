/**
 * Checks a credential file someone pastes or uploads on the verification page, the way an
 * outside verifier would: the W3C VC library (@digitalbazaar/vc) with the Data Integrity
 * `eddsa-rdfc-2022` cryptosuite and the Bitstring Status List checker. Only this portal's
 * credentials are checked (its did:web and status lists are answered from here; the server
 * never fetches a URL a visitor chose). Each check is reported in French.
 */
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { cryptosuite } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import { contexts as multikeyContexts } from "@digitalbazaar/multikey-context";
import { verifyCredential } from "@digitalbazaar/vc";
import { checkStatus } from "@digitalbazaar/vc-bitstring-status-list";
import { getEnv } from "~/utils/env.server";
import { formatDate } from "~/utils/dates";
import { normaliseVerificationCode } from "./certificate.rules";
import { portalDidDocument, statusListCredentialText, statusListPath } from "./credential.server";
import { STATIC_CONTEXTS, type LoadedDocument } from "./data-integrity.server";
import { MULTIKEY_CONTEXT } from "./did.rules";
import { issuerDid } from "./signing-key.server";

export const MAX_CREDENTIAL_BYTES = 256 * 1024;

export type CredentialCheck = { label: string; ok: boolean; detail?: string };
export type CredentialVerdict = { ok: boolean; signatureValid: boolean; checks: CredentialCheck[]; verificationCode: string | null };

const loaded = (url: string, document: unknown): LoadedDocument => ({ contextUrl: null, documentUrl: url, document });

/** Contexts from packages, the portal's DID document and keys, its status lists from the database; nothing else. */
async function portalLoader(url: string): Promise<LoadedDocument> {
  const context = STATIC_CONTEXTS.get(url) ?? multikeyContexts.get(url);
  if (context) return loaded(url, context);
  const did = issuerDid();
  const [base, fragment] = url.split("#");
  if (base === did) {
    const document = portalDidDocument();
    if (!fragment) return loaded(url, document);
    const method = document.verificationMethod.find((m) => m.id === url);
    if (method) return loaded(url, { "@context": MULTIKEY_CONTEXT, ...method });
  }
  const listPrefix = `${getEnv().APP_URL}${statusListPath(0).replace(/0$/, "")}`;
  if (url.startsWith(listPrefix)) {
    const text = await statusListCredentialText(Number(url.slice(listPrefix.length)));
    if (text) return loaded(url, JSON.parse(text));
  }
  throw new Error(`Document hors de ce portail : ${url}`);
}

const dateFr = (iso: string) => formatDate(new Date(iso));
const isDate = (value: unknown): value is string => typeof value === "string" && !Number.isNaN(Date.parse(value));

/** The verdict on a pasted or uploaded credential, at `now`. */
export async function verifyPresentedCredential(text: string, now = new Date()): Promise<CredentialVerdict> {
  const fail = (label: string, detail?: string): CredentialVerdict => ({ ok: false, signatureValid: false, checks: [{ label, ok: false, detail }], verificationCode: null });
  if (!text.trim()) return fail("Aucun document reçu", "Collez le contenu du fichier JSON ou choisissez le fichier.");
  if (Buffer.byteLength(text) > MAX_CREDENTIAL_BYTES) return fail("Document trop volumineux", "Un badge Maillon pèse quelques kilo-octets.");
  let credential: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
    credential = parsed as Record<string, unknown>;
  } catch {
    return fail("Document illisible", "Ce n'est pas un document JSON : déposez le fichier open-badge.json tel que téléchargé.");
  }
  const checks: CredentialCheck[] = [];
  const issuer = credential.issuer;
  const issuerId = typeof issuer === "string" ? issuer : issuer && typeof issuer === "object" ? (issuer as { id?: unknown }).id : undefined;
  const did = issuerDid();
  if (issuerId !== did) {
    return fail("Émetteur inconnu ici", `Ce badge n'a pas été délivré par ce portail (émetteur attendu : ${did}). Vérifiez-le avec le vérificateur Open Badges 3.0 de votre choix.`);
  }
  checks.push({ label: `Émetteur : ce portail (${did})`, ok: true });

  const { validFrom, validUntil } = credential;
  const from = isDate(validFrom) ? new Date(validFrom) : null;
  const until = isDate(validUntil) ? new Date(validUntil) : null;
  if (!from) checks.push({ label: "Date de délivrance absente ou illisible", ok: false });
  else if (from > now) checks.push({ label: `Pas encore valable : il le sera le ${dateFr(validFrom as string)}`, ok: false });
  else if (until && until <= now) checks.push({ label: `Expiré : sa validité a pris fin le ${dateFr(validUntil as string)}`, ok: false });
  else checks.push({ label: until ? `En cours de validité jusqu'au ${dateFr(validUntil as string)}` : "En cours de validité (sans date de fin)", ok: true });

  // The signature is checked at an instant inside the validity period, so that an expired but
  // authentic badge says "expired", not "forged"; the dates were judged above.
  const at = from && from > now ? from : until && until <= now ? new Date(until.getTime() - 1000) : now;
  let revoked: boolean | null = null;
  let statusError: string | null = null;
  const suite = new DataIntegrityProof({ cryptosuite });
  let result: LdResult;
  try {
    result = await verifyCredential({
      credential,
      suite,
      documentLoader: portalLoader,
      now: at,
      checkStatus: async (options) => {
        const status = await checkStatus({ ...options, verifyMatchingIssuers: true });
        if (status.verified) revoked = status.results?.some((r) => r.status === true) ?? false;
        else statusError = status.error?.message ?? "liste illisible";
        return status;
      },
    });
  } catch (error) {
    result = { verified: false, error: { message: error instanceof Error ? error.message : String(error) } };
  }
  const proofVerified = result.results?.some((r) => r.verified) ?? false;
  checks.push(
    proofVerified
      ? { label: "Signature vérifiée (preuve Data Integrity eddsa-rdfc-2022) : le contenu est celui délivré", ok: true }
      : {
          label: "Signature invalide : le contenu a été modifié après délivrance, ou il n'a pas été signé par une clé de ce portail",
          ok: false,
          detail: !credential.proof ? "Le document ne porte aucune preuve." : undefined,
        },
  );
  if (!credential.credentialStatus) checks.push({ label: "Aucune information de révocation dans le badge", ok: false });
  else if (revoked === true) checks.push({ label: "Révoqué : la liste de statuts publiée par le portail marque ce certificat comme révoqué", ok: false });
  else if (revoked === false) checks.push({ label: "Non révoqué (liste de statuts du portail)", ok: true });
  else checks.push({ label: "Statut de révocation impossible à lire", ok: false, detail: statusError ?? undefined });

  const id = typeof credential.id === "string" ? credential.id : "";
  const prefix = `${getEnv().APP_URL}/certificats/verifier/`;
  const verificationCode = id.startsWith(prefix) ? normaliseVerificationCode(id.slice(prefix.length)) : null;
  return { ok: checks.every((c) => c.ok), signatureValid: proofVerified, checks, verificationCode };
}
