/**
 * The organisation's identity: what documents, mails and public pages print about the
 * association. Pure (identity.rules.test.ts); stored as versions (identity.server.ts).
 */

export type OrganisationIdentity = {
  /** The stored version, or null while staff have not set the identity (demonstration values). */
  id: string | null;
  name: string;
  legalForm: string;
  street: string;
  postalCode: string;
  city: string;
  siret: string;
  /** Numéro de déclaration d'activité (NDA) of the training organisation. */
  nda: string;
  ndaRegion: string;
  email: string;
  phone: string;
  signatoryName: string;
  signatoryTitle: string;
  documentMentions: string;
  /** Whether a logo is stored with this version (served at /organisation/logo/:id). */
  hasLogo: boolean;
  logoType: LogoType | null;
};

/**
 * What a fresh portal prints until staff set the identity at /admin/organisation: the demo's
 * values (the SIRET is Luhn-valid but fictitious, the NDA follows the prefecture's 11-digit
 * format). Staff pages say so until a real identity is saved.
 */
export const DEMO_IDENTITY: OrganisationIdentity = {
  id: null,
  name: "Association Maillon",
  legalForm: "Association régie par la loi du 1er juillet 1901",
  street: "12 rue de la Solidarité",
  postalCode: "75011",
  city: "Paris",
  siret: "79012345900014",
  nda: "11755512375",
  ndaRegion: "Île-de-France",
  email: "formation@maillon.localhost",
  phone: "01 99 00 12 34",
  signatoryName: "Claire Martin",
  signatoryTitle: "Directrice",
  documentMentions: "Organisme de formation non assujetti à la TVA (article 261-4-4° a du CGI).",
  hasLogo: false,
  logoType: null,
};

/** ["12 rue de la Solidarité", "75011 Paris"] */
export const addressLines = (o: Pick<OrganisationIdentity, "street" | "postalCode" | "city">) => [o.street, `${o.postalCode} ${o.city}`];

/** "790 123 459 00014" */
export const formatSiret = (siret: string) =>
  /^\d{14}$/.test(siret) ? `${siret.slice(0, 3)} ${siret.slice(3, 6)} ${siret.slice(6, 9)} ${siret.slice(9)}` : siret;

/** "11 75 55123 75" */
export const formatNda = (nda: string) => (/^\d{11}$/.test(nda) ? `${nda.slice(0, 2)} ${nda.slice(2, 4)} ${nda.slice(4, 9)} ${nda.slice(9)}` : nda);

/** The sentence the law asks to print with the NDA (Code du travail, art. L. 6352-12). */
export const ndaMention = (o: Pick<OrganisationIdentity, "nda" | "ndaRegion">) =>
  `Déclaration d'activité enregistrée sous le numéro ${formatNda(o.nda)} auprès du préfet de la région ${o.ndaRegion}. Cet enregistrement ne vaut pas agrément de l'État.`;

// ───────────────────────────── Logo ─────────────────────────────

export type LogoType = "image/png" | "image/jpeg" | "image/svg+xml";
export const LOGO_MAX_BYTES = 512 * 1024;
export const LOGO_MAX_LABEL = "500 Ko";

const startsWith = (bytes: Uint8Array, prefix: readonly number[]) => prefix.every((b, i) => bytes[i] === b);

/**
 * What an SVG must not hold to be shown as the portal's logo: scripts, event handlers,
 * links out (javascript:, external images or styles), embedded HTML, entity tricks.
 * Refused rather than cleaned: a logo is drawn once by a designer, who can export it again.
 */
const SVG_FORBIDDEN: readonly [RegExp, string][] = [
  [/<\s*script/i, "un script"],
  [/\son[a-z]+\s*=/i, "un attribut d'événement (onload, onclick…)"],
  [/javascript\s*:/i, "un lien javascript:"],
  [/<\s*foreignObject/i, "du HTML intégré (foreignObject)"],
  [/<!ENTITY|<!DOCTYPE/i, "une déclaration DOCTYPE ou ENTITY"],
  [/(?:href|src)\s*=\s*["']\s*(?!#|data:image\/(?:png|jpeg);)/i, "un lien vers une ressource extérieure"],
  [/@import|url\(\s*["']?\s*(?!#)/i, "une ressource extérieure dans son style"],
  [/<\s*(?:iframe|embed|object|audio|video)/i, "un élément intégré (iframe, object…)"],
];

/** The logo's type when the file is a PNG, a JPEG or a safe SVG; otherwise the French reason it is refused. */
export function checkLogo(bytes: Uint8Array): { ok: true; type: LogoType } | { ok: false; error: string } {
  if (bytes.byteLength === 0) return { ok: false, error: "Le fichier du logo est vide." };
  if (bytes.byteLength > LOGO_MAX_BYTES) return { ok: false, error: `Le logo dépasse ${LOGO_MAX_LABEL} : réduisez-le (un logo de 600 pixels de large suffit pour les documents).` };
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { ok: true, type: "image/png" };
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { ok: true, type: "image/jpeg" };
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  if (/^\s*</.test(text) && /<svg[\s>]/i.test(text) && !/<html[\s>]/i.test(text)) {
    const found = SVG_FORBIDDEN.find(([pattern]) => pattern.test(text));
    if (found) return { ok: false, error: `Ce logo SVG contient ${found[1]} : il est refusé. Exportez-le à nouveau en SVG simple, ou en PNG.` };
    return { ok: true, type: "image/svg+xml" };
  }
  return { ok: false, error: "Le logo doit être une image PNG, JPEG ou SVG." };
}


/** A logo PDFs can draw (pdf-lib embeds PNG and JPEG; an SVG logo is for web pages). */
export type PrintableLogo = { bytes: Uint8Array; type: "image/png" | "image/jpeg" };

/** The identity page's body limit (server/body-limit.ts): the logo and the form around it. */
export const organisationUpload = {
  path: "/admin/organisation",
  maxBytes: LOGO_MAX_BYTES + 64 * 1024,
  tooLarge: `Le logo dépasse ${LOGO_MAX_LABEL}, la taille la plus grande que la page accepte : réduisez-le (un logo de 600 pixels de large suffit) puis envoyez le formulaire à nouveau.`,
};
