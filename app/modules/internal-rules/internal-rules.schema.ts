import { z } from "zod";

/** The admin form: the whole text, and the version number it was written from (0 before the first). */
export const RulesFormSchema = z.object({
  body: z.string({ error: "Écrivez le texte du règlement intérieur." }),
  baseNumber: z.coerce.number({ error: "Le formulaire est incomplet : rechargez la page." }).int().min(0, { error: "Le formulaire est incomplet : rechargez la page." }),
});
export type RulesForm = z.infer<typeof RulesFormSchema>;
