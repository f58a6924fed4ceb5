import { action, composeMail, note, paragraph, type MailContent } from "./layout";

export type VerifyEmailData = { name: string; url: string };

export function renderVerifyEmail({ name, url }: VerifyEmailData): MailContent {
  return composeMail({
    subject: "Confirmez votre adresse e-mail",
    blocks: [
      paragraph(`Bonjour ${name},`),
      paragraph("Pour activer votre compte Maillon, confirmez votre adresse e-mail en suivant ce lien."),
      action("Confirmer mon adresse e-mail", url),
      note("Ce lien ne sert qu'une fois. Si vous n'avez pas créé de compte sur Maillon, ignorez ce message : sans confirmation, le compte reste inactif."),
    ],
  });
}
