import { z } from "zod";

/** Forms of enrolment: the session page, the learner space, the referent's page. */
export const ID_MAX = 100;
export const REASON_MAX = 500;
/** Card payment comes with Stripe (a later change); until then these are offered. */
export const FUNDING_CHOICES = ["STRUCTURE", "OPCO", "FREE"] as const;
export type FundingChoice = (typeof FUNDING_CHOICES)[number];

const asString = (v: unknown) => (typeof v === "string" ? v : "");
const asArray = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

const idField = z.preprocess(asString, z.string().trim().min(1, "Identifiant manquant.").max(ID_MAX, "Identifiant invalide."));
const fundingField = z.enum(FUNDING_CHOICES, { error: "Choisissez le mode de financement." });

export const EnrolSchema = z.object({ funding: fundingField });

export const EnrolmentActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("cancel"), reason: z.preprocess(asString, z.string().trim().max(REASON_MAX, "Motif trop long.")) }),
  z.object({ intent: z.literal("confirm") }),
  z.object({ intent: z.literal("leave") }),
]);

export const EnrolColleaguesSchema = z.object({
  structureId: idField,
  funding: fundingField,
  userIds: z.preprocess(
    asArray,
    z
      .array(z.string().trim().min(1).max(ID_MAX))
      .min(1, "Cochez au moins une personne.")
      .max(200, "Trop de personnes à la fois."),
  ),
});
