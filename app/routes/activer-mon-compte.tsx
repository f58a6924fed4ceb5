import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormError } from "~/components/Field";
import { NewPasswordField } from "~/components/NewPasswordField";
import { isSetupLinkUsable, ResetPasswordFormSchema, setUpAccount } from "~/modules/auth/account.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { failure, parseForm, type FormFailure } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Activer votre compte — Maillon" }];

/** The link of an account opened by staff (or by `npm run admin:create`): choose the first password. */
export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const usable = await isSetupLinkUsable(token);
  return data({ token: usable ? token : null }, { status: usable ? 200 : 400, headers: { "Referrer-Policy": "no-referrer" } });
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await request.formData();
  const parsed = parseForm(ResetPasswordFormSchema, formData);
  if (!parsed.ok) return Response.json(parsed, { status: 400 });
  const result = await setUpAccount(parsed.data);
  if (!result.ok) return Response.json(failure({ [result.field]: result.message }, formData), { status: 400 });
  return redirectWithFlash("/connexion", {
    kind: "success",
    message: "Votre compte est activé. Connectez-vous avec votre adresse e-mail et le mot de passe choisi.",
  });
}

export default function SetUpAccount() {
  const { token } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>() as FormFailure | undefined;
  if (!token) {
    return (
      <>
        <h1>Ce lien n'est plus valable</h1>
        <p>Un lien d'activation ne sert qu'une fois et expire au bout de 7 jours. Demandez-en un nouveau à l'équipe Maillon.</p>
        <p>
          <Link to="/contact">Nous écrire</Link>
        </p>
      </>
    );
  }
  return (
    <>
      <h1>Activer votre compte</h1>
      <p>Choisissez le mot de passe de votre compte Maillon.</p>
      <Form method="post" className="stack" noValidate>
        <FormError message={failed?.errors.form} />
        <input type="hidden" name="token" value={token} />
        <NewPasswordField label="Mot de passe" error={failed?.errors.password} />
        <p>
          <button type="submit">Activer mon compte</button>
        </p>
      </Form>
    </>
  );
}
