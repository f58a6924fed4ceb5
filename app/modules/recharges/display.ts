/**
 * How recharges read on screen and on paper: formatting and labels only, safe for the browser
 * bundle (the issuing rules import server-only code through the certificate rules).
 */
export const maskCode = (last4: string): string => `•••• •••• ${last4}`;

/** Groups a PIN by four digits, as the operator prints them. */
export const formatCode = (code: string): string => code.replace(/(.{4})(?=.)/g, "$1 ");

export const formatEuros = (cents: number): string =>
  new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR" }).format(cents / 100);

export const AGE_BANDS = ["UNDER_18", "AGE_18_25", "AGE_26_44", "AGE_45_64", "AGE_65_PLUS"] as const;
export type AgeBand = (typeof AGE_BANDS)[number];
export const AGE_BAND_LABELS: Record<AgeBand, string> = {
  UNDER_18: "Moins de 18 ans",
  AGE_18_25: "18 à 25 ans",
  AGE_26_44: "26 à 44 ans",
  AGE_45_64: "45 à 64 ans",
  AGE_65_PLUS: "65 ans et plus",
};
