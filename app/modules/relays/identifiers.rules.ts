/**
 * How a structure is identified: its SIRET (14 digits, Luhn checksum, with La Poste's
 * exception) or, for an association without one, its RNA number (W + 9 digits). Pure.
 */

/** La Poste's SIREN: its establishments' SIRETs are not Luhn numbers (see `isValidSiret`). */
export const LA_POSTE_SIREN = "356000000";
/** La Poste's head office: an ordinary Luhn number. */
const LA_POSTE_HEAD_OFFICE = "35600000000048";

export function isLuhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** Spaces, dots and dashes people type are dropped: "790 123 459 00014" → "79012345900014". */
export const normaliseSiret = (input: string): string => input.replace(/[\s.\-]/g, "");
export const normaliseRna = (input: string): string => input.replace(/\s/g, "").toUpperCase();

/**
 * 14 digits with a Luhn checksum; La Poste's establishments (SIREN 356000000, other than the
 * head office) instead have digits whose sum is a multiple of 5.
 */
export function isValidSiret(siret: string): boolean {
  if (!/^\d{14}$/.test(siret)) return false;
  // 00000000000000 passes Luhn (and 55555555555555 La Poste's rule would, were it La Poste's):
  // no establishment has a number made of one digit repeated.
  if (isOneDigitRepeated(siret)) return false;
  if (siret.startsWith(LA_POSTE_SIREN) && siret !== LA_POSTE_HEAD_OFFICE) {
    const sum = [...siret].reduce((total, d) => total + Number(d), 0);
    return sum % 5 === 0;
  }
  return isLuhnValid(siret);
}

/** "00000000000000", "11111111111111"…: a placeholder typed to get past the field, never a real number. */
export const isOneDigitRepeated = (digits: string): boolean => /^(\d)\1*$/.test(digits);

export const isValidRna = (rna: string): boolean => /^W\d{9}$/.test(rna);

/** The French message for a typed SIRET, or null when it is valid. */
export function siretProblem(siret: string): string | null {
  if (!/^\d+$/.test(siret)) return "Le SIRET ne contient que des chiffres (14).";
  if (siret.length !== 14) return `Le SIRET compte 14 chiffres (vous en avez saisi ${siret.length}).`;
  if (isOneDigitRepeated(siret)) return "Ce SIRET n'existe pas : un même chiffre répété n'est le numéro d'aucun établissement. Saisissez le SIRET de votre structure (sur l'avis de situation INSEE ou annuaire-entreprises.data.gouv.fr).";
  if (!isValidSiret(siret)) return "Ce SIRET n'existe pas : vérifiez les chiffres (la clé de contrôle ne correspond pas).";
  return null;
}

export function rnaProblem(rna: string): string | null {
  return isValidRna(rna) ? null : "Le numéro RNA s'écrit W suivi de 9 chiffres (par exemple W751234567).";
}
