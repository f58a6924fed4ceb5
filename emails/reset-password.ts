import { action, composeMail, note, paragraph, type MailContent } from "./layout";

export type ResetPasswordData = { name: string; url: string; expiresInMinutes: number };

export function renderResetPassword({ name, url, expiresInMinutes }: ResetPasswordData): MailContent {
  return composeMail({
    subject: "Réinitialisation de votre mot de passe",
    blocks: [
      paragraph(`Bonjour ${name},`),
      paragraph("Vous avez demandé à changer le mot de passe de votre compte Maillon. Choisissez-en un nouveau en suivant ce lien."),
      action("Choisir un nouveau mot de passe", url),
      note(`Ce lien est valable ${expiresInMinutes} minute${expiresInMinutes >= 2 ? "s" : ""} et ne sert qu'une fois.`),
      note("Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe actuel reste valable."),
    ],
  });
}
