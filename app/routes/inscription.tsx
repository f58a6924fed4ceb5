import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { Field, FormError } from "~/components/Field";
import { NewPasswordField } from "~/components/NewPasswordField";
import { signUp, SignUpFormSchema } from "~/modules/auth/account.server";
import { getOptionalUser } from "~/modules/auth/session.server";
import { failure, parseForm, type FormFailure } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Créer un compte — Maillon" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getOptionalUser(request)) throw redirect("/mon-espace");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await request.formData();
  const parsed = parseForm(SignUpFormSchema, formData);
  if (!parsed.ok) return Response.json(parsed, { status: 400 });
  const result = await signUp(parsed.data);
  if (!result.ok) return Response.json(failure({ [result.field]: result.message }, formData), { status: 400 });
  throw redirect("/inscription/verifiez");
}

export default function SignUp() {
  const failed = useActionData<typeof action>() as FormFailure | undefined;
  const errors = failed?.errors ?? {};
  const values = failed?.values ?? {};
  return (
    <>
      <h1>Créer un compte</h1>
      <p>Pour vous inscrire aux formations et suivre vos certificats. Tous les champs sont obligatoires.</p>
      <Form method="post" className="stack" noValidate>
        <FormError message={errors.form} />
        <Field label="Nom et prénom" name="name" autoComplete="name" defaultValue={values.name} error={errors.name} required maxLength={200} />
        <Field
          label="Adresse e-mail"
          name="email"
          type="email"
          autoComplete="email"
          defaultValue={values.email}
          error={errors.email}
          hint="Nous y enverrons un lien pour confirmer votre adresse."
          required
        />
        <NewPasswordField label="Mot de passe" error={errors.password} />
        <p>
          <button type="submit">Créer mon compte</button>
        </p>
      </Form>
      <p>
        Déjà un compte ? <Link to="/connexion">Se connecter</Link>
      </p>
    </>
  );
}
