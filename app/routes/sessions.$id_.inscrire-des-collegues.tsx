import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormError } from "~/components/Field";
import { forbidden } from "~/modules/auth/require.server";
import { requireUser, type CurrentUser } from "~/modules/auth/session.server";
import { enrolColleagues, getSessionSummary, listColleaguesForSession } from "~/modules/enrolment/enrolment.server";
import { FUNDING_LABELS, enrolmentStatusLabel } from "~/modules/enrolment/enrolment.rules";
import { EnrolColleaguesSchema } from "~/modules/enrolment/enrolment.schema";
import { redirectWithFlash } from "~/utils/flash.server";
import { formValues, parseForm, type FieldErrors } from "~/utils/forms.server";

/**
 * A structure's referent enrols several colleagues in one session (one enrolment and one
 * convocation each). `$id_` keeps this page out of the session page's layout; the URL is
 * /sessions/:id/inscrire-des-collegues.
 */
export const meta: MetaFunction = () => [{ title: "Inscrire des collègues — Maillon" }];

/** The structure the referent acts for: the intra session's own, or the one chosen. */
function structureFor(user: CurrentUser, session: { kind: string; structureId: string | null }, requested: string | null) {
  const referentOf = user.memberships.filter((m) => m.role === "REFERENT");
  if (session.kind === "INTRA") return referentOf.find((m) => m.structureId === session.structureId) ?? null;
  return referentOf.find((m) => m.structureId === requested) ?? referentOf[0] ?? null;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const session = await getSessionSummary(params.id ?? "");
  if (!session) throw new Response("Session introuvable", { status: 404 });
  const structure = structureFor(user, session, new URL(request.url).searchParams.get("structure"));
  if (!structure) throw forbidden("Seul·e un·e référent·e d'une structure peut inscrire des collègues à cette session.");
  const colleagues = (await listColleaguesForSession({ referentId: user.id, structureId: structure.structureId, sessionId: session.id })) ?? [];
  const others = user.memberships.filter((m) => m.role === "REFERENT" && m.structureId !== structure.structureId);
  return {
    session,
    structure: { id: structure.structureId, name: structure.structureName },
    otherStructures: session.kind === "INTRA" ? [] : others.map((m) => ({ id: m.structureId, name: m.structureName })),
    fundings: (session.isFree ? (["FREE"] as const) : (["STRUCTURE", "OPCO"] as const)).map((f) => ({ value: f, label: FUNDING_LABELS[f] })),
    colleagues: colleagues.map((c) => ({
      ...c,
      enrolled: c.status !== null && c.status !== "CANCELLED",
      statusLabel: c.status && c.status !== "CANCELLED" ? enrolmentStatusLabel({ status: c.status }) : null,
    })),
  };
}

type Failure = { errors: FieldErrors; values: Record<string, string> };

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const sessionId = params.id ?? "";
  const formData = await request.formData();
  // Every ticked box is kept (formValues keeps one value per name).
  const values = { ...formValues(formData), userIds: formData.getAll("userIds").filter((v) => typeof v === "string").join(",") };
  const parsed = parseForm(EnrolColleaguesSchema, formData);
  if (!parsed.ok) return data<Failure>({ errors: parsed.errors, values }, { status: 400 });
  const outcome = await enrolColleagues({ referent: user, sessionId, ...parsed.data });
  if (!outcome.ok) return data<Failure>({ errors: { form: outcome.message }, values }, { status: 400 });
  const confirmed = outcome.results.filter((r) => r.result.ok && r.result.status === "CONFIRMED").length;
  const waiting = outcome.results.filter((r) => r.result.ok && r.result.status === "WAITLISTED").length;
  const refused = outcome.results.filter((r) => !r.result.ok).map((r) => (r.result.ok ? "" : r.result.message));
  const parts = [
    confirmed ? `${confirmed} inscription${confirmed > 1 ? "s" : ""} confirmée${confirmed > 1 ? "s" : ""} (convocations envoyées)` : null,
    waiting ? `${waiting} personne${waiting > 1 ? "s" : ""} sur la liste d'attente` : null,
    ...refused,
  ].filter(Boolean);
  return redirectWithFlash(`/sessions/${encodeURIComponent(sessionId)}/inscrire-des-collegues?structure=${encodeURIComponent(parsed.data.structureId)}`, {
    kind: confirmed + waiting > 0 ? "success" : "error",
    message: `${parts.join(" ; ")}.`,
  });
}

export default function EnrolColleagues() {
  const { session, structure, otherStructures, fundings, colleagues } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const checked = new Set((failed?.values.userIds ?? "").split(","));
  const available = colleagues.filter((c) => !c.enrolled);
  return (
    <>
      <p>
        <Link to={`/sessions/${encodeURIComponent(session.id)}`}>← {session.title}</Link>
      </p>
      <h1>
        Inscrire des collègues
        <span className="subtitle">
          {session.title} — {session.dates}
        </span>
      </h1>
      <p>
        Pour {structure.name}. Chaque personne cochée reçoit sa convocation par e-mail.{" "}
        {session.seatsLeft === 0 ? "La session est complète : les personnes cochées rejoindront la liste d'attente." : `Places restantes : ${session.seatsLeft}.`}
      </p>
      {otherStructures.length > 0 ? (
        <p>
          Autres structures :{" "}
          {otherStructures.map((s, i) => (
            <span key={s.id}>
              {i > 0 ? ", " : null}
              <Link to={`?structure=${encodeURIComponent(s.id)}`}>{s.name}</Link>
            </span>
          ))}
        </p>
      ) : null}
      <Form method="post" className="stack" noValidate>
        <FormError message={failed?.errors.form} />
        <input type="hidden" name="structureId" value={structure.id} />
        <fieldset aria-describedby={failed?.errors.userIds ? "userIds-error" : undefined}>
          <legend>Collègues à inscrire</legend>
          {available.length === 0 ? <p className="muted">Toutes les personnes de la structure sont déjà inscrites.</p> : null}
          {available.map((c) => (
            <div key={c.userId}>
              <input type="checkbox" id={`colleague-${c.userId}`} name="userIds" value={c.userId} defaultChecked={checked.has(c.userId)} />{" "}
              <label htmlFor={`colleague-${c.userId}`}>
                {c.name} <span className="muted">({c.email})</span>
              </label>
            </div>
          ))}
          {failed?.errors.userIds ? (
            <p className="error" id="userIds-error">
              {failed.errors.userIds}
            </p>
          ) : null}
        </fieldset>
        <div className="field">
          <label htmlFor="field-funding">Financement</label>
          <select id="field-funding" name="funding" defaultValue={failed?.values.funding}>
            {fundings.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </div>
        <p>
          <button type="submit">Inscrire les personnes cochées</button>
        </p>
      </Form>
      {colleagues.some((c) => c.enrolled) ? (
        <>
          <h2>Déjà inscrites</h2>
          <ul>
            {colleagues
              .filter((c) => c.enrolled)
              .map((c) => (
                <li key={c.userId}>
                  {c.name} : {c.statusLabel}
                </li>
              ))}
          </ul>
        </>
      ) : null}
    </>
  );
}
