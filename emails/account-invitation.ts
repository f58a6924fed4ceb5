import { action, composeMail, note, paragraph, type MailContent } from "./layout";

export type AccountInvitationData = { name: string; inviterName: string; roleLabel: string; url: string; expiresInDays: number };

/** A staff member opened an account for someone (trainer, staff): the link sets its first password. */
export function renderAccountInvitation({ name, inviterName, roleLabel, url, expiresInDays }: AccountInvitationData): MailContent {
  return composeMail({
    subject: `Votre compte Maillon (${roleLabel.toLowerCase()}) vous attend`,
    blocks: [
      paragraph(`Bonjour ${name},`),
      paragraph(`${inviterName} vous a ouvert un compte sur Maillon, avec le rôle « ${roleLabel} ». Choisissez votre mot de passe en suivant ce lien pour l'activer.`),
      action("Choisir mon mot de passe", url),
      note(`Ce lien est valable ${expiresInDays} jour${expiresInDays >= 2 ? "s" : ""} et ne sert qu'une fois.`),
      note("Si vous ne vous attendiez pas à ce message, ignorez-le : aucun compte ne sera utilisable sans ce lien."),
    ],
  });
}
