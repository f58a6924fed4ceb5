import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CertificatesTable } from "~/components/CertificatesTable";
import { FormError } from "~/components/Field";
import { SessionForm } from "~/components/SessionForm";
import { SHEET_STATE_LABELS } from "~/modules/attendance/attendance.labels";
import { listSessionSheets } from "~/modules/attendance/attendance.server";
import { requirePermission } from "~/modules/auth/require.server";
import { listSessionCertificates } from "~/modules/certificates/documents.server";
import { WaitlistReorderSchema } from "~/modules/enrolment/staff.schema";
import { reorderWaitlist } from "~/modules/enrolment/staff.server";
import { sessionSurveyRates } from "~/modules/evaluations/results.server";
import { deactivatedTrainerOf } from "~/modules/people/people.server";
import { getSessionRoster } from "~/modules/training/roster.server";
import {
  cancelSession,
  getSessionForEdit,
  getSessionFormOptions,
  markEnrolmentPaid,
  updateSession,
} from "~/modules/training/sessions-admin.server";
import { CancelSessionSchema, MarkPaidSchema, SessionFormSchema, sessionFormValues } from "~/modules/training/sessions.schema";
import { ENROLMENT_STATUS_LABELS, FUNDING_LABELS, PAYMENT_STATUS_LABELS, SESSION_STATUS_LABELS, slotRowsFor } from "~/modules/training/sessions.labels";
import { placeLine } from "~/modules/training/sessions.rules";
import { hasQuote } from "~/modules/training/quote.rules";
import { formatSlot } from "~/utils/dates";
import { redirectWithFlash } from "~/utils/flash.server";
import { failure, parseForm, type FieldErrors } from "~/utils/forms.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? `Session « ${data.session.module.title} »` : "Session"} — Administration — Maillon` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "admin.access");
  const sessionId = params.id ?? "";
  const [session, options, roster, certificates, sheets, deactivatedTrainer] = await Promise.all([
    getSessionForEdit(sessionId),
    getSessionFormOptions(),
    getSessionRoster({ actor: user, sessionId }),
    listSessionCertificates(sessionId),
    listSessionSheets(sessionId),
    deactivatedTrainerOf(sessionId),
  ]);
  if (!session || !roster) throw new Response("Cette session n'existe pas.", { status: 404 });
  const surveyRates = await sessionSurveyRates(sessionId);
  return { session, options, roster, certificates, sheets, deactivatedTrainer, surveyRates, values: sessionFormValues(session) };
}

