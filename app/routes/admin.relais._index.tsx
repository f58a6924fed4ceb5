import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/modules/auth/require.server";
import { APPLICATION_STATUS_LABELS, REVIEW_FILTERS, type ReviewFilter } from "~/modules/relays/application.rules";
import { STRUCTURE_TYPE_LABELS, STRUCTURE_TYPES, type StructureType } from "~/modules/relays/application.schema";
import { listApplicationsForReview } from "~/modules/relays/application.server";
import { formatDate } from "~/utils/dates";

export const meta: MetaFunction = () => [{ title: "Candidatures Relais Numériques — Administration — Maillon" }];

const FILTER_LABELS: Record<ReviewFilter, string> = { ...APPLICATION_STATUS_LABELS, ALL: "Toutes" };

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "relayApplication.review");
  const params = new URL(request.url).searchParams;
  const requested = params.get("statut") ?? "SUBMITTED";
  const status = (REVIEW_FILTERS as readonly string[]).includes(requested) ? (requested as ReviewFilter) : "SUBMITTED";
  const typeParam = params.get("type") ?? "";
  const type = (STRUCTURE_TYPES as readonly string[]).includes(typeParam) ? (typeParam as StructureType) : null;
  const q = (params.get("q") ?? "").slice(0, 100);
  return { filters: { status, type: type ?? "", q }, applications: await listApplicationsForReview({ status, q, type }) };
}

export default function AdminRelayApplications() {
  const { filters, applications } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Candidatures Relais Numériques</h1>
      <Form method="get" className="filters" role="search" aria-labelledby="filtres">
        <h2 id="filtres">Filtrer les candidatures</h2>
        <div className="filter-row">
          <div className="field">
            <label htmlFor="q">Structure, commune, code postal ou SIRET</label>
            <input id="q" name="q" type="search" defaultValue={filters.q} />
          </div>
          <div className="field">
            <label htmlFor="statut">État</label>
            <select id="statut" name="statut" defaultValue={filters.status}>
              {REVIEW_FILTERS.map((s) => (
                <option key={s} value={s}>
                  {FILTER_LABELS[s]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="type">Type de structure</label>
            <select id="type" name="type" defaultValue={filters.type}>
              <option value="">Tous</option>
              {STRUCTURE_TYPES.map((t) => (
                <option key={t} value={t}>
                  {STRUCTURE_TYPE_LABELS[t]}
                </option>
              ))}
            </select>
          </div>
        </div>
        <p className="filter-actions">
          <button type="submit">Filtrer</button>
          <Link to="/admin/relais">Effacer les filtres</Link>
        </p>
      </Form>
      {applications.length === 0 ? (
        <p>Aucune candidature ne correspond.</p>
      ) : (
        <table>
          <caption className="muted">
            {applications.length} candidature{applications.length > 1 ? "s" : ""}
          </caption>
          <thead>
            <tr>
              <th scope="col">Structure</th>
              <th scope="col">Type</th>
              <th scope="col">Commune</th>
              <th scope="col">Déposée par</th>
              <th scope="col">Envoyée le</th>
              <th scope="col">État</th>
            </tr>
          </thead>
          <tbody>
            {applications.map((a) => (
              <tr key={a.id}>
                <th scope="row">
                  <Link to={`/admin/relais/${a.id}`}>{a.structureName ?? "Sans nom (brouillon)"}</Link>
                </th>
                <td>{a.structureType ? STRUCTURE_TYPE_LABELS[a.structureType] : "—"}</td>
                <td>{[a.postcode, a.city].filter(Boolean).join(" ") || "—"}</td>
                <td>{a.applicant.name}</td>
                <td>{a.submittedAt ? formatDate(new Date(a.submittedAt)) : "—"}</td>
                <td>{APPLICATION_STATUS_LABELS[a.status]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
