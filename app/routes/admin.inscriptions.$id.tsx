import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormError } from "~/components/Field";
import { requirePermission } from "~/modules/auth/require.server";
import { cancelEnrolment } from "~/modules/enrolment/enrolment.server";
import { formatDateTime } from "~/modules/enrolment/enrolment.rules";
import { StaffCancelSchema } from "~/modules/enrolment/staff.schema";
import { getStaffEnrolment } from "~/modules/enrolment/staff.server";
import { rulesVersionLabel } from "~/modules/internal-rules/internal-rules.rules";
import { StaffRefundSchema } from "~/modules/invoicing/invoice.schema";
import { listEnrolmentInvoices } from "~/modules/invoicing/invoicing.server";
import { refundByStaff } from "~/modules/payments/card-refunds.server";
import { markEnrolmentPaid } from "~/modules/training/sessions-admin.server";
import { ENROLMENT_STATUS_LABELS, FUNDING_LABELS, PAYMENT_STATUS_LABELS } from "~/modules/training/sessions.labels";
import { redirectWithFlash } from "~/utils/flash.server";
import { parseForm, type FieldErrors } from "~/utils/forms.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? `Inscription de ${data.enrolment.learnerName}` : "Inscription"} — Administration — Maillon` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "admin.access");
  const enrolment = await getStaffEnrolment(user, params.id ?? "");
  if (!enrolment) throw new Response("Cette inscription n'existe pas.", { status: 404 });
  return { enrolment, invoices: await listEnrolmentInvoices(enrolment.id) };
}

