import { z } from "zod";

/** The forms of the contract page: accept, save the card, withdraw. */
const asString = (v: unknown) => (typeof v === "string" ? v : "");

export const ContractActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("accept"),
    name: z.preprocess(asString, z.string().trim().min(2, "Écrivez votre nom et votre prénom pour accepter le contrat.").max(120, "Nom trop long (120 caractères au plus).")),
    accepted: z.preprocess((v) => v === "on" || v === "true", z.literal(true, { error: "Cochez la case pour accepter le contrat." })),
    sha256: z.preprocess(asString, z.string().regex(/^[0-9a-f]{64}$/, "Le document n'est pas identifié : rechargez la page.")),
  }),
  z.object({ intent: z.literal("card") }),
  z.object({ intent: z.literal("withdraw") }),
]);
