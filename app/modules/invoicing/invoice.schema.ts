import { z } from "zod";

/** Staff refund form: an amount in euros ("175", "175,50"; empty: what is left) and a reason kept in the journal and sent to the learner. */
const asString = (v: unknown) => (typeof v === "string" ? v : "");

export const StaffRefundSchema = z.object({
  amount: z.preprocess(
    asString,
    z
      .string()
      .trim()
      .regex(/^(\d{1,6}([.,]\d{1,2})?)?$/, "Indiquez un montant en euros, par exemple 175 ou 175,50 (laissez vide pour rembourser ce qui reste).")
      .transform((s) => (s === "" ? null : Math.round(Number(s.replace(",", ".")) * 100))),
  ),
  reason: z.preprocess(asString, z.string().trim().min(3, "Indiquez le motif du remboursement : il est envoyé à la personne inscrite.").max(500, "Le motif est trop long (500 caractères au plus).")),
});
