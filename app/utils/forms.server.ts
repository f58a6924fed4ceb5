import { z } from "zod";

/**
 * Server-side form parsing. On failure: one French message per field and the submitted
 * values (minus passwords) to put back in the form, so nothing typed is lost.
 */
export type FieldErrors = Record<string, string>;
export type FormFailure = { ok: false; errors: FieldErrors; values: Record<string, string> };

const SECRET_FIELDS = /password|motdepasse|token/i;

export function formValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData) {
    if (typeof value === "string" && !SECRET_FIELDS.test(key)) values[key] = value.slice(0, 10_000);
  }
  return values;
}

export function parseForm<S extends z.ZodType>(schema: S, formData: FormData): { ok: true; data: z.infer<S> } | FormFailure {
  const raw: Record<string, unknown> = {};
  for (const key of new Set(formData.keys())) {
    const all = formData.getAll(key);
    raw[key] = all.length > 1 ? all : all[0];
  }
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message;
  }
  return { ok: false, errors, values: formValues(formData) };
}

export const failure = (errors: FieldErrors, formData: FormData): FormFailure => ({ ok: false, errors, values: formValues(formData) });
