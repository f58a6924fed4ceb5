import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormError, SelectField, TextAreaField } from "~/components/Field";
import { ApplicationSummary, ApplicationThread } from "~/components/RelayApplication";
import { can } from "~/modules/auth/permissions.rules";
import { forbidden } from "~/modules/auth/require.server";
import { requireUser } from "~/modules/auth/session.server";
import { APPLICATION_STATUS_LABELS, isEditableByApplicant } from "~/modules/relays/application.rules";
import {
  APPLICATION_STEPS,
  CommitmentsStepSchema,
  MessageSchema,
  MOTIVATION_MAX,
  parseStep,
  STEP_SCHEMAS,
  STRUCTURE_TYPE_LABELS,
  STRUCTURE_TYPES,
  TEXT_LIMITS,
  type StepNumber,
} from "~/modules/relays/application.schema";
import { getApplication, postMessage, saveStep, submitApplication, withdrawApplication, type StepData } from "~/modules/relays/application.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formValues, parseForm, type FieldErrors } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Candidature Relais Numérique — Maillon" }];

async function load(request: Request, id: string) {
  const user = await requireUser(request);
  const application = await getApplication(user, id);
  if (!application) throw new Response("Cette candidature n'existe pas.", { status: 404 });
  if (application === "forbidden") throw forbidden();
  return { user, application };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, application } = await load(request, params.id ?? "");
  const requested = new URL(request.url).searchParams.get("etape");
  const editable = isEditableByApplicant(application.status) && can(user, "relayApplication.edit", { applicantId: application.applicantId });
  const { messages, relay, applicant, ...answers } = application;
  return {
    application: answers,
    messages,
    approved: !!relay,
    editable,
    step: parseStep(requested ?? application.step),
    canPost: application.applicantId === user.id ? application.status !== "DRAFT" : can(user, "relayApplication.review"),
    canWithdraw: application.applicantId === user.id && ["DRAFT", "SUBMITTED", "CHANGES_REQUESTED"].includes(application.status),
    applicantName: applicant.name,
  };
}

type ActionFailure = { intent: string; errors: FieldErrors; values: Record<string, string> };

export async function action({ request, params }: ActionFunctionArgs) {
  const id = params.id ?? "";
  const { user } = await load(request, id);
  const path = `/relais/candidature/${id}`;
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const failure = (errors: FieldErrors, values: Record<string, string>, status = 400) => data<ActionFailure>({ intent, errors, values }, { status });

  if (intent === "save") {
    const step = parseStep(formData.get("step"));
    const parsed = parseForm(STEP_SCHEMAS[step], formData);
    if (!parsed.ok) return failure(parsed.errors, parsed.values);
    const result = await saveStep({ actor: user, id, step, data: parsed.data as StepData[typeof step] });
    if (!result.ok) return failure({ [result.field]: result.message }, formValues(formData), result.status);
    const recognised = result.recognisedStructure ? ` Nous connaissons déjà votre structure (« ${result.recognisedStructure} ») : la candidature lui est rattachée.` : "";
    return redirectWithFlash(`${path}?etape=${result.nextStep}`, { kind: "success", message: `Étape ${step} enregistrée.${recognised}` });
  }
  if (intent === "submit") {
    const parsed = parseForm(CommitmentsStepSchema, formData);
    if (!parsed.ok) return failure(parsed.errors, parsed.values);
    const result = await submitApplication({ actor: user, id, commitments: parsed.data });
    if (!result.ok) return failure({ [result.field]: result.message }, formValues(formData), result.status);
    return redirectWithFlash(path, { kind: "success", message: "Votre candidature est envoyée. Vous recevez une confirmation par e-mail." });
  }
  if (intent === "withdraw") {
    const result = await withdrawApplication({ actor: user, id });
    if (!result.ok) return failure({ form: result.message }, {}, result.status);
    return redirectWithFlash(path, { kind: "info", message: "Votre candidature est retirée." });
  }
  if (intent === "message") {
    const parsed = parseForm(MessageSchema, formData);
    if (!parsed.ok) return failure(parsed.errors, parsed.values);
    const result = await postMessage({ actor: user, id, body: parsed.data.body });
    if (!result.ok) return failure({ [result.field]: result.message }, { body: parsed.data.body }, result.status);
    return redirectWithFlash(`${path}#echanges`, { kind: "success", message: "Message envoyé." });
  }
  return failure({ form: "Cette demande n'est pas valide." }, {});
}

