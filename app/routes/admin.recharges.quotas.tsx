import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormError } from "~/components/Field";
import { requirePermission } from "~/modules/auth/require.server";
import { AllocateSchema, CeilingSchema, MoveSchema, RestoreSchema } from "~/modules/recharges/admin.schema";
import { declaredMistakes, listRelaysForQuota, monthReport, setBeneficiaryCeiling } from "~/modules/recharges/admin.server";
import { formatEuros } from "~/modules/recharges/display";
import { allocateQuota, carryOverQuota, currentPeriod, moveQuota, restoreQuotaUnit } from "~/modules/recharges/quota.server";
import { formatDate, formatTime } from "~/utils/dates";
import { listProductStock } from "~/modules/recharges/stock.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { failure, parseForm, type FormFailure } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Quotas de recharges des relais — Maillon" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.access");
  const period = currentPeriod();
  const [relays, products, report, mistakes] = await Promise.all([listRelaysForQuota(), listProductStock(), monthReport(period), declaredMistakes(period)]);
  return { period, relays, products: products.map((p) => ({ id: p.id, name: p.name })), report, mistakes };
}

type Failure = FormFailure & { intent: string };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "admin.access");
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const fail = (f: FormFailure) => data<Failure>({ ...f, intent }, { status: 400 });
  const done = (message: string) => redirectWithFlash("/admin/recharges/quotas", { kind: "success", message });
  if (intent === "allocate") {
    const parsed = parseForm(AllocateSchema, formData);
    if (!parsed.ok) return fail(parsed);
    const result = await allocateQuota({ ...parsed.data, actorId: user.id });
    return result.ok ? done(`${parsed.data.units} recharge(s) attribuée(s).`) : fail(failure({ relayId: result.message }, formData));
  }
  if (intent === "move") {
    const parsed = parseForm(MoveSchema, formData);
    if (!parsed.ok) return fail(parsed);
    const result = await moveQuota({ ...parsed.data, actorId: user.id });
    return result.ok ? done("Le quota est transféré.") : fail(failure({ form: result.message }, formData));
  }
  if (intent === "carry") {
    const parsed = parseForm(AllocateSchema.pick({ relayId: true, productId: true, period: true }), formData);
    if (!parsed.ok) return fail(parsed);
    const result = await carryOverQuota({ relayId: parsed.data.relayId, productId: parsed.data.productId, fromPeriod: parsed.data.period, actorId: user.id });
    return result.ok ? done(`${result.units} recharge(s) reportée(s) sur le mois suivant.`) : fail(failure({ form: result.message }, formData));
  }
  if (intent === "ceiling") {
    const parsed = parseForm(CeilingSchema, formData);
    if (!parsed.ok) return fail(parsed);
    await setBeneficiaryCeiling(parsed.data.relayId, parsed.data.ceiling, user.id);
    return done("Le plafond mensuel par personne est enregistré.");
  }
  if (intent === "restore") {
    const parsed = parseForm(RestoreSchema, formData);
    if (!parsed.ok) return fail(parsed);
    const result = await restoreQuotaUnit({ ...parsed.data, actorId: user.id });
    return result.ok ? done("L'unité de quota est rendue au relais.") : fail(failure({ form: result.message }, formData));
  }
  return fail(failure({ form: "Cette demande n'est pas valide." }, formData));
}

