import { Form } from "@remix-run/react";
import { Field, FormError, TextAreaField } from "~/components/Field";

/**
 * The staff's module form, for creating and editing: every field a French training offer
 * must publish. Works without JavaScript; list fields take one item per line.
 */
export function ModuleForm({ values, errors, submitLabel }: { values: Record<string, string>; errors: Record<string, string>; submitLabel: string }) {
  return (
    <Form method="post" className="stack module-form" noValidate>
      <FormError message={errors.form} />
      <Field label="Numéro" name="number" defaultValue={values.number} error={errors.number} hint="Un numéro entier propre à ce module, par exemple 4." />
      <Field label="Titre" name="title" defaultValue={values.title} error={errors.title} />
      <Field
        label="Adresse de la page (facultatif)"
        name="slug"
        defaultValue={values.slug}
        error={errors.slug}
        hint="La fin de l'adresse /formations/… : lettres minuscules sans accent, chiffres et tirets. Laissée vide, elle est composée à partir du titre."
      />
      <TextAreaField label="Résumé" name="summary" value={values.summary} error={errors.summary} rows={3} hint="Affiché dans la liste des formations." />
      <TextAreaField
        label="Objectifs"
        name="objectives"
        value={values.objectives}
        error={errors.objectives}
        rows={6}
        hint="Un objectif par ligne, formulé comme une compétence observable qui commence par un verbe d'action : « Repérer… », « Expliquer… », « Réaliser… »."
      />
      <TextAreaField label="Programme" name="programme" value={values.programme} error={errors.programme} rows={8} hint="Une étape par ligne." />
      <Field label="Durée (en heures)" name="duration" defaultValue={values.duration} error={errors.duration} hint="Par exemple 14 ou 3,5." />
      <TextAreaField label="Prérequis" name="prerequisites" value={values.prerequisites} error={errors.prerequisites} rows={2} hint="Écrivez « Aucun prérequis » s'il n'y en a pas." />
      <TextAreaField label="Public visé" name="audience" value={values.audience} error={errors.audience} rows={2} />
      <TextAreaField label="Méthodes pédagogiques" name="methods" value={values.methods} error={errors.methods} rows={3} />
      <TextAreaField label="Évaluation des acquis" name="assessment" value={values.assessment} error={errors.assessment} rows={3} />
      <Field
        label="Délai d'accès"
        name="accessLeadTime"
        defaultValue={values.accessLeadTime}
        error={errors.accessLeadTime}
        hint="Par exemple « Inscription jusqu'à 7 jours avant la session »."
      />
      <Field label="Prix par personne (en euros)" name="price" defaultValue={values.price} error={errors.price} hint="Par exemple 350, 1 200 ou 350,50 ; 0 pour un module gratuit. Au plus 10 000 €." />
      <TextAreaField
        label="Accessibilité aux personnes en situation de handicap"
        name="accessibility"
        value={values.accessibility}
        error={errors.accessibility}
        rows={3}
      />
      <Field label="Contact" name="contact" defaultValue={values.contact} error={errors.contact} hint="Service, adresse e-mail, téléphone." />
      <Field
        label="Validité du certificat (en mois, facultatif)"
        name="certificateValidityMonths"
        defaultValue={values.certificateValidityMonths}
        error={errors.certificateValidityMonths}
        hint="Laissez vide si le certificat n'expire jamais."
      />
      <Field
        label="Code NSF de la spécialité (facultatif)"
        name="nsfCode"
        defaultValue={values.nsfCode}
        error={errors.nsfCode}
        hint="Nomenclature des spécialités de formation, pour le bilan pédagogique et financier : par exemple 332 (travail social) ou 326 (informatique)."
        maxLength={4}
      />
      <div className="field checkbox">
        <input id="field-published" name="published" type="checkbox" defaultChecked={values.published === "on"} />
        <label htmlFor="field-published">Publié dans le catalogue</label>
      </div>
      <p>
        <button type="submit">{submitLabel}</button>
      </p>
    </Form>
  );
}
