import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormError } from "~/components/Field";
import { isAdmin } from "~/modules/auth/permissions.rules";
import { requirePermission } from "~/modules/auth/require.server";
import { formatAttendedDuration } from "~/modules/certificates/certificate.rules";
import { closeSession, getSessionOutcome } from "~/modules/certificates/session-close.server";
import { getSessionTrainer } from "~/modules/training/roster.server";
import { formatDate } from "~/utils/dates";
import { redirectWithFlash } from "~/utils/flash.server";

/**
 * /formateur/sessions/:id/cloture: what closing the session issues (hours attended and
 * objectives per trainee), and the button that closes it, for its trainer and staff.
 */
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? `Clôture — ${data.outcome.moduleTitle}` : "Clôture de session"} — Maillon` },
];

const OBJECTIVES_TEXT = { yes: "Atteints", no: "Non atteints", unknown: "Non évalués" } as const;

async function authorise(request: Request, sessionId: string) {
  const session = await getSessionTrainer(sessionId);
  if (!session) throw new Response("Cette session n'existe pas.", { status: 404 });
  return requirePermission(request, "session.assess", { sessionTrainerId: session.trainerId });
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const sessionId = params.id ?? "";
  const user = await authorise(request, sessionId);
  const outcome = await getSessionOutcome({ actor: user, sessionId });
  if (!outcome) throw new Response("Cette session n'existe pas.", { status: 404 });
  return {
    outcome: {
      ...outcome,
      planned: formatAttendedDuration(outcome.plannedMinutes),
      trainees: outcome.trainees.map((t) => ({ ...t, duration: formatAttendedDuration(t.attendedMinutes) })),
    },
    isStaff: isAdmin(user),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const sessionId = params.id ?? "";
  const user = await authorise(request, sessionId);
  const result = await closeSession({ actor: user, sessionId });
  if (!result.ok) return data({ error: result.error }, { status: result.status });
  const none = result.withoutCertificate > 0 ? ` ${result.withoutCertificate} personne${result.withoutCertificate > 1 ? "s" : ""} sans présence n'en reçoi${result.withoutCertificate > 1 ? "vent" : "t"} pas.` : "";
  return redirectWithFlash(`/formateur/sessions/${sessionId}/cloture`, {
    kind: "success",
    message: `La session est clôturée. ${result.certified} personne${result.certified > 1 ? "s reçoivent" : " reçoit"} ses certificats par e-mail.${none}`,
  });
}

export default function CloseSession() {
  const { outcome, isStaff } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const closed = outcome.status === "CLOSED";
  return (
    <>
      <p>
        <Link to={`/formateur/sessions/${outcome.sessionId}`}>← Participants de la session</Link>
        {isStaff ? (
          <>
            {" — "}
            <Link to={`/admin/sessions/${outcome.sessionId}`}>Administration de la session</Link>
          </>
        ) : null}
      </p>
      <h1>
        Clôture de la session
        <span className="subtitle">{outcome.moduleTitle}</span>
      </h1>
      {closed && outcome.closedAt ? <p>Session clôturée le {formatDate(outcome.closedAt)} : les certificats ont été délivrés.</p> : null}
      <p>
        À la clôture, chaque personne qui a assisté à au moins une demi-journée reçoit par e-mail un certificat de réalisation (durée réellement suivie,
        d'après les feuilles d'émargement) et une attestation de fin de formation (objectifs et résultat de l'évaluation). Durée prévue :{" "}
        {outcome.planned}.
      </p>
      {outcome.trainees.length === 0 ? (
        <p>Aucune inscription confirmée.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Nom</th>
              <th scope="col">Durée suivie</th>
              <th scope="col">Objectifs</th>
              <th scope="col">Certificats</th>
            </tr>
          </thead>
          <tbody>
            {outcome.trainees.map((t) => (
              <tr key={t.enrolmentId}>
                <th scope="row">{t.name}</th>
                <td>{t.duration}</td>
                <td>{OBJECTIVES_TEXT[t.objectives]}</td>
                <td>{t.getsCertificates ? (closed ? "Délivrés" : "Oui") : "Non : aucune présence"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <FormError message={failed?.error ?? null} />
      {closed || failed ? null : outcome.closeRefusal ? (
        <p className="form-error">{outcome.closeRefusal}</p>
      ) : (
        <Form method="post">
          <p>
            <button type="submit">Clôturer la session et envoyer les certificats</button>
          </p>
        </Form>
      )}
    </>
  );
}
