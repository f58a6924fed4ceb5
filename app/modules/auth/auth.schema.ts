import { z } from "zod";
import { personNameField } from "~/utils/person-name";
import { PASSWORD_MAX } from "./password-policy.rules";

// Deliberately simple: one @, something on each side, a dot in the domain, no spaces.
const EMAIL_SHAPE = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]{2,}$/;

const text = (missing: string) =>
  z.preprocess((v) => (typeof v === "string" ? v : ""), z.string().trim().min(1, missing));

export const emailFieldWith = (missing: string) =>
  text(missing)
    .pipe(z.string().max(254, "L'adresse e-mail est trop longue (254 caractères au plus)."))
    .pipe(z.string().regex(EMAIL_SHAPE, "L'adresse e-mail n'est pas valide : elle doit ressembler à prenom.nom@exemple.fr."))
    .transform((v) => v.toLowerCase());

export const emailField = emailFieldWith("Indiquez votre adresse e-mail.");

// Password strength is checked separately (checkPassword), with the e-mail at hand.
const passwordField = (missing: string) =>
  z.preprocess(
    (v) => (typeof v === "string" ? v : ""),
    z.string().min(1, missing).max(PASSWORD_MAX * 4, `Le mot de passe ne doit pas dépasser ${PASSWORD_MAX} caractères.`),
  );

export const SignUpSchema = z.object({
  name: personNameField("Indiquez votre nom et prénom."),
  email: emailField,
  password: passwordField("Choisissez un mot de passe."),
});

/** The learner space's form to correct one's own name (as certificates will print it). */
export const ProfileNameSchema = z.object({ name: personNameField("Indiquez votre nom et prénom.") });

export const LoginSchema = z.object({
  email: emailField,
  password: passwordField("Indiquez votre mot de passe."),
  redirectTo: z.string().optional(),
});

export const ForgotPasswordSchema = z.object({ email: emailField });

export const ResetPasswordSchema = z.object({
  token: z.string().max(100),
  password: passwordField("Choisissez un nouveau mot de passe."),
});
