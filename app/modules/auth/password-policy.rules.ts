/**
 * What a password must be (OWASP ASVS v4 2.1): at least 12 characters, at most 128, no
 * composition rules, not a known common password. Pure: the common list is passed in.
 */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;

const FRENCH_COMMON = [
  "motdepasse", "azerty", "azertyuiop", "bonjour", "soleil", "doudou", "chouchou", "loulou", "marseille",
  "nicolas", "jetaime", "coucou", "maillon", "emmaus", "inclusion", "numerique", "formation", "football",
  "princesse", "camille", "julien", "celine", "parisien", "paris", "france", "bienvenue", "changeme",
];

export function buildCommonPasswordSet(list: readonly string[]): Set<string> {
  return new Set([...list, ...FRENCH_COMMON].map((p) => p.toLowerCase()));
}

/** The password with accents folded and the trailing digits and symbols people append removed. */
function core(password: string) {
  return password
    .toLowerCase()
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[\d\W_]+$/u, "");
}

export function passwordProblem(password: string, context: { email?: string; common: Set<string> }): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return `Le mot de passe doit contenir au moins ${PASSWORD_MIN} caractères (${length} actuellement).`;
  if (length > PASSWORD_MAX) return `Le mot de passe ne doit pas dépasser ${PASSWORD_MAX} caractères.`;
  const lower = password.toLowerCase();
  if (context.common.has(lower) || context.common.has(core(password)))
    return "Ce mot de passe est trop courant. Choisissez une phrase ou une suite de mots qui vous est propre.";
  if (new Set(lower).size <= 3) return "Ce mot de passe est trop facile à deviner : il répète trop peu de caractères différents.";
  const email = context.email?.toLowerCase() ?? "";
  const localPart = email.split("@")[0] ?? "";
  if (email && (lower === email || (localPart.length >= 6 && lower.includes(localPart))))
    return "Le mot de passe ne doit pas reprendre votre adresse e-mail.";
  return null;
}
