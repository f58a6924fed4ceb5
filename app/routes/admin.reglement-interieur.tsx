import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormError, TextAreaField } from "~/components/Field";
import { RulesText } from "~/components/RulesText";
import { requirePermission } from "~/modules/auth/require.server";
import { RULES_MAX_CHARS, parseRulesText, rulesVersionLabel } from "~/modules/internal-rules/internal-rules.rules";
import { RulesFormSchema } from "~/modules/internal-rules/internal-rules.schema";
import { currentRules, getRulesVersion, listRulesVersions, publishRules } from "~/modules/internal-rules/internal-rules.server";
import { formatDateTime } from "~/modules/enrolment/enrolment.rules";
import { redirectWithFlash } from "~/utils/flash.server";
import { parseForm } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Règlement intérieur — Administration — Maillon" }];

const PAGE = "/admin/reglement-interieur";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.access");
  const asked = new URL(request.url).searchParams.get("version");
  const [current, versions] = await Promise.all([currentRules(), listRulesVersions()]);
  const number = asked && /^\d{1,6}$/.test(asked) ? Number(asked) : null;
  const old = number !== null && number !== current?.number ? await getRulesVersion(number) : null;
  if (asked && number !== current?.number && !old) throw new Response("Cette version du règlement intérieur n'existe pas.", { status: 404 });
  return {
    current: current && { number: current.number, body: current.body, label: rulesVersionLabel(current), by: current.createdByName },
    old: old && { number: old.number, label: rulesVersionLabel(old), by: old.createdByName, blocks: parseRulesText(old.body) },
    versions: versions.map((v) => ({ ...v, at: formatDateTime(v.createdAt) })),
  };
}

type Failure = { error: string; body: string; baseNumber: string };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "admin.access");
  const formData = await request.formData();
  // The text goes back whole, whatever its length: nothing typed is lost.
  const typed = { body: String(formData.get("body") ?? "").slice(0, RULES_MAX_CHARS * 2), baseNumber: String(formData.get("baseNumber") ?? "") };
  const parsed = parseForm(RulesFormSchema, formData);
  if (!parsed.ok) return data<Failure>({ error: Object.values(parsed.errors)[0] ?? "Le formulaire est incomplet.", ...typed }, { status: 400 });
  const result = await publishRules({ staff: user, body: parsed.data.body, baseNumber: parsed.data.baseNumber });
  if (!result.ok) return data<Failure>({ error: result.error, ...typed }, { status: 400 });
  return redirectWithFlash(PAGE, {
    kind: "success",
    message: `Version ${result.number} publiée : elle est jointe aux convocations envoyées à partir de maintenant.`,
  });
}

export default function AdminInternalRules() {
  const { current, old, versions } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to="/admin">← Administration</Link>
      </p>
      <h1>Règlement intérieur</h1>
      <p>
        Chaque stagiaire reçoit la version en vigueur avec sa convocation (articles L6352-3 et R6352-1 à R6352-15 du Code du travail) ; la
        version remise est conservée pour chaque inscription. Chaque enregistrement publie une nouvelle version : les précédentes restent
        consultables et ne changent plus.
      </p>
      {current ? (
        <p>
          En vigueur : <strong>{current.label}</strong>, par {current.by}.
        </p>
      ) : (
        <p className="form-error" role="status">
          Aucun règlement intérieur n'est publié : les convocations partent sans lui. Écrivez-le ci-dessous.
        </p>
      )}
      {old ? (
        <section aria-labelledby="ancienne-version">
          <h2 id="ancienne-version">
            Version {old.number} ({old.label}, par {old.by})
          </h2>
          <p className="muted">Cette version n'est plus en vigueur.</p>
          <RulesText blocks={old.blocks} headingLevel={3} />
        </section>
      ) : null}
      <section aria-labelledby="modifier">
        <h2 id="modifier">{current ? "Publier une nouvelle version" : "Publier la première version"}</h2>
        <Form method="post" noValidate>
          <FormError message={failed?.error} />
          <input type="hidden" name="baseNumber" value={failed?.baseNumber ?? String(current?.number ?? 0)} />
          <TextAreaField
            label="Texte du règlement intérieur"
            name="body"
            rows={24}
            value={failed?.body ?? current?.body ?? ""}
            error={failed?.error}
            hint="Texte simple. Une ligne qui commence par « # » est un titre, « ## » un sous-titre, « - » un élément de liste ; une ligne vide sépare deux paragraphes."
          />
          <button type="submit">Publier cette version</button>
        </Form>
      </section>
      <section aria-labelledby="versions">
        <h2 id="versions">Versions</h2>
        {versions.length === 0 ? (
          <p>Aucune version pour l'instant.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Publiée le</th>
                <th scope="col">Par</th>
                <th scope="col">Remise à</th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.number}>
                  <th scope="row">
                    {v.number === current?.number ? `${v.number} (en vigueur)` : <Link to={`${PAGE}?version=${v.number}`}>{v.number}</Link>}
                  </th>
                  <td>{v.at}</td>
                  <td>{v.createdByName}</td>
                  <td>
                    {v.delivered} inscription{v.delivered > 1 ? "s" : ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