type ActionFailure = { intent: "cancel" | "markPaid" | "refund"; errors: FieldErrors; values: Record<string, string> };

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "admin.access");
  const enrolmentId = params.id ?? "";
  const path = `/admin/inscriptions/${enrolmentId}`;
  const formData = await request.formData();
  const intent = formData.get("intent");

  if (intent === "cancel") {
    const parsed = parseForm(StaffCancelSchema, formData);
    if (!parsed.ok) return data<ActionFailure>({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
    const result = await cancelEnrolment({ actor: user, enrolmentId, reason: parsed.data.reason });
    if (!result.ok) return data<ActionFailure>({ intent, errors: { form: result.message }, values: { reason: parsed.data.reason } }, { status: 400 });
    return redirectWithFlash(path, { kind: "success", message: "L'inscription est annulée ; la personne est prévenue par e-mail." });
  }

  if (intent === "markPaid") {
    const enrolment = await getStaffEnrolment(user, enrolmentId);
    if (!enrolment) throw new Response("Cette inscription n'existe pas.", { status: 404 });
    const result = await markEnrolmentPaid({ actor: user, sessionId: enrolment.sessionId, enrolmentId });
    if (!result.ok) return data<ActionFailure>({ intent, errors: { form: result.errors.form ?? "Refusé." }, values: {} }, { status: 400 });
    return redirectWithFlash(path, { kind: "success", message: "Le paiement est enregistré comme reçu." });
  }

  if (intent === "refund") {
    const parsed = parseForm(StaffRefundSchema, formData);
    if (!parsed.ok) return data<ActionFailure>({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
    const result = await refundByStaff({ staff: user, enrolmentId, amountCents: parsed.data.amount, reason: parsed.data.reason });
    if (!result.ok) return data<ActionFailure>({ intent, errors: { form: result.message }, values: { amount: String(formData.get("amount") ?? ""), reason: parsed.data.reason } }, { status: 400 });
    return redirectWithFlash(path, { kind: "success", message: `Remboursement envoyé à Stripe ; avoir ${result.creditNote} émis${result.whole ? ", inscription annulée" : ""}.` });
  }

  return data<ActionFailure>({ intent: "cancel", errors: { form: "Cette demande n'est pas valide." }, values: {} }, { status: 400 });
}

const euros = new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR" });
const when = (d: Date | null) => (d ? formatDateTime(d) : "—");

export default function AdminEnrolment() {
  const { enrolment: e, invoices } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const refundFailed = failed?.intent === "refund" ? failed : null;
  const cancelFailed = failed?.intent === "cancel" ? failed : null;
  const payFailed = failed?.intent === "markPaid" ? failed : null;
  return (
    <>
      <p>
        <Link to="/admin/inscriptions">← Toutes les inscriptions</Link>
      </p>
      <h1>
        Inscription de {e.learnerName}
        <span className="subtitle">
          <Link to={`/admin/sessions/${e.sessionId}`}>{e.moduleTitle}</Link> — {e.dates}
        </span>
      </h1>
      <dl className="facts">
        <div>
          <dt>Adresse e-mail</dt>
          <dd>{e.learnerEmail}</dd>
        </div>
        <div>
          <dt>Structure</dt>
          <dd>{e.structureName ?? "—"}</dd>
        </div>
        <div>
          <dt>Statut</dt>
          <dd>
            {ENROLMENT_STATUS_LABELS[e.status]}
            {e.position ? ` (position ${e.position})` : null}
            {e.status === "OFFERED" && e.offerExpiresAt ? ` — à confirmer avant le ${formatDateTime(e.offerExpiresAt)}` : null}
          </dd>
        </div>
        <div>
          <dt>Financement</dt>
          <dd>{FUNDING_LABELS[e.funding]}</dd>
        </div>
        <div>
          <dt>Paiement</dt>
          <dd>
            {PAYMENT_STATUS_LABELS[e.paymentStatus]}
            {e.amountCents > 0 ? ` — ${euros.format(e.amountCents / 100)}` : null}
          </dd>
        </div>
        <div>
          <dt>Inscrit·e le</dt>
          <dd>
            {when(e.createdAt)}
            {e.enrolledByName ? ` par ${e.enrolledByName}` : null}
          </dd>
        </div>
        <div>
          <dt>Rappels envoyés</dt>
          <dd>
            J-7 : {when(e.reminder7SentAt)} ; J-1 : {when(e.reminder1SentAt)}
          </dd>
        </div>
        <div>
          <dt>Règlement intérieur remis</dt>
          <dd>
            {e.rulesDelivered ? (
              <>
                <Link to={`/admin/reglement-interieur?version=${e.rulesDelivered.number}`}>{rulesVersionLabel(e.rulesDelivered)}</Link>, avec la convocation du{" "}
                {when(e.rulesDelivered.at)}
              </>
            ) : (
              "—"
            )}
          </dd>
        </div>
        {e.status === "CANCELLED" ? (
          <div>
            <dt>Annulée le</dt>
            <dd>
              {when(e.cancelledAt)}
              {e.cancelReason ? ` — ${e.cancelReason}` : null}
            </dd>
          </div>
        ) : null}
      </dl>

      {e.canMarkPaid ? (
        <section aria-labelledby="paiement">
          <h2 id="paiement">Paiement</h2>
          <FormError message={payFailed?.errors.form} />
          <Form method="post">
            <input type="hidden" name="intent" value="markPaid" />
            <button type="submit">Marquer le paiement comme reçu</button>
          </Form>
        </section>
      ) : null}

      {invoices.length > 0 ? (
        <section aria-labelledby="factures">
          <h2 id="factures">Factures et avoirs</h2>
          <ul>
            {invoices.map((i) => (
              <li key={i.id}>
                <a href={`/factures/${encodeURIComponent(i.id)}.pdf`} download>
                  {i.kind === "INVOICE" ? "Facture" : "Avoir"} {i.number}
                </a>{" "}
                du {when(i.issuedAt)} — {euros.format(i.totalTtcCents / 100)}
                {i.kind === "INVOICE" ? (i.paidAt ? ` — payée le ${when(i.paidAt)}` : " — à payer") : i.reason ? ` — ${i.reason}` : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {e.funding === "CARD" && (e.paymentStatus === "PAID" || e.paymentStatus === "REFUNDED") ? (
        <section aria-labelledby="rembourser">
          <h2 id="rembourser">Rembourser le paiement par carte</h2>
          <p>Le remboursement part vers la carte utilisée ; un avoir est émis. Un remboursement total annule l'inscription et libère la place.</p>
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="refund" />
            <FormError message={refundFailed?.errors.form} />
            <div className="field">
              <label htmlFor="field-amount">Montant en euros (vide : tout ce qui reste)</label>
              <input
                id="field-amount"
                name="amount"
                inputMode="decimal"
                defaultValue={refundFailed?.values.amount ?? ""}
                aria-invalid={refundFailed?.errors.amount ? true : undefined}
                aria-describedby={refundFailed?.errors.amount ? "field-amount-error" : undefined}
              />
              {refundFailed?.errors.amount ? (
                <p className="error" id="field-amount-error">
                  {refundFailed.errors.amount}
                </p>
              ) : null}
            </div>
            <div className="field">
              <label htmlFor="field-refund-reason">Motif du remboursement</label>
              <textarea
                id="field-refund-reason"
                name="reason"
                rows={2}
                defaultValue={refundFailed?.values.reason ?? ""}
                aria-invalid={refundFailed?.errors.reason ? true : undefined}
                aria-describedby={refundFailed?.errors.reason ? "field-refund-reason-error" : undefined}
              />
              {refundFailed?.errors.reason ? (
                <p className="error" id="field-refund-reason-error">
                  {refundFailed.errors.reason}
                </p>
              ) : null}
            </div>
            <p>
              <button type="submit">Rembourser</button>
            </p>
          </Form>
        </section>
      ) : null}

      <section aria-labelledby="historique">
        <h2 id="historique">Historique</h2>
        {e.history.length === 0 ? (
          <p>Aucun événement enregistré.</p>
        ) : (
          <table>
            <caption className="muted">Du plus récent au plus ancien</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Événement</th>
                <th scope="col">Par</th>
                <th scope="col">Détails</th>
              </tr>
            </thead>
            <tbody>
              {e.history.map((h) => (
                <tr key={h.id}>
                  <td>{formatDateTime(h.at)}</td>
                  <th scope="row">{h.label}</th>
                  <td>{h.actorName ?? <span className="muted">Automatique</span>}</td>
                  <td>{h.details.join(" — ") || "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {e.canCancel ? (
        <section aria-labelledby="annuler">
          <h2 id="annuler">Annuler l'inscription</h2>
          <p>La place libérée est aussitôt proposée à la première personne de la liste d'attente. La personne reçoit un e-mail avec le motif.</p>
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="cancel" />
            <FormError message={cancelFailed?.errors.form} />
            <div className="field">
              <label htmlFor="field-reason">Motif de l'annulation</label>
              <textarea
                id="field-reason"
                name="reason"
                rows={3}
                defaultValue={cancelFailed?.values.reason ?? ""}
                aria-invalid={cancelFailed?.errors.reason ? true : undefined}
                aria-describedby={cancelFailed?.errors.reason ? "field-reason-error" : undefined}
              />
              {cancelFailed?.errors.reason ? (
                <p className="error" id="field-reason-error">
                  {cancelFailed.errors.reason}
                </p>
              ) : null}
            </div>
            <p>
              <button type="submit">Annuler l'inscription</button>
            </p>
          </Form>
        </section>
      ) : null}
    </>
  );
}
