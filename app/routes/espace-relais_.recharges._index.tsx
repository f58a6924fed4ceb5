import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormError } from "~/components/Field";
import { AGE_BAND_LABELS, AGE_BANDS, formatEuros, maskCode } from "~/modules/recharges/display";
import { IssueSchema } from "~/modules/recharges/issuing.schema";
import { lastValidDay } from "~/modules/recharges/stock.rules";
import { issueRecharge, newIdempotencyKey } from "~/modules/recharges/issuing.server";
import { relaySpace, requireActingRelay } from "~/modules/recharges/relay-space.server";
import { formatDate, formatMonthKey, formatTime } from "~/utils/dates";
import { formValues, parseForm, type FieldErrors } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Recharges du relais — Maillon" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { userId, relay } = await requireActingRelay(request);
  const space = await relaySpace(relay, userId);
  // A fresh key per form shown: a double submission of this form issues once.
  return data({ ...space, idempotencyKey: newIdempotencyKey() }, { status: space.refusal ? 403 : 200 });
}

type Failure = { errors: FieldErrors; values: Record<string, string> };

export async function action({ request }: ActionFunctionArgs) {
  // Lean on purpose (issue 6 measures issues per second): one query for the session, one for
  // the relay; issueRecharge checks membership, status and certificate itself.
  const { userId, relay } = await requireActingRelay(request);
  const formData = await request.formData();
  const parsed = parseForm(IssueSchema, formData);
  if (!parsed.ok) return data<Failure>({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const { productId, reference, ageBand, commune, idempotencyKey } = parsed.data;
  const result = await issueRecharge({
    relayId: relay.relayId,
    staffId: userId,
    productId,
    beneficiary: { reference, ageBand: ageBand ?? null, commune: commune ?? null },
    idempotencyKey,
  });
  if (!result.ok) {
    const field = result.reason === "UNKNOWN_PRODUCT" ? "productId" : "form";
    const status = ["NOT_MEMBER", "NOT_CERTIFIED", "RELAY_PENDING", "RELAY_SUSPENDED", "NO_RELAY"].includes(result.reason) ? 403 : 400;
    return data<Failure>({ errors: { [field]: result.message }, values: formValues(formData) }, { status });
  }
  return redirect(`/espace-relais/recharges/${result.issueId}`);
}

export default function RelayRecharges() {
  const { relay, period, refusal, month, journal, idempotencyKey } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const errors = failed?.errors ?? {};
  const values = failed?.values ?? {};
  const describe = (name: string) => (errors[name] ? `field-${name}-error` : undefined);

  return (
    <>
      <h1>Recharges — {relay.structureName}</h1>
      <section aria-labelledby="month-title">
        <h2 id="month-title">Ce mois-ci ({formatMonthKey(period)})</h2>
        <table>
          <caption className="visually-hidden">Recharges délivrées et restantes par produit</caption>
          <thead>
            <tr>
              <th scope="col">Recharge</th>
              <th scope="col">Délivrées</th>
              <th scope="col">Restantes</th>
            </tr>
          </thead>
          <tbody>
            {month.map((p) => (
              <tr key={p.productId}>
                <th scope="row">{p.name}</th>
                <td>{p.issued}</td>
                <td>{p.remaining}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="issue-title">
        <h2 id="issue-title">Délivrer une recharge</h2>
        {refusal ? (
          <p className="form-error" role="alert">
            {refusal}
          </p>
        ) : (
          <Form method="post" noValidate>
            <FormError message={errors.form} />
            <input type="hidden" name="idempotencyKey" value={values.idempotencyKey ?? idempotencyKey} />
            <fieldset aria-describedby={describe("productId")}>
              <legend>Recharge</legend>
              {month.map((p) => (
                // The whole line is the label, so a tap anywhere on it chooses (phones: decision 018).
                <label key={p.productId} className="choice" htmlFor={`product-${p.productId}`}>
                  <input
                    type="radio"
                    id={`product-${p.productId}`}
                    name="productId"
                    value={p.productId}
                    defaultChecked={values.productId === p.productId}
                    disabled={p.remaining < 1 || !p.nextCodeExpiresAt}
                    aria-describedby={`code-expiry-${p.productId}`}
                  />
                  <span>
                    <strong>{p.name} — {formatEuros(p.faceValueCents)}</strong> : {p.description}{" "}
                    <span className="choice-count">({p.remaining < 1 ? "quota épuisé" : `${p.remaining} restante(s)`})</span>
                    <span className="hint choice-expiry" id={`code-expiry-${p.productId}`}>
                      {p.nextCodeExpiresAt
                        ? `Code valable au moins jusqu'au ${formatDate(lastValidDay(new Date(p.nextCodeExpiresAt)))} inclus.`
                        : `Plus aucun code en stock valable encore ${p.minValidityDays} jours au moins : cette recharge ne peut pas être délivrée pour l'instant.`}
                    </span>
                  </span>
                </label>
              ))}
              {errors.productId ? (
                <p className="error" id="field-productId-error">
                  {errors.productId}
                </p>
              ) : null}
            </fieldset>
            <Field
              label="Référence interne de la personne"
              name="reference"
              defaultValue={values.reference}
              error={errors.reference}
              hint="La référence de votre dossier (ex. D-2026-041) ; pas de nom ni de numéro administratif."
              maxLength={40}
              required
            />
            <div className="field">
              <label htmlFor="field-ageBand">Tranche d'âge (facultatif)</label>
              <select id="field-ageBand" name="ageBand" defaultValue={values.ageBand ?? ""} aria-invalid={errors.ageBand ? true : undefined} aria-describedby={describe("ageBand")}>
                <option value="">Non renseignée</option>
                {AGE_BANDS.map((b) => (
                  <option key={b} value={b}>
                    {AGE_BAND_LABELS[b]}
                  </option>
                ))}
              </select>
              {errors.ageBand ? (
                <p className="error" id="field-ageBand-error">
                  {errors.ageBand}
                </p>
              ) : null}
            </div>
            <Field label="Commune (facultatif)" name="commune" defaultValue={values.commune} error={errors.commune} maxLength={80} />
            <button type="submit">Confirmer et délivrer</button>
          </Form>
        )}
      </section>

      <section aria-labelledby="journal-title">
        <h2 id="journal-title">Journal du mois</h2>
        {journal.length === 0 ? (
          <p>Aucune recharge délivrée ce mois-ci.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Recharge</th>
                <th scope="col">Code</th>
                <th scope="col">Par</th>
              </tr>
            </thead>
            <tbody>
              {journal.map((row) => (
                <tr key={row.id}>
                  <td>
                    <Link to={`/espace-relais/recharges/${row.id}`}>
                      {formatDate(new Date(row.issuedAt))} à {formatTime(new Date(row.issuedAt))}
                    </Link>
                  </td>
                  <td>
                    {row.productName}
                    {row.mistake ? " (erreur déclarée)" : ""}
                  </td>
                  <td>{maskCode(row.last4)}</td>
                  <td>{row.staffName}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
