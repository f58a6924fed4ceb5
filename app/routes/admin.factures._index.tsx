import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormError } from "~/components/Field";
import { requirePermission } from "~/modules/auth/require.server";
import { INVOICE_STATE_LABELS, FUNDING_FOR_ACCOUNTANT, type InvoiceState } from "~/modules/invoicing/invoice.rules";
import { listInvoicesForStaff, sendOverdueReminder, type StaffInvoiceRow } from "~/modules/invoicing/invoicing.server";
import { formatEuros } from "~/modules/training/quote.rules";
import { formatDate } from "~/utils/dates";
import { redirectWithFlash } from "~/utils/flash.server";

export const meta: MetaFunction = () => [{ title: "Factures — Administration — Maillon" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.access");
  return { rows: await listInvoicesForStaff(new Date()) };
}

/** One reminder per overdue invoice (POST intent=remind). */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "admin.access");
  const form = await request.formData();
  const invoiceId = String(form.get("invoiceId") ?? "");
  if (form.get("intent") !== "remind" || !invoiceId) return data({ invoiceId, error: "Cette demande n'est pas valide." }, { status: 400 });
  const result = await sendOverdueReminder({ staff: user, invoiceId });
  if (!result.ok) return data({ invoiceId, error: result.message }, { status: 400 });
  return redirectWithFlash("/admin/factures", { kind: "success", message: "La relance est envoyée par e-mail." });
}

type Row = StaffInvoiceRow;
const day = (d: Date | null) => (d ? formatDate(d) : "—");

function InvoiceTable({ caption, rows, remind }: { caption: string; rows: Row[]; remind?: boolean }) {
  const failed = useActionData<typeof action>();
  if (rows.length === 0) return <p>Aucune.</p>;
  return (
    <table>
      <caption className="muted">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Numéro</th>
          <th scope="col">Date</th>
          <th scope="col">Échéance</th>
          <th scope="col">Client</th>
          <th scope="col">Financeur</th>
          <th scope="col">Montant TTC</th>
          <th scope="col">État</th>
          {remind ? <th scope="col">Relance</th> : null}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id}>
            <th scope="row">
              <a href={`/factures/${encodeURIComponent(r.id)}.pdf`} download>
                {r.number}
              </a>
              {r.enrolmentId ? (
                <>
                  {" "}
                  (<Link to={`/admin/inscriptions/${encodeURIComponent(r.enrolmentId)}`}>inscription</Link>)
                </>
              ) : null}
            </th>
            <td>{day(r.issuedAt)}</td>
            <td>{r.kind === "INVOICE" ? day(r.dueAt) : `sur ${r.credits ?? "—"}`}</td>
            <td>{r.buyerName}</td>
            <td>{FUNDING_FOR_ACCOUNTANT[r.funding as keyof typeof FUNDING_FOR_ACCOUNTANT] ?? r.funding}</td>
            <td>{formatEuros(r.totalTtcCents)}</td>
            <td>{r.state ? INVOICE_STATE_LABELS[r.state] + (r.paidAt ? ` le ${day(r.paidAt)}` : "") : "Avoir"}</td>
            {remind ? (
              <td>
                {r.reminderSentAt ? (
                  `Envoyée le ${day(r.reminderSentAt)}`
                ) : (
                  <Form method="post">
                    <input type="hidden" name="intent" value="remind" />
                    <input type="hidden" name="invoiceId" value={r.id} />
                    <button type="submit">Envoyer une relance</button>
                  </Form>
                )}
                {failed?.invoiceId === r.id ? <FormError message={failed.error} /> : null}
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default function AdminInvoices() {
  const { rows } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const of = (state: InvoiceState) => rows.filter((r) => r.state === state);
  return (
    <>
      <h1>Factures et avoirs</h1>
      <p>
        <a href="/admin/factures.csv" download>
          Télécharger les ventes (CSV pour la comptabilité)
        </a>
      </p>
      {failed && !rows.some((r) => r.id === failed.invoiceId) ? <FormError message={failed.error} /> : null}
      <h2>En retard de paiement</h2>
      <InvoiceTable caption="Échéance dépassée, non payées" rows={of("OVERDUE")} remind />
      <h2>À payer</h2>
      <InvoiceTable caption="Avant échéance" rows={of("UNPAID")} />
      <h2>Payées</h2>
      <InvoiceTable caption="Paiement reçu" rows={of("PAID")} />
      <h2>Annulées par avoir</h2>
      <InvoiceTable caption="Entièrement créditées" rows={of("CREDITED")} />
      <h2>Avoirs</h2>
      <InvoiceTable caption="Chacun renvoie à la facture qu'il crédite" rows={rows.filter((r) => r.kind === "CREDIT_NOTE")} />
    </>
  );
}
