import { z } from "zod";

/** The survey form (/questionnaire/:token): the same questions for both surveys, plus one for the follow-up. */
export const COMMENT_MAX = 2000;

const asString = (v: unknown) => (typeof v === "string" ? v : "");
const text = (tooLong: string) =>
  z.preprocess(
    asString,
    z
      .string()
      .trim()
      .max(COMMENT_MAX, tooLong)
      .transform((v) => v || null),
  );

export const SurveyAnswerSchema = z.object({
  satisfaction: z.preprocess(
    asString,
    z.enum(["1", "2", "3", "4", "5"], { error: "Choisissez une note de 1 à 5." }).transform(Number),
  ),
  recommend: z.preprocess(asString, z.enum(["oui", "non"], { error: "Indiquez si vous recommanderiez cette formation." })),
  comment: text(`Votre commentaire est trop long (${COMMENT_MAX} caractères au plus).`),
  practice: text(`Votre réponse est trop longue (${COMMENT_MAX} caractères au plus).`),
});

export type SurveyAnswer = z.infer<typeof SurveyAnswerSchema>;
