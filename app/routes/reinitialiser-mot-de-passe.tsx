import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormError } from "~/components/Field";
import { NewPasswordField } from "~/components/NewPasswordField";
import { isResetLinkUsable, resetPassword, ResetPasswordFormSchema } from "~/modules/auth/account.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { failure, parseForm, type FormFailure } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Nouveau mot de passe — Maillon" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const usable = await isResetLinkUsable(token);
  return data({ token: usable ? token : null }, { status: usable ? 200 : 400, headers: { "Referrer-Policy": "no-referrer" } });
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await request.formData();
  const parsed = parseForm(ResetPasswordFormSchema, formData);
  if (!parsed.ok) return Response.json(parsed, { status: 400 });
  const result = await resetPassword(parsed.data);
  if (!result.ok) return Response.json(failure({ [result.field]: result.message }, formData), { status: 400 });
  return redirectWithFlash("/connexion", {
    kind: "success",
    message: "Votre mot de passe a été modifié. Connectez-vous avec le nouveau mot de passe.",
  });
}

export default function ResetPassword() {
  const { token } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>() as FormFailure | undefined;
  if (!token) {
    return (
      <>
        <h1>Ce lien n'est plus valable</h1>
        <p>Un lien de réinitialisation ne sert qu'une fois et expire au bout de 30 minutes.</p>
        <p>
          <Link to="/mot-de-passe-oublie">Demander un nouveau lien</Link>
        </p>
      </>
    );
  }
  return (
    <>
      <h1>Choisir un nouveau mot de passe</h1>
      <Form method="post" className="stack" noValidate>
        <FormError message={failed?.errors.form} />
        <input type="hidden" name="token" value={token} />
        <NewPasswordField label="Nouveau mot de passe" error={failed?.errors.password} />
        <p>
          <button type="submit">Enregistrer le mot de passe</button>
        </p>
      </Form>
    </>
  );
}
