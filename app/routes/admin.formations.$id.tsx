import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ModuleForm } from "~/components/ModuleForm";
import { requirePermission } from "~/modules/auth/require.server";
import { getModuleForEdit, updateCatalogueModule } from "~/modules/training/modules-admin.server";
import { ModuleFormSchema, moduleFormValues } from "~/modules/training/modules.schema";
import { redirectWithFlash } from "~/utils/flash.server";
import { failure, parseForm, type FormFailure } from "~/utils/forms.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? `Module « ${data.module.title} »` : "Module"} — Administration — Maillon` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.access");
  const module = await getModuleForEdit(params.id ?? "");
  if (!module) throw new Response("Ce module n'existe pas.", { status: 404 });
  return { module: { id: module.id, number: module.number, slug: module.slug, title: module.title, published: module.published }, values: moduleFormValues(module) };
}

const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "admin.access");
  const formData = await request.formData();
  const parsed = parseForm(ModuleFormSchema, formData);
  if (!parsed.ok) return data<FormFailure>(parsed, { status: 400 });
  const result = await updateCatalogueModule({ actor: user, moduleId: params.id ?? "", data: parsed.data });
  if (!result.ok) return data<FormFailure>(failure(result.errors, formData), { status: 400 });
  const hidden = result.unpublishedWithEnrolments;
  if (hidden) {
    return redirectWithFlash("/admin/formations", {
      kind: "info",
      message: `Le module n'est plus publié, mais ${plural(hidden.sessions, "session à venir compte", "sessions à venir comptent")} ${plural(
        hidden.enrolments,
        "inscription confirmée",
        "inscriptions confirmées",
      )} : prévenez les personnes inscrites ou republiez le module.`,
    });
  }
  return redirectWithFlash("/admin/formations", {
    kind: "success",
    message: result.changed.length > 0 ? "Le module est enregistré." : "Aucune modification à enregistrer.",
  });
}

export default function EditModule() {
  const { module, values } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to="/admin/formations">← Tous les modules</Link>
      </p>
      <h1>
        Module {module.number} : {module.title}
        <span className="subtitle">{module.published ? "Publié dans le catalogue" : "Non publié"}</span>
      </h1>
      {module.published ? (
        <p>
          <Link to={`/formations/${module.slug}`}>Voir la page publique du module</Link>
        </p>
      ) : null}
      {failed ? (
        <p className="form-error" role="alert">
          Les modifications ne sont pas enregistrées : corrigez les champs signalés.
        </p>
      ) : null}
      <ModuleForm values={failed?.values ?? values} errors={failed?.errors ?? {}} submitLabel="Enregistrer les modifications" />
    </>
  );
}
