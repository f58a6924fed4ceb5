import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ModuleForm } from "~/components/ModuleForm";
import { requirePermission } from "~/modules/auth/require.server";
import { createCatalogueModule, nextModuleNumber } from "~/modules/training/modules-admin.server";
import { ModuleFormSchema } from "~/modules/training/modules.schema";
import { redirectWithFlash } from "~/utils/flash.server";
import { failure, parseForm, type FormFailure } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Nouveau module — Administration — Maillon" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.access");
  return { number: String(await nextModuleNumber()) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "admin.access");
  const formData = await request.formData();
  const parsed = parseForm(ModuleFormSchema, formData);
  if (!parsed.ok) return data<FormFailure>(parsed, { status: 400 });
  const result = await createCatalogueModule({ actor: user, data: parsed.data });
  if (!result.ok) return data<FormFailure>(failure(result.errors, formData), { status: 400 });
  return redirectWithFlash("/admin/formations", {
    kind: "success",
    message: parsed.data.published ? "Le module est créé et publié dans le catalogue." : "Le module est créé ; il n'est pas encore publié.",
  });
}

export default function NewModule() {
  const defaults = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to="/admin/formations">← Tous les modules</Link>
      </p>
      <h1>Nouveau module</h1>
      {failed ? (
        <p className="form-error" role="alert">
          Le module n'est pas créé : corrigez les champs signalés.
        </p>
      ) : null}
      <ModuleForm values={failed?.values ?? defaults} errors={failed?.errors ?? {}} submitLabel="Créer le module" />
    </>
  );
}
