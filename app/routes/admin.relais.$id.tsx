import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormError, TextAreaField } from "~/components/Field";
import { ApplicationSummary, ApplicationThread } from "~/components/RelayApplication";
import { requirePermission } from "~/modules/auth/require.server";
import { formatDateTime } from "~/modules/enrolment/enrolment.rules";
import { RELAY_STATUS_LABELS } from "~/modules/relays/relay.labels";
import { APPLICATION_STATUS_LABELS, relayAuditLabel } from "~/modules/relays/application.rules";
import { MESSAGE_MAX, MessageSchema, ReasonSchema, RequiredStaffSchema } from "~/modules/relays/application.schema";
import { applicationHistory, decideApplication, getApplication, knownStructureForReview, postMessage } from "~/modules/relays/application.server";
import { getRelayForStaff, setRelaySuspension, setRequiredCertifiedStaff } from "~/modules/relays/relay.server";
import { relayStatusNote } from "~/modules/relays/activation.rules";
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
  const [history, relay, known] = await Promise.all([
    applicationHistory(application.id),
    application.relay ? getRelayForStaff(user, application.relay.id) : null,
    knownStructureForReview(user, application.id),
  ]);
  const { messages, applicant, ...answers } = application;
  return { application: answers, applicant, messages, history, relay, known };
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
    const confirmed = formData.get("confirmOutsider") === "on";
    const reason = String(formData.get("outsiderReason") ?? "");
    const result = await decideApplication({ actor: user, id, decision: "approve", message: null, outsiderConfirmation: { confirmed, reason } });
    if (!result.ok) return failure({ [result.field]: result.message }, { outsiderReason: reason, confirmOutsider: confirmed ? "on" : "" });
    const status = result.relayStatus === "ACTIVE" ? "actif (assez de membres déjà certifiés)" : "en attente de certification";
    return redirectWithFlash(path, { kind: "success", message: `Candidature acceptée : le relais est créé, ${status}. La structure est prévenue par e-mail.` });
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
    return redirectWithFlash(path, { kind: "success", message: `Nombre de membres certifiés requis enregistré.${relayStatusNote(result.relayChanges)}` });
  }
  return failure({ form: "Cette demande n'est pas valide." });
}

type Known = NonNullable<Awaited<ReturnType<typeof knownStructureForReview>>>;

const outsiderNames = (o: Known["outsiders"], applicantName: string) =>
  [...(o.applicant ? [applicantName] : []), ...(o.referentEmail ? [o.referentEmail] : [])].join(" et ");

/** A structure the portal already knows, with people in it: staff see who answers for it before deciding. */
function KnownStructure({ known, applicantName }: { known: Known; applicantName: string }) {
  const referents = known.members.filter((m) => m.role === "REFERENT");
  return (
    <section aria-labelledby="structure-connue" className="notice">
      <h2 id="structure-connue">Structure déjà connue : {known.name}</h2>
      <p>
        Le portail connaît déjà cette structure ({known.siret ? `SIRET ${known.siret}` : `RNA ${known.rna}`}) : elle a {known.members.length} membre
        {known.members.length > 1 ? "s" : ""}, dont {referents.length} référent·e{referents.length > 1 ? "s" : ""}
        {referents.length > 0 ? ` (${referents.map((r) => r.name).join(", ")})` : ""}.
      </p>
      <p>
        <strong>
          {known.applicantIsMember
            ? `${applicantName}, qui dépose la candidature, est membre de la structure.`
            : `${applicantName}, qui dépose la candidature, n'est pas membre de la structure.`}
        </strong>
        {known.outsiders.referentEmail ? ` La ou le référent·e nommé·e (${known.outsiders.referentEmail}) n'en est pas membre non plus.` : ""}
        {known.needsConfirmation ? " L'accepter en ferait un·e référent·e : il faut le confirmer explicitement ci-dessous." : ""}
      </p>
      <table>
        <caption>Membres de {known.name}</caption>
        <thead>
          <tr>
            <th scope="col">Nom</th>
            <th scope="col">Adresse</th>
            <th scope="col">Rôle</th>
          </tr>
        </thead>
        <tbody>
          {known.members.map((m) => (
            <tr key={m.userId}>
              <td>{m.name}</td>
              <td>{m.email}</td>
              <td>{m.role === "REFERENT" ? "Référent·e" : "Membre"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
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
  const { application, applicant, messages, history, relay, known } = useLoaderData<typeof loader>();
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

      {known && application.status !== "APPROVED" ? <KnownStructure known={known} applicantName={applicant.name} /> : null}

      {submitted ? (
        <section aria-labelledby="decision">
          <h2 id="decision">Décision</h2>
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="approve" />
            {known?.needsConfirmation ? (
              <>
                <div className="field">
                  <input
                    type="checkbox"
                    id="field-confirmOutsider"
                    name="confirmOutsider"
                    defaultChecked={failed?.intent === "approve" && failed.values.confirmOutsider === "on"}
                    aria-invalid={failed?.intent === "approve" && failed.errors.confirmOutsider ? true : undefined}
                    aria-describedby={failed?.intent === "approve" && failed.errors.confirmOutsider ? "field-confirmOutsider-error" : undefined}
                  />{" "}
                  <label htmlFor="field-confirmOutsider">
                    J'ai vérifié que {outsiderNames(known.outsiders, applicant.name)} représente bien {known.name} et je décide d'en faire un·e référent·e (les référent·es actuel·les sont prévenu·es par e-mail)
                  </label>
                  {failed?.intent === "approve" && failed.errors.confirmOutsider ? (
                    <p className="error" id="field-confirmOutsider-error">
                      {failed.errors.confirmOutsider}
                    </p>
                  ) : null}
                </div>
                <TextAreaField
                  name="outsiderReason"
                  label="Comment avez-vous vérifié ? (conservé dans l'historique et transmis aux référent·es actuel·les)"
                  value={failed?.intent === "approve" ? failed.values.outsiderReason : undefined}
                  error={failed?.intent === "approve" ? failed.errors.outsiderReason : undefined}
                  maxLength={MESSAGE_MAX}
                  rows={3}
                />
              </>
            ) : null}
            <p>
              <button type="submit">Accepter la candidature</button>
            </p>
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
