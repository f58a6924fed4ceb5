/**
 * Quota arithmetic over the append-only ledger: pure, tested (quota.rules.test.ts). The
 * balance row is a cache of the ledger's sum; `replayLedger` recomputes it from scratch.
 */
export type LedgerEntry = { relayId: string; productId: string; period: string; delta: number };

export const balanceKey = (e: { relayId: string; productId: string; period: string }) => `${e.relayId}|${e.productId}|${e.period}`;

/** Sum of deltas per (relay, product, period). Throws when a running balance ever went negative. */
export function replayLedger(entries: readonly LedgerEntry[]): Map<string, number> {
  const balances = new Map<string, number>();
  for (const e of entries) {
    const key = balanceKey(e);
    const next = (balances.get(key) ?? 0) + e.delta;
    if (next < 0) throw new Error(`Quota négatif dans le registre pour ${key}`);
    balances.set(key, next);
  }
  return balances;
}

/** "2026-03" is valid; anything else is not a period. */
export const isPeriod = (value: string): boolean => /^\d{4}-(0[1-9]|1[0-2])$/.test(value);

/** The month after "YYYY-MM". */
export function nextPeriod(period: string): string {
  const [y, m] = period.split("-").map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
}

export const QUOTA_REASON_MIN_LENGTH = 5;

export function moveRefusal(input: { fromRelayId: string; toRelayId: string; units: number; available: number; reason: string }): string | null {
  if (input.fromRelayId === input.toRelayId) return "Choisissez deux relais différents.";
  if (!Number.isInteger(input.units) || input.units < 1) return "Indiquez un nombre entier de recharges, au moins 1.";
  if (input.units > input.available) return `Le relais d'origine n'a que ${input.available} recharge(s) disponible(s) ce mois-ci.`;
  if (input.reason.trim().length < QUOTA_REASON_MIN_LENGTH) return `Indiquez la raison du transfert (${QUOTA_REASON_MIN_LENGTH} caractères au moins).`;
  return null;
}

export const QUOTA_KIND_LABELS: Record<string, string> = {
  ALLOCATION: "Dotation",
  CARRY_OVER: "Report du mois précédent",
  MOVE_IN: "Transfert reçu",
  MOVE_OUT: "Transfert envoyé",
  ISSUE: "Recharge délivrée",
  RESTORE: "Unité rendue par l'équipe",
};
