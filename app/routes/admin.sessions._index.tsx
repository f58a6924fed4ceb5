import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/modules/auth/require.server";
import { listAdminSessions, type AdminSessionRow } from "~/modules/training/sessions-admin.server";
import { readSessionFilters, SESSION_STATUS_LABELS } from "~/modules/training/sessions.labels";
import { formatDateRange } from "~/utils/dates";

export const meta: MetaFunction = () => [{ title: "Sessions de formation — Administration — Maillon" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.access");
  const filters = readSessionFilters(new URL(request.url).searchParams);
  return { filters, sessions: await listAdminSessions(filters, new Date()) };
}

const WHEN_LABELS = { upcoming: "À venir", past: "Passées", all: "Toutes" } as const;

function place(s: AdminSessionRow) {
  if (s.format === "REMOTE") return "À distance";
  return s.city ?? "Lieu à définir";
}

export default function AdminSessions() {
  const { filters, sessions } = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <Link to="/admin">← Administration</Link>
      </p>
      <h1>Sessions de formation</h1>
      <p>
        <Link to="/admin/sessions/nouvelle" className="button">
          Créer une session
        </Link>
      </p>
      <Form method="get" className="filters" role="search" aria-labelledby="filtres">
        <h2 id="filtres">Rechercher</h2>
        <div className="filter-row">
          <div className="field">
            <label htmlFor="q">Module, ville ou formateur·rice</label>
            <input id="q" name="q" type="search" defaultValue={filters.q} />
          </div>
          <div className="field">
            <label htmlFor="statut">Statut</label>
            <select id="statut" name="statut" defaultValue={filters.status}>
              <option value="">Tous</option>
              {(Object.keys(SESSION_STATUS_LABELS) as (keyof typeof SESSION_STATUS_LABELS)[]).map((s) => (
                <option key={s} value={s}>
                  {SESSION_STATUS_LABELS[s]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="periode">Période</label>
            <select id="periode" name="periode" defaultValue={filters.when}>
              {(Object.keys(WHEN_LABELS) as (keyof typeof WHEN_LABELS)[]).map((w) => (
                <option key={w} value={w}>
                  {WHEN_LABELS[w]}
                </option>
              ))}
            </select>
          </div>
        </div>
        <p className="filter-actions">
          <button type="submit">Filtrer</button>
          <Link to="/admin/sessions">Effacer les filtres</Link>
        </p>
      </Form>
      {sessions.length === 0 ? (
        <p>Aucune session ne correspond.</p>
      ) : (
        <table>
          <caption className="muted">
            {sessions.length} session{sessions.length > 1 ? "s" : ""}
          </caption>
          <thead>
            <tr>
              <th scope="col">Module</th>
              <th scope="col">Dates</th>
              <th scope="col">Lieu</th>
              <th scope="col">Formateur·rice</th>
              <th scope="col">Places prises</th>
              <th scope="col">Statut</th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id}>
                <th scope="row">
                  <Link to={`/admin/sessions/${s.id}`}>{s.moduleTitle}</Link>
                  {s.kind === "INTRA" ? <span className="muted"> (intra{s.structureName ? ` : ${s.structureName}` : ""})</span> : null}
                </th>
                <td>{s.startsAt && s.endsAt ? formatDateRange(s.startsAt, s.endsAt) : "Dates à définir"}</td>
                <td>{place(s)}</td>
                <td>{s.trainerName ?? <span className="muted">À désigner</span>}</td>
                <td>
                  {s.seatsTaken} / {s.capacity}
                  {s.waitlisted > 0 ? <span className="muted"> (+{s.waitlisted} en attente)</span> : null}
                  {s.pendingPayments > 0 ? (
                    <span className="muted">
                      {" "}
                      — {s.pendingPayments} paiement{s.pendingPayments > 1 ? "s" : ""} à recevoir
                    </span>
                  ) : null}
                </td>
                <td>{SESSION_STATUS_LABELS[s.status]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
