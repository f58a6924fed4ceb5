import { composeMail, note, paragraph, type MailContent } from "./layout";

export type PasswordChangedData = { name: string };

export function renderPasswordChanged({ name }: PasswordChangedData): MailContent {
  return composeMail({
    subject: "Votre mot de passe a été modifié",
    blocks: [
      paragraph(`Bonjour ${name},`),
      paragraph("Le mot de passe de votre compte Maillon vient d'être modifié. Si c'est bien vous, vous n'avez rien à faire."),
      note(
        "Si vous n'êtes pas à l'origine de ce changement, choisissez tout de suite un nouveau mot de passe depuis la page « Mot de passe oublié » de Maillon, puis prévenez-nous depuis la page Contact.",
      ),
    ],
  });
}
