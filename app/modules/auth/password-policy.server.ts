import { dictionary } from "@zxcvbn-ts/language-common";
import { buildCommonPasswordSet, passwordProblem } from "./password-policy.rules";

let common: Set<string> | undefined;

/** French message explaining why the password is refused, or null when it is acceptable. */
export function checkPassword(password: string, email?: string): string | null {
  common ??= buildCommonPasswordSet(dictionary["passwords-common"] as string[]);
  return passwordProblem(password, { email, common });
}