type Values = Record<string, string>;

function StepFields({ step, values, errors }: { step: StepNumber; values: Values; errors: FieldErrors }) {
  const field = (name: string, label: string, extra: { hint?: string; type?: string; maxLength?: number; autoComplete?: string } = {}) => (
    <Field name={name} label={label} defaultValue={values[name]} error={errors[name]} {...extra} />
  );
  if (step === 1)
    return (
      <>
        {field("structureName", "Nom de la structure", { maxLength: TEXT_LIMITS.name, autoComplete: "organization" })}
        {field("siret", "SIRET", { hint: "14 chiffres, sur vos documents officiels ou sur annuaire-entreprises.data.gouv.fr." })}
        {field("rna", "Numéro RNA (association sans SIRET)", { hint: "W suivi de 9 chiffres. Laissez vide si vous avez indiqué un SIRET." })}
        <SelectField label="Type de structure" name="structureType" value={values.structureType} error={errors.structureType}>
          <option value="">Choisissez…</option>
          {STRUCTURE_TYPES.map((t) => (
            <option key={t} value={t}>
              {STRUCTURE_TYPE_LABELS[t]}
            </option>
          ))}
        </SelectField>
        {field("address", "Adresse", { maxLength: TEXT_LIMITS.line, autoComplete: "street-address" })}
        {field("postcode", "Code postal", { maxLength: 5, autoComplete: "postal-code" })}
        {field("city", "Commune", { maxLength: TEXT_LIMITS.city, autoComplete: "address-level2" })}
      </>
    );
  if (step === 2)
    return (
      <>
        {field("applicantFunction", "Votre fonction dans la structure", { maxLength: TEXT_LIMITS.function, autoComplete: "organization-title" })}
        {field("applicantPhone", "Votre téléphone (facultatif)", { type: "tel", autoComplete: "tel" })}
        <fieldset>
          <legend>La ou le référent·e du relais</legend>
          <p className="hint">La personne qui répondra du relais auprès de l'association ; ce peut être vous.</p>
          <div className="stack-inner">
            {field("referentName", "Nom et prénom", { maxLength: TEXT_LIMITS.name })}
            {field("referentEmail", "Adresse e-mail", { type: "email" })}
            {field("referentPhone", "Téléphone (facultatif)", { type: "tel" })}
          </div>
        </fieldset>
      </>
    );
  if (step === 3)
    return (
      <>
        <TextAreaField name="publicsServed" label="Publics accompagnés" hint="Par exemple : personnes au RSA, jeunes sans ressources, personnes âgées isolées." value={values.publicsServed} error={errors.publicsServed} maxLength={TEXT_LIMITS.long} />
        {field("peoplePerMonth", "Nombre de personnes reçues par mois (estimation)", { hint: "Un nombre entier." })}
        {field("staffToTrain", "Nombre de personnes de l'équipe à former")}
        <TextAreaField name="staffToTrainNames" label="Collègues à former (facultatif)" hint="Une personne par ligne : nom et adresse e-mail." value={values.staffToTrainNames} error={errors.staffToTrainNames} maxLength={TEXT_LIMITS.long} />
        <TextAreaField name="motivation" label="Motivation (facultatif)" hint={`Pourquoi devenir relais ? ${MOTIVATION_MAX.toLocaleString("fr-FR")} caractères au plus.`} value={values.motivation} error={errors.motivation} rows={6} maxLength={MOTIVATION_MAX} />
      </>
    );
  return (
    <fieldset>
      <legend>Engagements de la structure</legend>
      {(
        [
          ["charterAccepted", "La structure accepte la charte des Relais Numériques (accueil gratuit, confidentialité, pas de données sur la situation administrative des personnes)."],
          ["dpoInformed", "La ou le délégué·e à la protection des données (DPO) de la structure est informé·e de cette candidature."],
        ] as const
      ).map(([name, label]) => (
        <div className="field" key={name}>
          <div className="checkbox field">
            <input
              id={`field-${name}`}
              name={name}
              type="checkbox"
              defaultChecked={values[name] === "on"}
              aria-invalid={errors[name] ? true : undefined}
              aria-describedby={errors[name] ? `field-${name}-error` : undefined}
            />
            <label htmlFor={`field-${name}`}>{label}</label>
          </div>
          {errors[name] ? (
            <p className="error" id={`field-${name}-error`}>
              {errors[name]}
            </p>
          ) : null}
        </div>
      ))}
    </fieldset>
  );
}

