import { PASSWORD_MIN } from "~/modules/auth/password-policy.rules";
import { Field } from "./Field";

/** The field where someone chooses a password (sign-up, reset), with the one rule that matters. */
export function NewPasswordField({ label, error }: { label: string; error?: string | null }) {
  return (
    <Field
      label={label}
      name="password"
      type="password"
      autoComplete="new-password"
      error={error}
      hint={`Au moins ${PASSWORD_MIN} caractères. Une phrase facile à retenir convient très bien.`}
      required
    />
  );
}
