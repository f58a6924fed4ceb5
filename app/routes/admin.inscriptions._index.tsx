import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormError } from "~/components/Field";
import { requirePermission } from "~/modules/auth/require.server";
import { enrolmentFiltersQuery, MarkReceivedSchema, PERIODS, readEnrolmentFilters } from "~/modules/enrolment/staff.schema";
import { listModuleOptions, listStaffEnrolments } from "~/modules/enrolment/staff.server";
import { markEnrolmentPaid } from "~/modules/training/sessions-admin.server";
import { ENROLMENT_STATUS_LABELS, FUNDING_LABELS, PAYMENT_STATUS_LABELS } from "~/modules/training/sessions.labels";
import { redirectWithFlash } from "~/utils/flash.server";
import { parseForm } from "~/utils/forms.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.filters.view === "paiements" ? "Paiements à recevoir" : "Inscriptions"} — Administration — Maillon` },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "admin.access");
  const filters = readEnrolmentFilters(new URL(request.url).searchParams);
  const [list, modules] = await Promise.all([listStaffEnrolments(user, filters, new Date()), listModuleOptions()]);
  if (!list) throw new Response("Vous n'avez pas accès à cette page.", { status: 403 });
  return { filters, list, modules };
}

/** "Mark as received" from the list; back to the same filtered page. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "admin.access");
  const url = new URL(request.url);
  const formData = await request.formData();
  const parsed = parseForm(MarkReceivedSchema, formData);
  const sessionId = String(formData.get("sessionId") ?? "");
  if (formData.get("intent") !== "markPaid" || !parsed.ok) return data({ error: "Cette demande n'est pas valide." }, { status: 400 });
  const result = await markEnrolmentPaid({ actor: user, sessionId, enrolmentId: parsed.data.enrolmentId });
  if (!result.ok) return data({ error: result.errors.form ?? "Refusé." }, { status: 400 });
  return redirectWithFlash(`${url.pathname}${url.search}`, { kind: "success", message: "Le paiement est enregistré comme reçu." });
}

const euros = new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR" });
const WHEN_LABELS: Record<(typeof PERIODS)[number], string> = { all: "Toutes", upcoming: "Sessions à venir", past: "Sessions passées" };

function Select({ id, label, value, options }: { id: string; label: string; value: string; options: [string, string][] }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={id} defaultValue={value}>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
}

const entries = <K extends string>(labels: Record<K, string>): [string, string][] => Object.entries(labels) as [string, string][];

export default function AdminEnrolments() {
  const { filters, list, modules } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const payments = filters.view === "paiements";
  const title = payments ? "Paiements à recevoir" : "Inscriptions";
  return (
    <>
      <p>
        <Link to="/admin">← Administration</Link>
      </p>
      <h1>{title}</h1>
      <nav aria-label="Vues des inscriptions">
        <ul className="inline-list">
          <li>
            <Link to="/admin/inscriptions" aria-current={payments ? undefined : "page"}>
              Toutes les inscriptions
            </Link>
          </li>
          <li>
            <Link to="/admin/inscriptions?vue=paiements" aria-current={payments ? "page" : undefined}>
              Paiements à recevoir
            </Link>
          </li>
        </ul>
      </nav>
      {payments ? <p>Places financées par une structure ou un OPCO dont le paiement n'est pas encore reçu (inscriptions annulées exclues).</p> : null}
      <Form method="get" className="filters" role="search" aria-labelledby="filtres">
        <h2 id="filtres">Rechercher</h2>
        {payments ? <input type="hidden" name="vue" value="paiements" /> : null}
        <div className="filter-row">
          <div className="field">
            <label htmlFor="q">Nom ou e-mail de la personne, structure</label>
            <input id="q" name="q" type="search" defaultValue={filters.q} />
          </div>
          <Select id="statut" label="Statut" value={filters.status} options={[["", "Tous"], ...entries(ENROLMENT_STATUS_LABELS)]} />
          <Select id="financement" label="Financement" value={filters.funding} options={[["", "Tous"], ...entries(FUNDING_LABELS)]} />
          <Select id="paiement" label="Paiement" value={filters.payment} options={[["", "Tous"], ...entries(PAYMENT_STATUS_LABELS)]} />
          <Select id="module" label="Module" value={filters.moduleId} options={[["", "Tous"], ...modules.map((m): [string, string] => [m.id, `${m.number}. ${m.title}`])]} />
          <Select id="periode" label="Période" value={filters.when} options={entries(WHEN_LABELS)} />
        </div>
        <p className="filter-actions">
          <button type="submit">Filtrer</button>
          <Link to={payments ? "/admin/inscriptions?vue=paiements" : "/admin/inscriptions"}>Effacer les filtres</Link>
        </p>
      </Form>
      <FormError message={failed?.error} />
      {list.rows.length === 0 ? (
        <p>Aucune inscription ne correspond.</p>
      ) : (
        <table>
          <caption className="muted">
            {list.total} inscription{list.total > 1 ? "s" : ""}
            {list.pageCount > 1 ? ` — page ${list.page} sur ${list.pageCount}` : ""}
          </caption>
          <thead>
            <tr>
              <th scope="col">Personne</th>
              <th scope="col">Structure</th>
              <th scope="col">Session</th>
              <th scope="col">Statut</th>
              <th scope="col">Financement</th>
              <th scope="col">Paiement</th>
            </tr>
          </thead>
          <tbody>
            {list.rows.map((e) => (
              <tr key={e.id}>
                <th scope="row">
                  <Link to={`/admin/inscriptions/${e.id}`}>{e.learnerName}</Link>
                  <br />
                  <span className="muted">{e.learnerEmail}</span>
                </th>
                <td>{e.structureName ?? "—"}</td>
                <td>
                  <Link to={`/admin/sessions/${e.sessionId}`}>{e.moduleTitle}</Link>
                  <br />
                  <span className="muted">{e.dates}</span>
                </td>
                <td>{ENROLMENT_STATUS_LABELS[e.status]}</td>
                <td>{FUNDING_LABELS[e.funding]}</td>
                <td>
                  {PAYMENT_STATUS_LABELS[e.paymentStatus]}
                  {e.amountCents > 0 ? ` — ${euros.format(e.amountCents / 100)}` : null}
                  {e.canMarkPaid ? (
                    <Form method="post">
                      <input type="hidden" name="intent" value="markPaid" />
                      <input type="hidden" name="enrolmentId" value={e.id} />
                      <input type="hidden" name="sessionId" value={e.sessionId} />
                      <button type="submit" className="link-button" aria-label={`Marquer comme reçu : ${e.learnerName}, ${e.moduleTitle}`}>
                        Marquer comme reçu
                      </button>
                    </Form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.pageCount > 1 ? (
        <nav aria-label="Pages">
          <ul className="inline-list">
            {list.page > 1 ? (
              <li>
                <Link to={`/admin/inscriptions${enrolmentFiltersQuery(filters, list.page - 1)}`}>← Page précédente</Link>
              </li>
            ) : null}
            {list.page < list.pageCount ? (
              <li>
                <Link to={`/admin/inscriptions${enrolmentFiltersQuery(filters, list.page + 1)}`}>Page suivante →</Link>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
    </>
  );
}