type Option = { id: string; name: string };
function Select({ name, label, options, value, error, prefix }: { name: string; label: string; options: Option[]; value?: string; error?: string; prefix: string }) {
  const id = `${prefix}-${name}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={value ?? ""} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined}>
        <option value="">—</option>
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
      {error ? (
        <p className="error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

export default function Quotas() {
  const { period, relays, products, report, mistakes } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const errorsFor = (intent: string) => (failed?.intent === intent ? failed.errors : {});
  const valuesFor = (intent: string) => (failed?.intent === intent ? failed.values : {});
  const active = relays.filter((r) => r.status === "ACTIVE");
  const a = errorsFor("allocate");
  const m = errorsFor("move");
  const c = errorsFor("ceiling");
  return (
    <>
      <p>
        <Link to="/admin/recharges">← Produits et stock</Link>
      </p>
      <h1>Quotas de recharges des relais</h1>
      <h2>Ce mois-ci ({period})</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Relais</th>
            <th scope="col">Recharge</th>
            <th scope="col">Attribuées</th>
            <th scope="col">Délivrées</th>
            <th scope="col">Restantes</th>
          </tr>
        </thead>
        <tbody>
          {report.map((r) => (
            <tr key={`${r.relayId}-${r.productId}`}>
              <th scope="row">{r.relayName}</th>
              <td>{r.productName}</td>
              <td>{r.allocated}</td>
              <td>{r.issued}</td>
              <td>{r.remaining}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Attribuer un quota</h2>
      <p>Le quota non utilisé d'un mois ne passe au suivant que si vous le reportez.</p>
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="allocate" />
        <Select prefix="allocate" name="relayId" label="Relais actif" options={active} value={valuesFor("allocate").relayId} error={a.relayId} />
        <Select prefix="allocate" name="productId" label="Recharge" options={products} value={valuesFor("allocate").productId} error={a.productId} />
        <Field id="allocate-period" label="Mois (AAAA-MM)" name="period" defaultValue={valuesFor("allocate").period ?? period} error={a.period} />
        <Field id="allocate-units" label="Nombre de recharges" name="units" type="number" defaultValue={valuesFor("allocate").units} error={a.units} />
        <button type="submit">Attribuer</button>
      </Form>

      <h2>Transférer du quota entre relais</h2>
      <Form method="post" noValidate>
        <FormError message={m.form} />
        <input type="hidden" name="intent" value="move" />
        <Select prefix="move" name="fromRelayId" label="Relais d'origine" options={relays} value={valuesFor("move").fromRelayId} error={m.fromRelayId} />
        <Select prefix="move" name="toRelayId" label="Relais qui reçoit" options={active} value={valuesFor("move").toRelayId} error={m.toRelayId} />
        <Select prefix="move" name="productId" label="Recharge" options={products} value={valuesFor("move").productId} error={m.productId} />
        <Field id="move-period" label="Mois (AAAA-MM)" name="period" defaultValue={valuesFor("move").period ?? period} error={m.period} />
        <Field id="move-units" label="Nombre de recharges" name="units" type="number" defaultValue={valuesFor("move").units} error={m.units} />
        <Field id="move-reason" label="Raison" name="reason" defaultValue={valuesFor("move").reason} error={m.reason} maxLength={300} />
        <button type="submit">Transférer</button>
      </Form>

      <h2>Reporter le reste d'un mois sur le suivant</h2>
      <Form method="post" noValidate>
        <FormError message={errorsFor("carry").form} />
        <input type="hidden" name="intent" value="carry" />
        <Select prefix="carry" name="relayId" label="Relais" options={active} value={valuesFor("carry").relayId} error={errorsFor("carry").relayId} />
        <Select prefix="carry" name="productId" label="Recharge" options={products} value={valuesFor("carry").productId} error={errorsFor("carry").productId} />
        <Field id="carry-period" label="Mois à reporter (AAAA-MM)" name="period" defaultValue={valuesFor("carry").period ?? period} error={errorsFor("carry").period} />
        <button type="submit">Reporter</button>
      </Form>

      <h2>Erreurs déclarées par les relais</h2>
      {mistakes.length === 0 ? (
        <p>Aucune erreur déclarée ce mois-ci.</p>
      ) : (
        <>
          <FormError message={errorsFor("restore").form ?? errorsFor("restore").reason} />
          <ul>
            {mistakes.map((m) => (
              <li key={m.id}>
                {m.relayName} — {m.productName}, le {formatDate(new Date(m.issuedAt))} à {formatTime(new Date(m.issuedAt))} : « {m.reason} »{" "}
                {m.restored ? (
                  "(unité rendue)"
                ) : (
                  <Form method="post" noValidate>
                    <input type="hidden" name="intent" value="restore" />
                    <input type="hidden" name="issueId" value={m.id} />
                    <label htmlFor={`restore-${m.id}`}>Raison du retour de l'unité</label> <input id={`restore-${m.id}`} name="reason" maxLength={300} />{" "}
                    <button type="submit">Rendre l'unité de quota</button>
                  </Form>
                )}
              </li>
            ))}
          </ul>
        </>
      )}

      <h2>Plafond mensuel par personne</h2>
      <ul>
        {relays.map((r) => (
          <li key={r.id}>
            {r.name} : {formatEuros(r.ceilingCents)}
          </li>
        ))}
      </ul>
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="ceiling" />
        <Select prefix="ceiling" name="relayId" label="Relais" options={relays} value={valuesFor("ceiling").relayId} error={c.relayId} />
        <Field id="ceiling-ceiling" label="Plafond (€ par personne et par mois)" name="ceiling" defaultValue={valuesFor("ceiling").ceiling} error={c.ceiling} />
        <button type="submit">Enregistrer le plafond</button>
      </Form>
    </>
  );
}
