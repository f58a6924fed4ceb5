/**
 * The training organisation's identity, as printed on quotes, rosters and certificates.
 * One place to change it. These are demonstration values (the SIRET is Luhn-valid but
 * fictitious; the NDA, "numéro de déclaration d'activité", follows the 11-digit format
 * the regional prefecture gives); replace them with the association's real ones.
 */
export const ORGANISATION = {
  name: "Association Maillon",
  legalForm: "Association régie par la loi du 1er juillet 1901",
  addressLines: ["12 rue de la Solidarité", "75011 Paris"],
  siret: "79012345900014",
  /** Numéro de déclaration d'activité (NDA) of the training organisation. */
  nda: "11755512375",
  ndaRegion: "Île-de-France",
  email: "formation@maillon.localhost",
  phone: "01 99 00 12 34",
} as const;

/** "790 123 459 00014" */
export const formatSiret = (siret: string) =>
  /^\d{14}$/.test(siret) ? `${siret.slice(0, 3)} ${siret.slice(3, 6)} ${siret.slice(6, 9)} ${siret.slice(9)}` : siret;

/** "11 75 55123 75" */
export const formatNda = (nda: string) => (/^\d{11}$/.test(nda) ? `${nda.slice(0, 2)} ${nda.slice(2, 4)} ${nda.slice(4, 9)} ${nda.slice(9)}` : nda);

/** The sentence the law asks to print with the NDA (Code du travail, art. L. 6352-12). */
export const ndaMention = () =>
  `Déclaration d'activité enregistrée sous le numéro ${formatNda(ORGANISATION.nda)} auprès du préfet de la région ${ORGANISATION.ndaRegion}. Cet enregistrement ne vaut pas agrément de l'État.`;