type Intent = "save" | "cancel" | "markPaid" | "reorder";
type ActionFailure = { intent: Intent; errors: FieldErrors; values: Record<string, string> };

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "admin.access");
  const sessionId = params.id ?? "";
  const path = `/admin/sessions/${sessionId}`;
  const formData = await request.formData();
  const intent = formData.get("intent");

  if (intent === "save") {
    const parsed = parseForm(SessionFormSchema, formData);
    if (!parsed.ok) return data<ActionFailure>({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
    const result = await updateSession({ actor: user, sessionId, data: parsed.data });
    if (!result.ok) return data<ActionFailure>({ intent, ...failure(result.errors, formData) }, { status: 400 });
    const told = result.notified > 0 ? ` ${result.notified} personne${result.notified > 1 ? "s ont été prévenues" : " a été prévenue"} par e-mail.` : "";
    return redirectWithFlash(path, { kind: "success", message: `La session est enregistrée.${told}` });
  }

  if (intent === "cancel") {
    const parsed = parseForm(CancelSessionSchema, formData);
    if (!parsed.ok) return data<ActionFailure>({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
    const result = await cancelSession({ actor: user, sessionId, reason: parsed.data.reason });
    if (!result.ok) return data<ActionFailure>({ intent, ...failure(result.errors, formData) }, { status: 400 });
    const n = result.cancelledEnrolments;
    return redirectWithFlash(path, {
      kind: "success",
      message: `La session est annulée.${n > 0 ? ` ${n} inscription${n > 1 ? "s ont été annulées" : " a été annulée"} et chaque personne prévenue par e-mail.` : ""}`,
    });
  }

  if (intent === "markPaid") {
    const parsed = parseForm(MarkPaidSchema, formData);
    if (!parsed.ok) return data<ActionFailure>({ intent, errors: { roster: "Cette demande n'est pas valide." }, values: {} }, { status: 400 });
    const result = await markEnrolmentPaid({ actor: user, sessionId, enrolmentId: parsed.data.enrolmentId });
    if (!result.ok) return data<ActionFailure>({ intent, errors: { roster: result.errors.form ?? "Refusé." }, values: {} }, { status: 400 });
    return redirectWithFlash(`${path}#inscriptions`, { kind: "success", message: "Le paiement est enregistré." });
  }

  if (intent === "reorder") {
    const parsed = parseForm(WaitlistReorderSchema, formData);
    if (!parsed.ok) return data<ActionFailure>({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
    const result = await reorderWaitlist({ actor: user, sessionId, ...parsed.data });
    if (!result.ok) return data<ActionFailure>({ intent, ...failure(result.errors, formData) }, { status: 400 });
    return redirectWithFlash(`${path}#liste-attente`, {
      kind: "success",
      message: `${result.name} passe de la position ${result.from} à la position ${result.to} sur la liste d'attente.`,
    });
  }

  return data<ActionFailure>({ intent: "save", errors: { form: "Cette demande n'est pas valide." }, values: {} }, { status: 400 });
}

const euros = new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR" });

export default function AdminSession() {
  const { session, options, roster, certificates, sheets, deactivatedTrainer, surveyRates, values } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const saveFailed = failed?.intent === "save" ? failed : null;
  const cancelFailed = failed?.intent === "cancel" ? failed : null;
  const rosterError = failed?.intent === "markPaid" ? failed.errors.roster : null;
  const reorderFailed = failed?.intent === "reorder" ? failed : null;
  const waiting = roster.entries.filter((e) => e.status === "WAITLISTED");
  const scheduled = session.status === "SCHEDULED";
  const formValues = saveFailed?.values ?? values;
  const rows = slotRowsFor(session.slots.length);

  return (
    <>
      <p>
        <Link to="/admin/sessions">← Toutes les sessions</Link>
      </p>
      <h1>
        {session.module.title}
        <span className="subtitle">
          Session {SESSION_STATUS_LABELS[session.status].toLowerCase()} — {placeLine(session)}
        </span>
      </h1>
      <dl className="facts">
        <div>
          <dt>Places prises</dt>
          <dd>
            {session.seatsTaken} / {session.capacity}
          </dd>
        </div>
        <div>
          <dt>Prix par place</dt>
          <dd>{session.isFree ? "Gratuite" : euros.format(session.priceCents / 100)}</dd>
        </div>
        <div>
          <dt>Formateur·rice</dt>
          <dd>{roster.trainerName ?? "À désigner"}</dd>
        </div>
      </dl>
      {deactivatedTrainer && session.status === "SCHEDULED" ? (
        <p className="form-error" role="status">
          Le compte de la formatrice ou du formateur, {deactivatedTrainer.name}, est désactivé : choisissez quelqu'un d'autre pour cette session (
          <Link to={`/admin/personnes/${encodeURIComponent(deactivatedTrainer.id)}`}>voir sa fiche</Link>).
        </p>
      ) : null}
      <ul aria-label="Demi-journées et feuilles d'émargement">
        {sheets.map((s) => (
          <li key={s.id}>
            {formatSlot(s)} — <Link to={`/admin/sessions/${encodeURIComponent(session.id)}/emargement/${encodeURIComponent(s.id)}`}>émargement</Link> ({SHEET_STATE_LABELS[s.state].toLowerCase()}, {s.marked} ligne{s.marked > 1 ? "s" : ""} renseignée{s.marked > 1 ? "s" : ""})
          </li>
        ))}
      </ul>
      {session.status === "CANCELLED" ? (
        <p className="form-error">Session annulée{session.cancelReason ? ` : ${session.cancelReason}` : "."}</p>
      ) : null}
      <p>
        <Link to={`/formateur/sessions/${session.id}`}>Liste des participants et adresses du groupe</Link>
        {" — "}
        <a href={`/formateur/sessions/${encodeURIComponent(session.id)}/liste.pdf`}>liste à imprimer (PDF)</a>
      </p>

      <section aria-labelledby="inscriptions">
        <h2 id="inscriptions">Inscriptions</h2>
        <FormError message={rosterError} />
        {roster.entries.length === 0 ? (
          <p>Aucune inscription pour l'instant.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Nom</th>
                <th scope="col">Structure</th>
                <th scope="col">Statut</th>
                <th scope="col">Financement</th>
                <th scope="col">Paiement</th>
              </tr>
            </thead>
            <tbody>
              {roster.entries.map((e) => (
                <tr key={e.enrolmentId}>
                  <th scope="row">
                    {e.name}
                    <br />
                    <span className="muted">{e.email}</span>
                  </th>
                  <td>{e.structureName ?? "—"}</td>
                  <td>
                    {ENROLMENT_STATUS_LABELS[e.status]}
                    {e.status === "WAITLISTED" ? ` (position ${waiting.indexOf(e) + 1})` : null}
                  </td>
                  <td>
                    {FUNDING_LABELS[e.funding]}
                    {hasQuote(e) ? (
                      <>
                        <br />
                        <a href={`/mon-espace/inscriptions/${encodeURIComponent(e.enrolmentId)}/devis`} download>
                          Devis (PDF)<span className="visually-hidden"> : {e.name}</span>
                        </a>
                      </>
                    ) : null}
                  </td>
                  <td>
                    {PAYMENT_STATUS_LABELS[e.paymentStatus]}
                    {e.amountCents > 0 ? ` — ${euros.format(e.amountCents / 100)}` : null}
                    {e.paymentStatus === "PENDING" && (e.funding === "STRUCTURE" || e.funding === "OPCO") && e.status !== "CANCELLED" ? (
                      <Form method="post">
                        <input type="hidden" name="intent" value="markPaid" />
                        <input type="hidden" name="enrolmentId" value={e.enrolmentId} />
                        <button type="submit" className="link-button" aria-label={`Marquer comme payé : ${e.name}`}>
                          Marquer comme payé
                        </button>
                      </Form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="certificats">
        <h2 id="certificats">Clôture et certificats</h2>
        <p>
          <Link to={`/formateur/sessions/${session.id}/cloture`}>
            {session.status === "CLOSED" ? "Voir la clôture de la session" : "Évaluation des acquis et clôture de la session"}
          </Link>
        </p>
        {certificates.length === 0 ? (
          <p>Aucun certificat : ils sont délivrés à la clôture de la session.</p>
        ) : (
          <>
            <p>
              <a href={`/admin/sessions/${encodeURIComponent(session.id)}/certificats.zip`} download>
                Télécharger tous les certificats valides (ZIP)
              </a>
            </p>
            <CertificatesTable certificates={certificates} forStaff />
          </>
        )}
      </section>

      {surveyRates ? <SurveyRates rates={surveyRates} /> : null}

      {waiting.length >= 2 ? <WaitlistReorderForm waiting={waiting} failed={reorderFailed} /> : null}

      {scheduled ? (
        <>
          <section aria-labelledby="modifier">
            <h2 id="modifier">Modifier la session</h2>
            <p>Si vous changez les dates ou le lieu, chaque personne inscrite est prévenue par e-mail.</p>
            {saveFailed ? (
              <p className="form-error" role="alert">
                Les modifications ne sont pas enregistrées : corrigez les champs signalés.
              </p>
            ) : null}
            <SessionForm options={options} values={formValues} errors={saveFailed?.errors ?? {}} slotRows={rows} submitLabel="Enregistrer les modifications" />
          </section>

          <section aria-labelledby="annuler">
            <h2 id="annuler">Annuler la session</h2>
            <p>Toutes les inscriptions et la liste d'attente sont annulées ; chaque personne reçoit un e-mail avec la raison.</p>
            <Form method="post" className="stack" noValidate>
              <input type="hidden" name="intent" value="cancel" />
              <FormError message={cancelFailed?.errors.form} />
              <div className="field">
                <label htmlFor="field-reason">Raison de l'annulation</label>
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
                <button type="submit">Annuler la session</button>
              </p>
            </Form>
          </section>
        </>
      ) : null}
    </>
  );
}

type WaitingEntry = { enrolmentId: string; name: string; email: string };

/** Staff move one waiting person; the reason is required and kept in each person's journal. */
function WaitlistReorderForm({ waiting, failed }: { waiting: WaitingEntry[]; failed: ActionFailure | null }) {
  const errors = failed?.errors ?? {};
  const values = failed?.values ?? {};
  const move = values.move ?? "up";
  const describedBy = (field: string) => (errors[field] ? `field-waitlist-${field}-error` : undefined);
  const error = (field: string) =>
    errors[field] ? (
      <p className="error" id={`field-waitlist-${field}-error`}>
        {errors[field]}
      </p>
    ) : null;
  return (
    <section aria-labelledby="liste-attente">
      <h2 id="liste-attente">Ordre de la liste d'attente</h2>
      <ol>
        {waiting.map((e) => (
          <li key={e.enrolmentId}>
            {e.name} <span className="muted">({e.email})</span>
          </li>
        ))}
      </ol>
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="intent" value="reorder" />
        <FormError message={errors.form} />
        <div className="field">
          <label htmlFor="field-waitlist-enrolmentId">Personne à déplacer</label>
          <select
            id="field-waitlist-enrolmentId"
            name="enrolmentId"
            defaultValue={values.enrolmentId ?? ""}
            aria-invalid={errors.enrolmentId ? true : undefined}
            aria-describedby={describedBy("enrolmentId")}
          >
            <option value="">Choisissez…</option>
            {waiting.map((e, i) => (
              <option key={e.enrolmentId} value={e.enrolmentId}>
                {i + 1}. {e.name}
              </option>
            ))}
          </select>
          {error("enrolmentId")}
        </div>
        <fieldset className="field" aria-describedby={describedBy("move")}>
          <legend>Déplacement</legend>
          {(
            [
              ["up", "Monter d'une position"],
              ["down", "Descendre d'une position"],
              ["position", "Placer à la position indiquée ci-dessous"],
            ] as const
          ).map(([value, label]) => (
            <div key={value}>
              <input type="radio" id={`field-waitlist-move-${value}`} name="move" value={value} defaultChecked={move === value} />
              <label htmlFor={`field-waitlist-move-${value}`}>{label}</label>
            </div>
          ))}
          {error("move")}
        </fieldset>
        <div className="field">
          <label htmlFor="field-waitlist-position">Nouvelle position (de 1 à {waiting.length})</label>
          <input
            id="field-waitlist-position"
            name="position"
            type="text"
            inputMode="numeric"
            defaultValue={values.position ?? ""}
            aria-invalid={errors.position ? true : undefined}
            aria-describedby={describedBy("position")}
          />
          {error("position")}
        </div>
        <div className="field">
          <label htmlFor="field-waitlist-reason">Motif du changement (obligatoire, conservé dans le journal)</label>
          <textarea
            id="field-waitlist-reason"
            name="reason"
            rows={2}
            defaultValue={values.reason ?? ""}
            aria-invalid={errors.reason ? true : undefined}
            aria-describedby={describedBy("reason")}
          />
          {error("reason")}
        </div>
        <p>
          <button type="submit">Déplacer</button>
        </p>
      </Form>
    </section>
  );
}

type ResponseRate = { rate: number; count: number; total: number; reminded: number } | null;

/** A closed session's evaluation surveys: how many were answered, à chaud and à froid. */
function SurveyRates({ rates }: { rates: { hot: ResponseRate; cold: ResponseRate } }) {
  const line = (r: ResponseRate, notYet: string) =>
    r
      ? `${Math.round(r.rate * 100)} % (${r.count} réponse${r.count > 1 ? "s" : ""} sur ${r.total} questionnaire${r.total > 1 ? "s" : ""} envoyé${r.total > 1 ? "s" : ""} ; ${r.reminded} rappel${r.reminded > 1 ? "s" : ""})`
      : notYet;
  return (
    <section aria-labelledby="questionnaires">
      <h2 id="questionnaires">Questionnaires d'évaluation</h2>
      <dl className="details">
        <div>
          <dt>Taux de réponse à chaud (fin de formation)</dt>
          <dd>{line(rates.hot, "aucun questionnaire envoyé")}</dd>
        </div>
        <div>
          <dt>Taux de réponse à froid (trois mois après)</dt>
          <dd>{line(rates.cold, "pas encore envoyé")}</dd>
        </div>
      </dl>
    </section>
  );
}
