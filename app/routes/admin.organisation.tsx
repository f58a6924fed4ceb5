import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormError, TextAreaField } from "~/components/Field";
import { requirePermission } from "~/modules/auth/require.server";
import { LOGO_MAX_BYTES, LOGO_MAX_LABEL, checkLogo } from "~/modules/organisation/identity.rules";
import { IdentitySchema } from "~/modules/organisation/identity.schema";
import { readCurrentIdentity, saveIdentity } from "~/modules/organisation/identity.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { failure, formValues, parseForm } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Identité de l'organisation — Maillon" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.access");
  const identity = await readCurrentIdentity();
  return { identity };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "admin.access");
  let formData: FormData;
  try {
    formData = await request.formData();
  } catch {
    return data({ errors: { form: "Le formulaire envoyé est illisible : envoyez-le à nouveau depuis cette page." } as Record<string, string>, values: {} as Record<string, string> }, { status: 400 });
  }
  const parsed = parseForm(IdentitySchema, formData);
  const file = formData.get("logo");
  const logo = file instanceof File && file.size > 0 ? new Uint8Array(await file.arrayBuffer()) : undefined;
  const logoCheck = logo ? checkLogo(logo) : null;
  if (!parsed.ok || (logoCheck && !logoCheck.ok)) {
    const errors = { ...(parsed.ok ? {} : parsed.errors), ...(logoCheck && !logoCheck.ok ? { logo: logoCheck.error } : {}) };
    if (logo && !errors.logo) errors.logo = "Le logo n'a pas été enregistré avec le reste : choisissez-le à nouveau.";
    return data(failure(errors, formData), { status: 400 });
  }
  const saved = await saveIdentity({ values: parsed.data, logo, removeLogo: formData.get("removeLogo") === "on", actorId: user.id });
  if (!saved.ok) return data({ ok: false, errors: saved.errors, values: formValues(formData) }, { status: 400 });
  return redirectWithFlash("/admin/organisation", { kind: "success", message: "Identité enregistrée : elle figure sur les documents émis à partir de maintenant." });
}

export default function OrganisationIdentityPage() {
  const { identity } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const errors: Record<string, string> = failed?.errors ?? {};
  const v = (name: keyof typeof identity & string) => failed?.values?.[name] ?? String(identity[name] ?? "");
  return (
    <>
      <p>
        <Link to="/admin">← Administration</Link>
      </p>
      <h1>Identité de l'organisation</h1>
      {identity.id === null ? (
        <p className="form-error" role="status">
          L'identité n'a pas encore été renseignée : les documents portent les valeurs de démonstration ci-dessous. Remplacez-les par
          celles de l'association.
        </p>
      ) : null}
      <p>
        Ces informations figurent sur les certificats, devis, conventions, feuilles d'émargement, bons de recharge, mails et pages
        légales. Un changement vaut pour les documents émis ensuite : un certificat déjà délivré garde l'identité sous laquelle il l'a
        été.
      </p>
      <FormError message={errors.form} />
      <Form method="post" encType="multipart/form-data" noValidate>
        <fieldset>
          <legend>L'organisme</legend>
          <Field label="Nom" name="name" defaultValue={v("name")} error={errors.name} maxLength={120} />
          <Field label="Forme juridique" name="legalForm" defaultValue={v("legalForm")} error={errors.legalForm} hint="Exemple : Association régie par la loi du 1er juillet 1901" />
          <Field label="Adresse" name="street" defaultValue={v("street")} error={errors.street} autoComplete="street-address" />
          <Field label="Code postal" name="postalCode" defaultValue={v("postalCode")} error={errors.postalCode} autoComplete="postal-code" />
          <Field label="Commune" name="city" defaultValue={v("city")} error={errors.city} autoComplete="address-level2" />
          <Field label="SIRET" name="siret" defaultValue={v("siret")} error={errors.siret} hint="14 chiffres, sur l'avis de situation INSEE" />
          <Field label="Numéro de déclaration d'activité (NDA)" name="nda" defaultValue={v("nda")} error={errors.nda} hint="11 chiffres, sur le récépissé de la préfecture" />
          <Field label="Région de la déclaration" name="ndaRegion" defaultValue={v("ndaRegion")} error={errors.ndaRegion} />
        </fieldset>
        <fieldset>
          <legend>Contact</legend>
          <Field label="E-mail de contact" name="email" type="email" defaultValue={v("email")} error={errors.email} autoComplete="email" />
          <Field label="Téléphone" name="phone" type="tel" defaultValue={v("phone")} error={errors.phone} autoComplete="tel" />
        </fieldset>
        <fieldset>
          <legend>Signature des documents</legend>
          <Field label="Nom de la personne qui signe" name="signatoryName" defaultValue={v("signatoryName")} error={errors.signatoryName} />
          <Field label="Sa fonction" name="signatoryTitle" defaultValue={v("signatoryTitle")} error={errors.signatoryTitle} />
          <TextAreaField
            label="Mentions imprimées au pied des documents"
            name="documentMentions"
            value={v("documentMentions")}
            error={errors.documentMentions}
            hint="Par exemple l'exonération de TVA ; 600 caractères au plus."
            maxLength={600}
          />
        </fieldset>
        <fieldset>
          <legend>Logo</legend>
          {identity.id && identity.hasLogo ? (
            <p>
              Logo actuel : <img src={`/organisation/logo/${identity.id}`} alt={`Logo de ${identity.name}`} height={48} />
            </p>
          ) : null}
          <div className="field">
            <label htmlFor="field-logo">Nouveau logo (facultatif)</label>
            <p className="hint" id="field-logo-hint">
              PNG, JPEG ou SVG, {LOGO_MAX_LABEL} au plus. Les documents PDF impriment un logo PNG ou JPEG ; un logo SVG apparaît sur les pages du site.
            </p>
            <input
              id="field-logo"
              name="logo"
              type="file"
              accept="image/png,image/jpeg,image/svg+xml"
              data-max-bytes={LOGO_MAX_BYTES}
              aria-invalid={errors.logo ? true : undefined}
              aria-describedby={errors.logo ? "field-logo-hint field-logo-error" : "field-logo-hint"}
            />
            {errors.logo ? (
              <p className="error" id="field-logo-error">
                {errors.logo}
              </p>
            ) : null}
          </div>
          {identity.hasLogo ? (
            <div className="field">
              <label>
                <input type="checkbox" name="removeLogo" /> Retirer le logo
              </label>
            </div>
          ) : null}
        </fieldset>
        <button type="submit">Enregistrer l'identité</button>
      </Form>
    </>
  );
}
