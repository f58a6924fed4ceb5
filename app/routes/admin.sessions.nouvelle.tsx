import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { SessionForm } from "~/components/SessionForm";
import { requirePermission } from "~/modules/auth/require.server";
import { createSession, getSessionFormOptions } from "~/modules/training/sessions-admin.server";
import { SessionFormSchema } from "~/modules/training/sessions.schema";
import { SLOT_ROWS_MIN } from "~/modules/training/sessions.labels";
import { redirectWithFlash } from "~/utils/flash.server";
import { failure, parseForm, type FormFailure } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Nouvelle session — Maillon" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.access");
  return getSessionFormOptions();
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "admin.access");
  const formData = await request.formData();
  const parsed = parseForm(SessionFormSchema, formData);
  if (!parsed.ok) return data<FormFailure>(parsed, { status: 400 });
  const result = await createSession({ actor: user, data: parsed.data });
  if (!result.ok) return data<FormFailure>(failure(result.errors, formData), { status: 400 });
  return redirectWithFlash(`/admin/sessions/${result.sessionId}`, { kind: "success", message: "La session est créée." });
}

export default function NewSession() {
  const options = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to="/admin/sessions">← Toutes les sessions</Link>
      </p>
      <h1>Nouvelle session</h1>
      {failed ? <p className="form-error" role="alert">La session n'est pas créée : corrigez les champs signalés.</p> : null}
      <SessionForm options={options} values={failed?.values ?? {}} errors={failed?.errors ?? {}} slotRows={SLOT_ROWS_MIN} submitLabel="Créer la session" />
    </>
  );
}
