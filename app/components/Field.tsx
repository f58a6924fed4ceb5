import type { HTMLInputTypeAttribute, ReactNode } from "react";

export type FieldProps = {
  label: string;
  name: string;
  type?: HTMLInputTypeAttribute;
  defaultValue?: string;
  /** French message shown under the field; marks the input invalid. */
  error?: string | null;
  hint?: string;
  autoComplete?: string;
  required?: boolean;
  maxLength?: number;
  /** Defaults to `field-<name>`; pass one when the same name appears twice on a page. */
  id?: string;
};

/**
 * One labelled input with its hint and error. The error and hint are tied to the input
 * through aria-describedby so screen readers announce them with the field.
 */
export function Field({
  label,
  name,
  type = "text",
  defaultValue,
  error,
  hint,
  autoComplete,
  required,
  maxLength,
  id,
}: FieldProps) {
  const inputId = id ?? `field-${name}`;
  const hintId = hint ? `${inputId}-hint` : undefined;
  const errorId = error ? `${inputId}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={inputId}>{label}</label>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      <input
        id={inputId}
        name={name}
        type={type}
        defaultValue={defaultValue}
        autoComplete={autoComplete}
        required={required}
        maxLength={maxLength}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
      />
      {error ? (
        <p className="error" id={errorId}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A message about the whole form (not one field), announced when it appears. */
export function FormError({ message }: { message?: string | null }) {
  if (!message) return null;
  return (
    <p className="form-error" role="alert">
      {message}
    </p>
  );
}

/** A labelled multi-line text, with hint and error tied to it like `Field`. */
export function TextAreaField({
  label,
  name,
  value,
  error,
  hint,
  rows = 4,
  maxLength,
}: {
  label: string;
  name: string;
  value?: string;
  error?: string;
  hint?: string;
  rows?: number;
  maxLength?: number;
}) {
  const id = `field-${name}`;
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <textarea id={id} name={name} rows={rows} defaultValue={value ?? ""} maxLength={maxLength} aria-invalid={error ? true : undefined} aria-describedby={describedBy} />
      {error ? (
        <p className="error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

type SelectFieldProps = {
  label: string;
  name: string;
  value?: string;
  error?: string;
  hint?: string;
  children: ReactNode;
};

/** A labelled drop-down list; pass the `<option>`s as children. */
export function SelectField({ label, name, value, error, hint, children }: SelectFieldProps) {
  const id = `field-${name}`;
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <select id={id} name={name} defaultValue={value ?? ""} aria-invalid={error ? true : undefined} aria-describedby={describedBy}>
        {children}
      </select>
      {error ? (
        <p className="error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
