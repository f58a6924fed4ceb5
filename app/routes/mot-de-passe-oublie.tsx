import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { Field } from "~/components/Field";
import { requestPasswordReset } from "~/modules/auth/account.server";
import { ForgotPasswordSchema } from "~/modules/auth/auth.schema";
import { parseForm, type FormFailure } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Mot de passe oublié — Maillon" }];

export async function action({ request }: ActionFunctionArgs) {
  const parsed = parseForm(ForgotPasswordSchema, await request.formData());
  if (!parsed.ok) return Response.json(parsed, { status: 400 });
  await requestPasswordReset(parsed.data.email);
  return Response.json({ ok: true as const, email: parsed.data.email });
}

export default function ForgotPassword() {
  const result = useActionData<typeof action>() as FormFailure | { ok: true; email: string } | undefined;
  if (result?.ok) {
    return (
      <>
        <h1>Vérifiez votre messagerie</h1>
        <p role="status">
          Si un compte existe pour l'adresse {result.email}, un lien pour choisir un nouveau mot de passe vient d'y être envoyé. Il est
          valable 30 minutes et ne sert qu'une fois.
        </p>
        <p>
          <Link to="/connexion">Retour à la connexion</Link>
        </p>
      </>
    );
  }
  return (
    <>
      <h1>Mot de passe oublié</h1>
      <p>Indiquez l'adresse de votre compte : nous vous enverrons un lien pour choisir un nouveau mot de passe.</p>
      <Form method="post" className="stack" noValidate>
        <Field label="Adresse e-mail" name="email" type="email" autoComplete="email" defaultValue={result?.values.email} error={result?.errors.email} required />
        <p>
          <button type="submit">Recevoir un lien</button>
        </p>
      </Form>
    </>
  );
}
