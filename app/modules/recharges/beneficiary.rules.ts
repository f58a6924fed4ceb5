/**
 * A beneficiary is known to a relay by its internal reference. Workers type it by hand, so
 * "d-2026-041 " and "D-2026-041" are one person, with one monthly ceiling: the reference is
 * stored and compared in this one form (decision 017).
 */
export const normaliseBeneficiaryReference = (raw: string): string => raw.normalize("NFC").trim().toUpperCase();
