import { action, composeMail, note, paragraph, type MailContent } from "./layout";

/**
 * Sent instead of a verification link when someone signs up with an address that already
 * has an account: the sign-up page answers the same either way, only the owner learns more.
 */
export type AlreadyRegisteredData = { name: string; loginUrl: string; resetUrl: string };

export function renderAlreadyRegistered({ name, loginUrl, resetUrl }: AlreadyRegisteredData): MailContent {
  return composeMail({
    subject: "Vous avez déjà un compte Maillon",
    blocks: [
      paragraph(`Bonjour ${name},`),
      paragraph("Quelqu'un, peut-être vous, a voulu créer un compte Maillon avec cette adresse e-mail. Un compte existe déjà pour elle : aucun nouveau compte n'a été créé."),
      action("Me connecter", loginUrl),
      paragraph("Vous ne vous souvenez plus de votre mot de passe ? Choisissez-en un nouveau."),
      action("Choisir un nouveau mot de passe", resetUrl),
      note("Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre compte n'a pas changé."),
    ],
  });
}
