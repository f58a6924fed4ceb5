import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormError, TextAreaField } from "~/components/Field";
import { ApplicationSummary, ApplicationThread } from "~/components/RelayApplication";
import { requirePermission } from "~/modules/auth/require.server";
import { formatDateTime } from "~/modules/enrolment/enrolment.rules";
import { RELAY_STATUS_LABELS } from "~/modules/relays/relay.labels";
import { APPLICATION_STATUS_LABELS, relayAuditLabel } from "~/modules/relays/application.rules";
import { MESSAGE_MAX, MessageSchema, ReasonSchema, RequiredStaffSchema } from "~/modules/relays/application.schema";
import { applicationHistory, decideApplication, getApplication, postMessage } from "~/modules/relays/application.server";
import { getRelayForStaff, setRelaySuspension, setRequiredCertifiedStaff } from "~/modules/relays/relay.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { parseForm, type FieldErrors } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Candidature Relais Numérique — Administration — Maillon" }];

async function load(request: Request, id: string) {
  const user = await requirePermission(request, "relayApplication.review");
  const application = await getApplication(user, id);
  if (!application || application === "forbidden") throw new Response("Cette candidature n'existe pas.", { status: 404 });
  return { user, application };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, application } = await load(request, params.id ?? "");
  const [history, relay] = await Promise.all([applicationHistory(application.id), application.relay ? getRelayForStaff(user, application.relay.id) : null]);
  const { messages, applicant, ...answers } = application;
  return { application: answers, applicant, messages, history, relay };
}

type ActionFailure = { intent: string; errors: FieldErrors; values: Record<string, string> };

export async function action({ request, params }: ActionFunctionArgs) {
  const id = params.id ?? "";
  const { user, application } = await load(request, id);
  const path = `/admin/relais/${id}`;
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const failure = (errors: FieldErrors, values: Record<string, string> = {}) => data<ActionFailure>({ intent, errors, values }, { status: 400 });

  if (intent === "approve") {
    const result = await decideApplication({ actor: user, id, decision: "approve", message: null });
    if (!result.ok) return failure({ form: result.message });
    return redirectWithFlash(path, { kind: "success", message: "Candidature acceptée : le relais est créé, en attente de certification. La structure est prévenue par e-mail." });
  }
  if (intent === "reject" || intent === "requestChanges") {
    const parsed = parseForm(ReasonSchema, formData);
    if (!parsed.ok) return failure(parsed.errors, parsed.values);
    const result = await decideApplication({ actor: user, id, decision: intent, message: parsed.data.reason });
    if (!result.ok) return failure({ form: result.message }, { reason: parsed.data.reason });
    return redirectWithFlash(path, { kind: "success", message: intent === "reject" ? "Candidature refusée ; la structure est prévenue par e-mail." : "Modifications demandées ; la structure est prévenue par e-mail." });
  }
  if (intent === "message") {
    const parsed = parseForm(MessageSchema, formData);
    if (!parsed.ok) return failure(parsed.errors, parsed.values);
    const result = await postMessage({ actor: user, id, body: parsed.data.body });
    if (!result.ok) return failure({ body: result.message }, { body: parsed.data.body });
    return redirectWithFlash(`${path}#echanges`, { kind: "success", message: "Message envoyé." });
  }
  const relayId = application.relay?.id;
  if ((intent === "suspend" || intent === "reinstate") && relayId) {
    const parsed = parseForm(ReasonSchema, formData);
    if (!parsed.ok) return failure(parsed.errors, parsed.values);
    const result = await setRelaySuspension({ actor: user, relayId, suspend: intent === "suspend", reason: parsed.data.reason });
    if (!result.ok) return failure({ form: result.message }, { reason: parsed.data.reason });
    return redirectWithFlash(path, { kind: "success", message: intent === "suspend" ? "Relais suspendu." : "Suspension levée." });
  }
  if (intent === "requiredStaff" && relayId) {
    const parsed = parseForm(RequiredStaffSchema, formData);
    if (!parsed.ok) return failure(parsed.errors, parsed.values);
    const result = await setRequiredCertifiedStaff({ actor: user, relayId, required: parsed.data.required });
    if (!result.ok) return failure({ form: result.message });
    return redirectWithFlash(path, { kind: "success", message: "Nombre de membres certifiés requis enregistré." });
  }
  return failure({ form: "Cette demande n'est pas valide." });
}

