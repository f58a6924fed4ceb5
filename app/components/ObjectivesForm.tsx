import { Form, Link } from "@remix-run/react";
import type { SessionOutcome } from "~/modules/certificates/session-close.server";
import { objectivesField } from "~/modules/certificates/session-close.rules";
import { FormError } from "./Field";

const CHOICES = [
  ["yes", "Objectifs atteints"],
  ["no", "Objectifs non atteints"],
  ["unknown", "Non évalué"],
] as const;

/**
 * The trainer's assessment: for each confirmed trainee, whether the objectives were reached
 * (printed on the attestation de fin de formation), then the way to close the session.
 */
export function ObjectivesForm({ outcome, failed }: { outcome: SessionOutcome; failed: { errors: Record<string, string>; values: Record<string, string> } | null }) {
  const locked = outcome.objectivesRefusal;
  return (
    <section aria-labelledby="evaluation">
      <h2 id="evaluation">Évaluation des acquis et clôture</h2>
      {outcome.trainees.length === 0 ? (
        <p>Aucune inscription confirmée : rien à évaluer.</p>
      ) : locked ? (
        <p>{locked}</p>
      ) : (
        <Form method="post" className="stack" noValidate>
          <FormError message={failed?.errors.form} />
          {outcome.trainees.map((t) => {
            const field = objectivesField(t.enrolmentId);
            const error = failed?.errors[field];
            const chosen = failed?.values[field] ?? t.objectives;
            return (
              <fieldset key={t.enrolmentId} className="field" aria-describedby={error ? `${field}-error` : undefined}>
                <legend>{t.name}</legend>
                {CHOICES.map(([value, label]) => (
                  <div key={value}>
                    <input type="radio" id={`${field}-${value}`} name={field} value={value} defaultChecked={chosen === value} />
                    <label htmlFor={`${field}-${value}`}>{label}</label>
                  </div>
                ))}
                {error ? (
                  <p className="error" id={`${field}-error`}>
                    {error}
                  </p>
                ) : null}
              </fieldset>
            );
          })}
          <p>
            <button type="submit">Enregistrer l'évaluation</button>
          </p>
        </Form>
      )}
      <p>
        <Link to={`/formateur/sessions/${outcome.sessionId}/cloture`}>
          {outcome.status === "CLOSED" ? "Voir la clôture et les certificats délivrés" : "Clôturer la session et délivrer les certificats"}
        </Link>
      </p>
    </section>
  );
}
