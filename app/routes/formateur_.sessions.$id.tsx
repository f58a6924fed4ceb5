import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ObjectivesForm } from "~/components/ObjectivesForm";
import { requirePermission } from "~/modules/auth/require.server";
import { parseObjectivesForm } from "~/modules/certificates/session-close.schema";
import { getSessionOutcome, recordObjectives } from "~/modules/certificates/session-close.server";
import { formValues } from "~/utils/forms.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { listSessionSheets } from "~/modules/attendance/attendance.server";
import { SHEET_STATE_LABELS } from "~/modules/attendance/attendance.labels";
import { getSessionRoster, getSessionTrainer } from "~/modules/training/roster.server";
import { ENROLMENT_STATUS_LABELS, FUNDING_LABELS, PAYMENT_STATUS_LABELS, SESSION_STATUS_LABELS } from "~/modules/training/sessions.labels";
import { formatSlot } from "~/utils/dates";

/**
 * A session's roster for its trainer (and staff): who comes, how they are funded, and
 * the group's addresses to write to them. (`formateur_` keeps this page out of the
 * /formateur page's layout; the URL is /formateur/sessions/:id.)
 */
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? `Participants — ${data.roster.moduleTitle}` : "Participants"} — Maillon` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const sessionId = params.id ?? "";
  const session = await getSessionTrainer(sessionId);
  if (!session) throw new Response("Cette session n'existe pas.", { status: 404 });
  const user = await requirePermission(request, "session.viewRoster", { sessionTrainerId: session.trainerId });
  const [roster, outcome, sheets] = await Promise.all([
    getSessionRoster({ actor: user, sessionId }),
    getSessionOutcome({ actor: user, sessionId }),
    listSessionSheets(sessionId),
  ]);
  if (!roster || !outcome) throw new Response("Cette session n'existe pas.", { status: 404 });
  return { roster, outcome, sheets };
}

/** POST: the objectives reached by each trainee (the session's trainer or staff). */
export async function action({ request, params }: ActionFunctionArgs) {
  const sessionId = params.id ?? "";
  const session = await getSessionTrainer(sessionId);
  if (!session) throw new Response("Cette session n'existe pas.", { status: 404 });
  const user = await requirePermission(request, "session.assess", { sessionTrainerId: session.trainerId });
  const formData = await request.formData();
  const parsed = parseObjectivesForm(formData);
  if (!parsed.ok) return data({ errors: parsed.errors, values: formValues(formData) }, { status: 400 });
  const result = await recordObjectives({ actor: user, sessionId, choices: parsed.choices });
  if (!result.ok) return data({ errors: { form: result.error }, values: formValues(formData) }, { status: result.status });
  return redirectWithFlash(`/formateur/sessions/${sessionId}#evaluation`, { kind: "success", message: "L'évaluation des acquis est enregistrée." });
}

export default function TrainerRoster() {
  const { roster, outcome, sheets } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const present = roster.entries.filter((e) => e.status !== "CANCELLED");
  const mailto = `mailto:?bcc=${roster.groupEmails.map(encodeURIComponent).join(",")}&subject=${encodeURIComponent(`Formation « ${roster.moduleTitle} »`)}`;
  return (
    <>
      <p>
        <Link to="/formateur">← Mes sessions</Link>
      </p>
      <h1>
        Participants
        <span className="subtitle">
          {roster.moduleTitle} — {roster.format === "REMOTE" ? "à distance" : [roster.venueName, roster.city].filter(Boolean).join(", ")}
        </span>
      </h1>
      {roster.status !== "SCHEDULED" ? <p className="form-error">Session {SESSION_STATUS_LABELS[roster.status as keyof typeof SESSION_STATUS_LABELS]?.toLowerCase()}.</p> : null}
      <section aria-labelledby="emargement">
        <h2 id="emargement">Émargement par demi-journée</h2>
        <ul>
          {sheets.map((s) => (
            <li key={s.id}>
              <Link to={`/formateur/sessions/${encodeURIComponent(roster.sessionId)}/emargement/${encodeURIComponent(s.id)}`}>{formatSlot(s)}</Link> — {SHEET_STATE_LABELS[s.state].toLowerCase()}
            </li>
          ))}
        </ul>
      </section>
      <p>
        {roster.seatsTaken} place{roster.seatsTaken > 1 ? "s" : ""} prise{roster.seatsTaken > 1 ? "s" : ""} sur {roster.capacity}.
      </p>
      <p>
        <a href={`/formateur/sessions/${encodeURIComponent(roster.sessionId)}/liste.pdf`}>Liste des participants à imprimer (PDF)</a>
      </p>

      <section aria-labelledby="liste">
        <h2 id="liste">Liste des participants</h2>
        {present.length === 0 ? (
          <p>Personne n'est inscrit pour l'instant.</p>
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
              {present.map((e) => (
                <tr key={e.enrolmentId}>
                  <th scope="row">{e.name}</th>
                  <td>{e.structureName ?? "—"}</td>
                  <td>
                    {ENROLMENT_STATUS_LABELS[e.status]}
                    {e.status === "WAITLISTED" && e.waitlistRank !== null ? ` (rang ${e.waitlistRank})` : null}
                  </td>
                  <td>{FUNDING_LABELS[e.funding]}</td>
                  <td>{PAYMENT_STATUS_LABELS[e.paymentStatus]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <ObjectivesForm outcome={outcome} failed={failed ?? null} />

      <section aria-labelledby="ecrire">
        <h2 id="ecrire">Écrire au groupe</h2>
        {roster.groupEmails.length === 0 ? (
          <p>Aucune adresse pour l'instant : personne n'a encore de place confirmée.</p>
        ) : (
          <>
            <div className="field">
              <label htmlFor="group-emails">Adresses des personnes inscrites ({roster.groupEmails.length})</label>
              <p className="hint" id="group-emails-hint">
                À copier dans le champ « Cci » de votre messagerie, pour ne pas dévoiler les adresses de chacun.
              </p>
              <textarea id="group-emails" readOnly rows={Math.min(8, roster.groupEmails.length + 1)} value={roster.groupEmails.join(", ")} aria-describedby="group-emails-hint" />
            </div>
            <p>
              <a href={mailto}>Écrire au groupe avec ma messagerie</a>
            </p>
          </>
        )}
      </section>
    </>
  );
}
