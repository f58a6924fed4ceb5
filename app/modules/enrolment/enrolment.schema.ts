import { z } from "zod";

/** Forms of enrolment: the session page, the learner space, the referent's page. */
export const ID_MAX = 100;
export const REASON_MAX = 500;
/** The funding a referent may choose for colleagues; a learner enrolling themself may also pay by card. */
export const FUNDING_CHOICES = ["STRUCTURE", "OPCO", "FREE"] as const;
export type FundingChoice = (typeof FUNDING_CHOICES)[number];
export const SELF_FUNDING_CHOICES = [...FUNDING_CHOICES, "CARD"] as const;
export type SelfFundingChoice = (typeof SELF_FUNDING_CHOICES)[number];

const asString = (v: unknown) => (typeof v === "string" ? v : "");
const asArray = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

const idField = z.preprocess(asString, z.string().trim().min(1, "Identifiant manquant.").max(ID_MAX, "Identifiant invalide."));
const fundingField = z.enum(FUNDING_CHOICES, { error: "Choisissez le mode de financement." });

export const EnrolSchema = z.object({ funding: z.enum(SELF_FUNDING_CHOICES, { error: "Choisissez le mode de financement." }) });

export const EnrolmentActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("cancel"), reason: z.preprocess(asString, z.string().trim().max(REASON_MAX, "Motif trop long.")) }),
  z.object({ intent: z.literal("confirm") }),
  z.object({ intent: z.literal("leave") }),
  z.object({ intent: z.literal("pay") }),
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