function ReasonForm({ intent, label, button, failed }: { intent: string; label: string; button: string; failed: ActionFailure | null }) {
  const mine = failed?.intent === intent ? failed : null;
  return (
    <Form method="post" className="stack" noValidate>
      <input type="hidden" name="intent" value={intent} />
      <TextAreaField name="reason" label={label} value={mine?.values.reason} error={mine?.errors.reason} maxLength={MESSAGE_MAX} rows={3} />
      <FormError message={mine?.errors.form} />
      <p>
        <button type="submit">{button}</button>
      </p>
    </Form>
  );
}

export default function AdminRelayApplication() {
  const { application, applicant, messages, history, relay } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>() ?? null;
  const submitted = application.status === "SUBMITTED";
  return (
    <>
      <p>
        <Link to="/admin/relais">Toutes les candidatures</Link>
      </p>
      <h1>
        Candidature : {application.structureName ?? "sans nom"}
        <span className="subtitle">
          {APPLICATION_STATUS_LABELS[application.status]} — déposée par {applicant.name} ({applicant.email})
        </span>
      </h1>
      {failed?.intent === "approve" ? <FormError message={failed.errors.form} /> : null}

      {submitted ? (
        <section aria-labelledby="decision">
          <h2 id="decision">Décision</h2>
          <Form method="post">
            <input type="hidden" name="intent" value="approve" />
            <button type="submit">Accepter la candidature</button>
          </Form>
          <h3>Demander des modifications</h3>
          <ReasonForm intent="requestChanges" label="Message à la structure" button="Demander des modifications" failed={failed} />
          <h3>Refuser</h3>
          <ReasonForm intent="reject" label="Motif du refus" button="Refuser la candidature" failed={failed} />
        </section>
      ) : null}

      {relay ? (
        <section aria-labelledby="relais">
          <h2 id="relais">Le relais</h2>
          <p>
            État : <strong>{RELAY_STATUS_LABELS[relay.status]}</strong>
            {relay.statusReason ? ` — motif : ${relay.statusReason}` : null}. Membres certifiés ({relay.requiredModule.title}) :{" "}
            {relay.certifiedCount} sur {relay.staffCount} ; requis : {relay.requiredCertifiedStaff}.
          </p>
          <p>Convention : {relay.conventionAcceptedAt ? `acceptée le ${formatDateTime(new Date(relay.conventionAcceptedAt))} par ${relay.conventionAcceptedName}` : "pas encore acceptée"}.</p>
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="requiredStaff" />
            <Field
              name="required"
              label="Nombre de membres certifiés requis pour être actif"
              defaultValue={failed?.intent === "requiredStaff" ? failed.values.required : String(relay.requiredCertifiedStaff)}
              error={failed?.intent === "requiredStaff" ? failed.errors.required ?? failed.errors.form : undefined}
            />
            <p>
              <button type="submit">Enregistrer</button>
            </p>
          </Form>
          {relay.status === "SUSPENDED" ? (
            <ReasonForm intent="reinstate" label="Motif de la levée de suspension" button="Lever la suspension" failed={failed} />
          ) : (
            <ReasonForm intent="suspend" label="Motif de la suspension" button="Suspendre le relais" failed={failed} />
          )}
        </section>
      ) : null}

      <section aria-labelledby="reponses">
        <h2 id="reponses">Réponses de la structure</h2>
        <ApplicationSummary a={application} />
      </section>

      <ApplicationThread
        messages={messages}
        canPost
        error={failed?.intent === "message" ? failed.errors.body : undefined}
        value={failed?.intent === "message" ? failed.values.body : undefined}
      />

      <section aria-labelledby="historique">
        <h2 id="historique">Historique</h2>
        <ol>
          {[...history, ...(relay?.history ?? [])]
            .sort((a, b) => new Date(a.createdAt).getTime() - new Date(b.createdAt).getTime())
            .map((h, i) => (
              <li key={i}>
                {formatDateTime(new Date(h.createdAt))} — {relayAuditLabel(h.action)}
                {h.actor ? ` (${h.actor.name})` : ""}
                {h.reason ? ` — ${h.reason}` : ""}
              </li>
            ))}
        </ol>
      </section>
    </>
  );
}
