import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { Field, FormError } from "~/components/Field";
import { authenticate, DEACTIVATED_MESSAGE } from "~/modules/auth/account.server";
import { LoginSchema } from "~/modules/auth/auth.schema";
import { createUserSession, getOptionalUser, safeRedirect } from "~/modules/auth/session.server";
import { failure, parseForm, type FormFailure } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Se connecter — Maillon" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getOptionalUser(request)) throw redirect("/mon-espace");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const parsed = parseForm(LoginSchema, formData);
  if (!parsed.ok) return Response.json(parsed, { status: 400 });
  const result = await authenticate({ email: parsed.data.email, password: parsed.data.password, ip: context.ip });
  if (result.ok) {
    const cookie = await createUserSession(result.userId, request);
    throw redirect(safeRedirect(parsed.data.redirectTo), { headers: { "Set-Cookie": cookie } });
  }
  const message = {
    invalid: "Adresse e-mail ou mot de passe incorrect.",
    throttled: `Trop de tentatives. Patientez ${"waitSeconds" in result ? result.waitSeconds : 0} secondes avant de réessayer.`,
    unverified:
      "Votre adresse e-mail n'est pas encore confirmée. Nous venons de vous envoyer un nouveau lien : ouvrez-le, puis reconnectez-vous.",
    deactivated: DEACTIVATED_MESSAGE,
  }[result.reason];
  return Response.json(failure({ form: message }, formData), { status: result.reason === "throttled" ? 429 : result.reason === "deactivated" ? 403 : 400 });
}

export default function Login() {
  const failed = useActionData<typeof action>() as FormFailure | undefined;
  const [params] = useSearchParams();
  const errors = failed?.errors ?? {};
  const values = failed?.values ?? {};
  return (
    <>
      <h1>Se connecter</h1>
      <Form method="post" className="stack" noValidate>
        <FormError message={errors.form} />
        <input type="hidden" name="redirectTo" value={values.redirectTo ?? params.get("redirectTo") ?? ""} />
        <Field label="Adresse e-mail" name="email" type="email" autoComplete="email" defaultValue={values.email} error={errors.email} required />
        <Field label="Mot de passe" name="password" type="password" autoComplete="current-password" error={errors.password} required />
        <p>
          <button type="submit">Se connecter</button>
        </p>
      </Form>
      <p>
        <Link to="/mot-de-passe-oublie">Mot de passe oublié ?</Link>
      </p>
      <p>
        Pas encore de compte ? <Link to="/inscription">Créer un compte</Link>
      </p>
    </>
  );
}
