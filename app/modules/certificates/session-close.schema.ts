import { z } from "zod";
import { OBJECTIVES_FIELD_PREFIX, type ObjectivesChoice } from "./session-close.rules";

const Choice = z.enum(["yes", "no", "unknown"], { error: "Choisissez : atteints, non atteints ou non évalués." });

export type ObjectivesForm = { ok: true; choices: Record<string, ObjectivesChoice> } | { ok: false; errors: Record<string, string> };

/** The choices of the objectives form, by enrolment id; an unknown value is an error on its field. */
export function parseObjectivesForm(formData: FormData): ObjectivesForm {
  const choices: Record<string, ObjectivesChoice> = {};
  const errors: Record<string, string> = {};
  for (const [key, value] of formData) {
    if (!key.startsWith(OBJECTIVES_FIELD_PREFIX)) continue;
    const parsed = Choice.safeParse(value);
    if (parsed.success) choices[key.slice(OBJECTIVES_FIELD_PREFIX.length)] = parsed.data;
    else errors[key] = parsed.error.issues[0]?.message ?? "Choix invalide.";
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  if (Object.keys(choices).length === 0) return { ok: false, errors: { form: "Aucune personne à évaluer dans ce formulaire." } };
  return { ok: true, choices };
}
