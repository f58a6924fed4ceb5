import { z } from "zod";
import { emailFieldWith } from "~/modules/auth/auth.schema";

/** Forms of the "Ma structure" page and the invitation page. */
export const EMAIL_MAX = 254;
/** How long an invitation link works (shown on the page, in the mail, and enforced). */
export const INVITATION_TTL_DAYS = 7;
export const ID_MAX = 100;

const asString = (v: unknown) => (typeof v === "string" ? v : "");

export const MEMBERSHIP_ROLES = ["MEMBER", "REFERENT"] as const;
export const MEMBERSHIP_ROLE_LABELS: Record<(typeof MEMBERSHIP_ROLES)[number], string> = {
  MEMBER: "Membre",
  REFERENT: "Référent·e",
};

const idField = z.preprocess(asString, z.string().trim().min(1, "Identifiant manquant.").max(ID_MAX, "Identifiant invalide."));

export const InviteSchema = z.object({
  structureId: idField,
  email: emailFieldWith("Indiquez l'adresse e-mail de la ou du collègue."),
  role: z.enum(MEMBERSHIP_ROLES, { error: "Choisissez le rôle de la personne dans la structure." }),
});

export const RemoveMemberSchema = z.object({
  structureId: idField,
  userId: idField,
});

export const AcceptInvitationSchema = z.object({
  token: z.preprocess(asString, z.string().min(1, "Le lien d'invitation est incomplet.").max(ID_MAX, "Le lien d'invitation n'est pas valide.")),
});
