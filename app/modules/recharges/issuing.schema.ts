import { z } from "zod";
import { AGE_BANDS } from "./display";

const optionalText = (max: number, message: string) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), z.string().trim().max(max, message).optional());

/** The issuing form: the least data that serves, and the form's idempotency key. */
export const IssueSchema = z.object({
  productId: z.string({ error: "Choisissez une recharge." }).min(1, "Choisissez une recharge."),
  reference: z
    .string({ error: "Indiquez la référence interne de la personne." })
    .trim()
    .min(1, "Indiquez la référence interne de la personne.")
    .max(40, "40 caractères au plus.")
    .regex(/^[\p{L}\p{N} ._\/-]+$/u, "Lettres, chiffres, espaces et . _ / - seulement."),
  ageBand: z.preprocess((v) => (v === "" ? undefined : v), z.enum(AGE_BANDS, { error: "Choisissez une tranche d'âge de la liste." }).optional()),
  commune: optionalText(80, "80 caractères au plus."),
  idempotencyKey: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, "Ce formulaire a expiré : rechargez la page."),
});

export const MistakeSchema = z.object({
  reason: z.string({ error: "Indiquez la raison de l'erreur." }).trim().min(5, "Indiquez la raison de l'erreur (5 caractères au moins).").max(500, "500 caractères au plus."),
});
