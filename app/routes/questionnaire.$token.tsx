import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormError } from "~/components/Field";
import { COMMENT_MAX, SurveyAnswerSchema } from "~/modules/evaluations/survey.schema";
import { answerSurvey, getSurvey } from "~/modules/evaluations/surveys.server";
import { formatDate } from "~/utils/dates";
import { parseForm, type FormFailure } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Questionnaire d'évaluation — Maillon" }, { name: "robots", content: "noindex" }];

const ALREADY_ANSWERED = "Vous avez déjà répondu à ce questionnaire : une seule réponse est possible par personne. Merci pour votre participation !";

/** GET /questionnaire/:token, the personal link of a survey mail: no login, one answer. */
export async function loader({ params }: LoaderFunctionArgs) {
  const survey = await getSurvey(params.token ?? "");
  if (!survey) return data({ found: false as const }, { status: 404 });
  return {
    found: true as const,
    kind: survey.kind,
    moduleTitle: survey.moduleTitle,
    dates: survey.dates,
    respondedOn: survey.respondedAt ? formatDate(survey.respondedAt) : null,
  };
}

type ActionFailure = FormFailure & { formError?: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const formData = await request.formData();
  const parsed = parseForm(SurveyAnswerSchema, formData);
  if (!parsed.ok) return data<ActionFailure>(parsed, { status: 400 });
  const result = await answerSurvey(token, parsed.data);
  if (result === "unknown") throw new Response("Lien inconnu", { status: 404 });
  if (result === "already-answered") return data<ActionFailure>({ ok: false, errors: {}, values: {}, formError: ALREADY_ANSWERED }, { status: 409 });
  return redirect(`/questionnaire/${token}`, 303);
}

const SCORES = [
  ["1", "1 — pas du tout satisfait·e"],
  ["2", "2 — peu satisfait·e"],
  ["3", "3 — moyennement satisfait·e"],
  ["4", "4 — satisfait·e"],
  ["5", "5 — très satisfait·e"],
] as const;

function Errors({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p className="error" id={id}>
      {error}
    </p>
  ) : null;
}

function TextQuestion({ name, label, hint, value, error }: { name: string; label: string; hint: string; value?: string; error?: string }) {
  const id = `field-${name}`;
  const describedBy = [`${id}-hint`, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <p className="hint" id={`${id}-hint`}>
        {hint}
      </p>
      <textarea id={id} name={name} rows={5} maxLength={COMMENT_MAX} defaultValue={value ?? ""} aria-invalid={error ? true : undefined} aria-describedby={describedBy} />
      <Errors id={`${id}-error`} error={error} />
    </div>
  );
}

export default function SurveyPage() {
  const survey = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  if (!survey.found) {
    return (
      <>
        <h1>Questionnaire introuvable</h1>
        <p>
          Ce lien ne correspond à aucun questionnaire. Vérifiez que l'adresse est complète : elle est longue, et il arrive qu'un logiciel de
          messagerie la coupe. Copiez-la de nouveau depuis le courriel reçu.
        </p>
        <p>
          Besoin d'aide ? <Link to="/contact">Contactez-nous</Link>.
        </p>
      </>
    );
  }
  const cold = survey.kind === "COLD";
  const title = cold ? "Questionnaire de suivi, trois mois après la formation" : "Questionnaire de fin de formation";
  if (survey.respondedOn) {
    return (
      <>
        <h1>{title}</h1>
        <p className="flash flash-success" role="status">
          Merci ! Votre réponse du {survey.respondedOn} est bien enregistrée. Une seule réponse est possible par questionnaire.
        </p>
        <p>
          Formation « {survey.moduleTitle} » ({survey.dates}).
        </p>
        <p>
          <Link to="/formations">Voir nos formations</Link>
        </p>
      </>
    );
  }
  const errors = failed?.errors ?? {};
  const values = failed?.values ?? {};
  const satisfactionDescribedBy = errors.satisfaction ? "satisfaction-error" : undefined;
  const recommendDescribedBy = errors.recommend ? "recommend-error" : undefined;
  return (
    <>
      <h1>{title}</h1>
      <p className="lead">
        Formation « {survey.moduleTitle} » ({survey.dates}).
      </p>
      <p>Vos réponses nous aident à améliorer nos formations. Les taux de satisfaction sont publiés sans aucun nom. Une seule réponse est possible.</p>
      <FormError message={failed?.formError ?? (Object.keys(errors).length ? "Le questionnaire n'a pas été envoyé : corrigez les réponses signalées." : null)} />
      <Form method="post" className="stack module-form" noValidate>
        <fieldset aria-describedby={satisfactionDescribedBy}>
          <legend>{`${cold ? "Avec le recul" : "Dans l'ensemble"}, êtes-vous satisfait·e de cette formation ? (obligatoire)`}</legend>
          {SCORES.map(([value, label]) => (
            <div className="field checkbox" key={value}>
              <input type="radio" id={`field-satisfaction-${value}`} name="satisfaction" value={value} defaultChecked={values.satisfaction === value} />
              <label htmlFor={`field-satisfaction-${value}`}>{label}</label>
            </div>
          ))}
          <Errors id="satisfaction-error" error={errors.satisfaction} />
        </fieldset>
        <fieldset aria-describedby={recommendDescribedBy}>
          <legend>Recommanderiez-vous cette formation à un·e collègue ? (obligatoire)</legend>
          {(
            [
              ["oui", "Oui"],
              ["non", "Non"],
            ] as const
          ).map(([value, label]) => (
            <div className="field checkbox" key={value}>
              <input type="radio" id={`field-recommend-${value}`} name="recommend" value={value} defaultChecked={values.recommend === value} />
              <label htmlFor={`field-recommend-${value}`}>{label}</label>
            </div>
          ))}
          <Errors id="recommend-error" error={errors.recommend} />
        </fieldset>
        {cold ? (
          <TextQuestion
            name="practice"
            label="Qu'utilisez-vous de cette formation dans votre pratique ?"
            hint={`Facultatif. Des exemples concrets nous aident beaucoup (${COMMENT_MAX} caractères au plus).`}
            value={values.practice}
            error={errors.practice}
          />
        ) : null}
        <TextQuestion
          name="comment"
          label="Un commentaire, une suggestion ?"
          hint={`Facultatif. N'y indiquez pas d'informations sur les personnes que vous accompagnez (${COMMENT_MAX} caractères au plus).`}
          value={values.comment}
          error={errors.comment}
        />
        <p>
          <button type="submit">Envoyer mes réponses</button>
        </p>
      </Form>
    </>
  );
}
