import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormError } from "~/components/Field";
import { requirePermission } from "~/modules/auth/require.server";
import { MinValiditySchema, ProductSchema } from "~/modules/recharges/admin.schema";
import { setProductMinValidity } from "~/modules/recharges/admin.server";
import { formatEuros } from "~/modules/recharges/display";
import { createProduct, listProductStock } from "~/modules/recharges/stock.server";
import { EXPIRING_SOON_DAYS } from "~/modules/recharges/stock.rules";
import { redirectWithFlash } from "~/utils/flash.server";
import { failure, parseForm, type FormFailure } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Recharges : produits et stock — Maillon" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.access");
  return { products: await listProductStock() };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "admin.access");
  const formData = await request.formData();
  if (formData.get("intent") === "minValidity") {
    const parsedMin = parseForm(MinValiditySchema, formData);
    if (!parsedMin.ok) return data<FormFailure>(parsedMin, { status: 400 });
    const saved = await setProductMinValidity(parsedMin.data.productId, parsedMin.data.minValidityDays, user.id);
    if (!saved) return data<FormFailure>(failure({ form: "Ce produit n'existe pas (il a peut-être été supprimé) : rechargez la page." }, formData), { status: 400 });
    return redirectWithFlash("/admin/recharges", { kind: "success", message: "La validité minimale est enregistrée." });
  }
  const parsed = parseForm(ProductSchema, formData);
  if (!parsed.ok) return data<FormFailure>(parsed, { status: 400 });
  const { faceValue, solidarityPrice, ...rest } = parsed.data;
  const result = await createProduct({ ...rest, faceValueCents: faceValue, solidarityPriceCents: solidarityPrice }, user.id);
  if (!result.ok) return data<FormFailure>(failure(result.errors, formData), { status: 400 });
  return redirectWithFlash("/admin/recharges", { kind: "success", message: "Le produit est créé." });
}

export default function AdminRecharges() {
  const { products } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  // The per-product validity forms and the new-product form answer on the same page.
  const minValidityFailed = failed?.values.intent === "minValidity";
  const errors = failed?.errors ?? {};
  const values = failed?.values ?? {};
  return (
    <>
      <h1>Recharges : produits et stock</h1>
      <ul>
        <li>
          <Link to="/admin/recharges/import">Importer des codes (fichier CSV de l'opérateur)</Link>
        </li>
        <li>
          <Link to="/admin/recharges/quotas">Quotas des relais</Link>
        </li>
        <li>
          <Link to="/admin/recharges/rapport">Rapport mensuel</Link>
        </li>
      </ul>
      <h2>Stock par produit</h2>
      <FormError message={minValidityFailed ? errors.form : undefined} />
      {products.length === 0 ? (
        <p>Aucun produit pour l'instant.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Produit</th>
              <th scope="col">Valeur faciale</th>
              <th scope="col">Prix solidaire</th>
              <th scope="col">Codes délivrables</th>
              <th scope="col">dont expirent sous {EXPIRING_SOON_DAYS} jours</th>
              <th scope="col">À écouler (trop proches de l'expiration pour être délivrés)</th>
              <th scope="col">Expirés</th>
              <th scope="col">Délivrés</th>
              <th scope="col">Validité minimale restante</th>
            </tr>
          </thead>
          <tbody>
            {products.map((p) => (
              <tr key={p.id}>
                <th scope="row">
                  {p.name}
                  <br />
                  <span className="muted">
                    {p.description} — {p.validityDays} jours
                  </span>
                </th>
                <td>{formatEuros(p.faceValueCents)}</td>
                <td>{formatEuros(p.solidarityPriceCents)}</td>
                <td>
                  {p.issuable}
                  {p.low ? <strong> — stock bas (seuil {p.lowStockThreshold})</strong> : null}
                </td>
                <td>{p.expiringSoon}</td>
                <td>{p.toClear}</td>
                <td>{p.expired}</td>
                <td>{p.issued}</td>
                <td>
                  <Form method="post" noValidate>
                    <input type="hidden" name="intent" value="minValidity" />
                    <input type="hidden" name="productId" value={p.id} />
                    <Field
                      id={`field-minValidityDays-${p.id}`}
                      label={`Jours de validité qu'un code « ${p.name} » doit encore avoir pour être délivré`}
                      name="minValidityDays"
                      type="number"
                      defaultValue={values.productId === p.id ? values.minValidityDays : String(p.minValidityDays)}
                      error={values.productId === p.id ? errors.minValidityDays : undefined}
                      required
                    />
                    <button type="submit">Enregistrer</button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Nouveau produit</h2>
      <Form method="post" noValidate>
        <FormError message={minValidityFailed ? undefined : errors.form} />
        <Field label="Nom" name="name" defaultValue={values.name} error={errors.name} required maxLength={60} />
        <Field label="Ce que donne la recharge" name="description" defaultValue={values.description} error={errors.description} required maxLength={200} hint="Ex. appels et SMS illimités 30 jours + 5 Go" />
        <Field label="Valeur faciale (€)" name="faceValue" defaultValue={values.faceValue} error={errors.faceValue} required />
        <Field label="Prix solidaire (€)" name="solidarityPrice" defaultValue={values.solidarityPrice} error={errors.solidarityPrice} required />
        <Field label="Validité (jours)" name="validityDays" type="number" defaultValue={values.validityDays ?? "30"} error={errors.validityDays} required />
        <Field
          label="Validité minimale restante (jours)"
          name="minValidityDays"
          type="number"
          defaultValue={minValidityFailed ? "7" : (values.minValidityDays ?? "7")}
          error={minValidityFailed ? undefined : errors.minValidityDays}
          hint="Un code qui expire plus tôt n'est pas délivré : il reste en stock, « à écouler »."
          required
        />
        <Field label="Seuil d'alerte de stock" name="lowStockThreshold" type="number" defaultValue={values.lowStockThreshold ?? "20"} error={errors.lowStockThreshold} hint="Un courriel prévient l'équipe quand le stock délivrable descend à ce nombre." required />
        <button type="submit">Créer le produit</button>
      </Form>
    </>
  );
}
