import { Form } from "@remix-run/react";
import { Field, FormError, SelectField } from "~/components/Field";
import { FORMAT_LABELS, KIND_LABELS, SESSION_FORMATS, SESSION_KINDS, slotFieldNames } from "~/modules/training/sessions.labels";

/**
 * The staff's session form, for creating and editing. Works without JavaScript: every
 * field is always shown (structure only matters for intra sessions, remote link only for
 * remote ones; the hints say so), and slots are a fixed number of rows, empty ones ignored.
 */
export type SessionFormOptionsView = {
  modules: { id: string; number: number; title: string }[];
  structures: { id: string; name: string; city: string | null }[];
  trainers: { id: string; name: string }[];
};

function SlotRow({ index, values, error }: { index: number; values: Record<string, string>; error?: string }) {
  const f = slotFieldNames(index);
  const errorId = `field-${f.error}-error`;
  const input = (name: string, type: "date" | "time", label: string) => (
    <div className="field">
      <label htmlFor={`field-${name}`}>{label}</label>
      <input
        id={`field-${name}`}
        name={name}
        type={type}
        defaultValue={values[name] ?? ""}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
      />
    </div>
  );
  return (
    <fieldset className="slot-row">
      <legend>Créneau {index + 1}</legend>
      <div className="filter-row">
        {input(f.date, "date", "Date")}
        {input(f.start, "time", "Début")}
        {input(f.end, "time", "Fin")}
      </div>
      {error ? (
        <p className="error" id={errorId}>
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

export function SessionForm({
  options,
  values,
  errors,
  slotRows,
  submitLabel,
}: {
  options: SessionFormOptionsView;
  values: Record<string, string>;
  errors: Record<string, string>;
  slotRows: number;
  submitLabel: string;
}) {
  return (
    <Form method="post" className="stack session-form" noValidate>
      <input type="hidden" name="intent" value="save" />
      <FormError message={errors.form} />
      <SelectField label="Module" name="moduleId" value={values.moduleId} error={errors.moduleId}>
        <option value="">— Choisir un module —</option>
        {options.modules.map((m) => (
          <option key={m.id} value={m.id}>
            {m.number}. {m.title}
          </option>
        ))}
      </SelectField>
      <SelectField label="Type de session" name="kind" value={values.kind ?? "INTER"} error={errors.kind}>
        {SESSION_KINDS.map((k) => (
          <option key={k} value={k}>
            {KIND_LABELS[k]}
          </option>
        ))}
      </SelectField>
      <SelectField label="Structure (session intra)" name="structureId" value={values.structureId} error={errors.structureId} hint="Seulement pour une session intra.">
        <option value="">— Aucune —</option>
        {options.structures.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
            {s.city ? ` (${s.city})` : ""}
          </option>
        ))}
      </SelectField>
      <SelectField label="Format" name="format" value={values.format ?? "IN_PERSON"} error={errors.format}>
        {SESSION_FORMATS.map((f) => (
          <option key={f} value={f}>
            {FORMAT_LABELS[f]}
          </option>
        ))}
      </SelectField>
      <fieldset>
        <legend>Lieu (session en présentiel)</legend>
        <div className="stack-inner">
          <Field label="Nom du lieu" name="venueName" defaultValue={values.venueName} error={errors.venueName} hint="Facultatif, par exemple « Maillon Lyon — point d'accueil »." />
          <Field label="Adresse" name="address" defaultValue={values.address} error={errors.address} autoComplete="off" />
          <Field label="Code postal" name="postcode" defaultValue={values.postcode} error={errors.postcode} hint="5 chiffres." />
          <Field label="Ville" name="city" defaultValue={values.city} error={errors.city} />
        </div>
      </fieldset>
      <Field
        label="Lien de la classe virtuelle (session à distance)"
        name="remoteUrl"
        type="url"
        defaultValue={values.remoteUrl}
        error={errors.remoteUrl}
        hint="Commence par https://."
      />
      <div className="field">
        <label htmlFor="field-accessInfo">Informations d'accès</label>
        <p className="hint" id="field-accessInfo-hint">
          Transports, accessibilité, matériel à prévoir : repris dans la convocation.
        </p>
        <textarea
          id="field-accessInfo"
          name="accessInfo"
          rows={3}
          defaultValue={values.accessInfo ?? ""}
          aria-invalid={errors.accessInfo ? true : undefined}
          aria-describedby={errors.accessInfo ? "field-accessInfo-hint field-accessInfo-error" : "field-accessInfo-hint"}
        />
        {errors.accessInfo ? (
          <p className="error" id="field-accessInfo-error">
            {errors.accessInfo}
          </p>
        ) : null}
      </div>
      <Field label="Nombre de places" name="capacity" type="number" defaultValue={values.capacity ?? "12"} error={errors.capacity} hint="Entre 1 et 200." />
      <SelectField label="Formatrice ou formateur" name="trainerId" value={values.trainerId} error={errors.trainerId}>
        <option value="">— À désigner —</option>
        {options.trainers.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </SelectField>
      <Field label="Prix par place (en euros)" name="price" defaultValue={values.price} error={errors.price} hint="Par exemple 250 ou 250,50. Au plus 10 000 €." />
      <div className="field checkbox">
        <input id="field-isFree" name="isFree" type="checkbox" defaultChecked={values.isFree === "on"} />
        <label htmlFor="field-isFree">Session gratuite</label>
      </div>
      <fieldset>
        <legend>Créneaux (une demi-journée chacun)</legend>
        <p className="hint">
          Heure de Paris. Le matin se termine à 13 h au plus tard, l'après-midi commence à 12 h au plus tôt ; un créneau dure de 1 h à
          4 h 30. Laissez vides les lignes inutiles.
        </p>
        {Array.from({ length: slotRows }, (_, i) => (
          <SlotRow key={i} index={i} values={values} error={errors[slotFieldNames(i).error]} />
        ))}
      </fieldset>
      <p>
        <button type="submit">{submitLabel}</button>
      </p>
    </Form>
  );
}
