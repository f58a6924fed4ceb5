import { parseEurosToCents } from "~/modules/training/sessions.rules";
import { entryInconsistency, type BpfEntry } from "./bpf.rules";

/** The form's fields (euros as typed) and the entry's (cents). */
export const BPF_ENTRY_FIELDS = {
  otherIncome: "otherIncomeCents",
  turnover: "turnoverCents",
  charges: "chargesCents",
  trainerPay: "trainerPayCents",
  boughtTraining: "boughtTrainingCents",
} as const satisfies Record<string, keyof BpfEntry>;
export type BpfEntryField = keyof typeof BPF_ENTRY_FIELDS;

const AMOUNT_MESSAGE = "Indiquez un montant en euros hors taxes, par exemple 12 500 ou 12 500,50, ou laissez vide.";

/**
 * Staff's figures for a year's BPF, as typed: amounts in euros (French or dotted decimals,
 * spaces between thousands), empty for not known yet (other income then counts as 0). The
 * "dont" figures must fit in the total. French messages by field.
 */
export function parseBpfEntry(form: FormData): { ok: true; entry: BpfEntry } | { ok: false; errors: Partial<Record<BpfEntryField, string>> } {
  const errors: Partial<Record<BpfEntryField, string>> = {};
  const amounts = {} as Record<BpfEntryField, number | null>;
  for (const field of Object.keys(BPF_ENTRY_FIELDS) as BpfEntryField[]) {
    const raw = String(form.get(field) ?? "").trim();
    if (raw === "") {
      amounts[field] = null;
      continue;
    }
    const cents = raw.startsWith("-") ? null : parseEurosToCents(raw);
    if (cents === null) errors[field] = raw.startsWith("-") ? "Un montant ne peut pas être négatif." : AMOUNT_MESSAGE;
    amounts[field] = cents;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const entry: BpfEntry = {
    otherIncomeCents: amounts.otherIncome ?? 0,
    turnoverCents: amounts.turnover,
    chargesCents: amounts.charges,
    trainerPayCents: amounts.trainerPay,
    boughtTrainingCents: amounts.boughtTraining,
  };
  const inconsistency = entryInconsistency(entry);
  if (inconsistency) return { ok: false, errors: { [inconsistency.field === "trainerPayCents" ? "trainerPay" : "boughtTraining"]: inconsistency.message } };
  return { ok: true, entry };
}