const storedValues = (a: Record<string, unknown>): Values =>
  Object.fromEntries(
    Object.entries(a).map(([k, v]) => [k, typeof v === "boolean" ? (v ? "on" : "") : v === null || v === undefined ? "" : String(v)]),
  );

export default function ApplicationPage() {
  const { application, messages, editable, step: requestedStep, canPost, canWithdraw, approved } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const stepFailed = failed && (failed.intent === "save" || failed.intent === "submit") ? failed : null;
  // After a refused step, show that step again with its errors, whatever the address says.
  const step = stepFailed ? parseStep(stepFailed.values.step) : requestedStep;
  const values = stepFailed ? { ...storedValues(application), ...stepFailed.values } : storedValues(application);
  const errors = stepFailed?.errors ?? {};
  const title = application.structureName ?? "Nouvelle candidature";

  return (
    <>
      <p>
        <Link to="/relais/candidature">Mes candidatures</Link>
      </p>
      <h1>
        Candidature Relais Numérique
        <span className="subtitle">{title}</span>
      </h1>
      <p>
        État : <strong>{APPLICATION_STATUS_LABELS[application.status]}</strong>
        {application.status === "REJECTED" && application.decisionReason ? ` — motif : ${application.decisionReason}` : null}
      </p>
      {approved ? (
        <p>
          Votre structure est un Relais Numérique : <Link to="/espace-relais">ouvrir l'espace relais</Link>.
        </p>
      ) : null}
      {failed?.intent === "withdraw" ? <FormError message={failed.errors.form} /> : null}

      {editable ? (
        <section aria-labelledby="formulaire">
          <h2 id="formulaire">
            Étape {step} sur {APPLICATION_STEPS.length} : {APPLICATION_STEPS[step - 1]!.title}
          </h2>
          <nav aria-label="Étapes de la candidature">
            <ol className="steps">
              {APPLICATION_STEPS.map((s) => (
                <li key={s.number}>
                  {s.number === step ? (
                    <span aria-current="step">
                      {s.number}. {s.title}
                    </span>
                  ) : (
                    <Link to={`?etape=${s.number}`}>
                      {s.number}. {s.title}
                    </Link>
                  )}
                </li>
              ))}
            </ol>
          </nav>
          <Form method="post" className="stack" noValidate key={step}>
            {Object.keys(errors).length > 0 ? <FormError message={errors.form ?? "La candidature n'est pas enregistrée : corrigez les champs signalés."} /> : null}
            <input type="hidden" name="step" value={step} />
            <StepFields step={step} values={values} errors={errors} />
            <p>
              {step < 4 ? (
                <button type="submit" name="intent" value="save">
                  Enregistrer et continuer
                </button>
              ) : (
                <button type="submit" name="intent" value="submit">
                  Envoyer la candidature
                </button>
              )}
            </p>
          </Form>
        </section>
      ) : null}

      <section aria-labelledby="reponses">
        <h2 id="reponses">Vos réponses</h2>
        <ApplicationSummary a={application} />
      </section>

      <ApplicationThread
        messages={messages}
        canPost={canPost}
        error={failed?.intent === "message" ? failed.errors.body ?? failed.errors.form : undefined}
        value={failed?.intent === "message" ? failed.values.body : undefined}
      />

      {canWithdraw ? (
        <section aria-labelledby="retirer">
          <h2 id="retirer">Retirer la candidature</h2>
          <Form method="post">
            <input type="hidden" name="intent" value="withdraw" />
            <button type="submit">
              Retirer ma candidature
            </button>
          </Form>
        </section>
      ) : null}
    </>
  );
}
