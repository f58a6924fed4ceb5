import { action, composeMail, note, paragraph, type MailContent } from "./layout";

export type InvitationData = { structureName: string; inviterName: string; url: string; expiresInDays: number };

export function renderInvitation({ structureName, inviterName, url, expiresInDays }: InvitationData): MailContent {
  return composeMail({
    subject: `${inviterName} vous invite à rejoindre « ${structureName} » sur Maillon`,
    blocks: [
      paragraph("Bonjour,"),
      paragraph(`${inviterName} vous invite à rejoindre la structure « ${structureName} » sur Maillon, le portail de formation à l'inclusion numérique.`),
      paragraph("Acceptez l'invitation en suivant ce lien. Si vous n'avez pas encore de compte, vous pourrez en créer un avec cette adresse e-mail."),
      action("Accepter l'invitation", url),
      note(`Cette invitation est valable ${expiresInDays} jour${expiresInDays >= 2 ? "s" : ""}.`),
      note("Si vous ne connaissez pas cette personne ou cette structure, ignorez ce message."),
    ],
  });
}
