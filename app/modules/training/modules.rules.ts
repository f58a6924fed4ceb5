/**
 * Pure rules of the staff's module form: the address name (slug), durations typed in hours,
 * objectives that must be observable skills, and which fields an edit changed.
 */

// ───────────────────────── Slug ─────────────────────────

export const SLUG_MAX = 80;
const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The slug as it must be typed: lowercase a-z, digits, single dashes between words. */
export const isValidSlug = (slug: string) => slug.length <= SLUG_MAX && SLUG_PATTERN.test(slug);

// Letters that NFD does not split into a base letter and an accent.
const LIGATURES: Record<string, string> = { œ: "oe", æ: "ae", ß: "ss", ø: "o", ł: "l", đ: "d", ı: "i" };

/**
 * "Sensibilisation à l'inclusion numérique" → "sensibilisation-a-l-inclusion-numerique".
 * Cut at a word boundary to SLUG_MAX; "" when the title has no latin letter or digit.
 */
export function slugFromTitle(title: string): string {
  const ascii = title
    .toLowerCase()
    .replace(/[œæßøłđı]/g, (c) => LIGATURES[c] ?? c)
    .normalize("NFD")
    .replace(/\p{M}/gu, "");
  const slug = ascii.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  if (slug.length <= SLUG_MAX) return slug;
  const cut = slug.slice(0, SLUG_MAX + 1);
  const lastDash = cut.lastIndexOf("-");
  return (lastDash > 0 ? cut.slice(0, lastDash) : slug.slice(0, SLUG_MAX)).replace(/-+$/, "");
}

// ───────────────────────── Duration ─────────────────────────

export const DURATION_MIN_MINUTES = 30;
export const DURATION_MAX_MINUTES = 200 * 60;

/**
 * Hours as typed ("14", "3,5", "3.25", "7 h") → minutes; null when it is not a number of
 * hours with at most two decimals or does not make whole minutes ("1,33" is 79.8 minutes).
 */
export function parseHoursToMinutes(input: string): number | null {
  const cleaned = input.replace(/[\s\u00a0\u202f]/g, "").replace(/h$/i, "");
  const match = /^(\d{1,4})(?:[.,](\d{1,2}))?$/.exec(cleaned);
  if (!match) return null;
  const hundredths = Number(match[1]) * 100 + Number((match[2] ?? "0").padEnd(2, "0"));
  // minutes = hundredths × 60 / 100: whole only when hundredths is a multiple of 5.
  if (hundredths % 5 !== 0) return null;
  return (hundredths * 3) / 5;
}

/** 420 → "7"; 210 → "3,5"; 195 → "3,25" (the value put back in the duration field). */
export function minutesToHoursInput(minutes: number): string {
  const hundredths = Math.round((minutes * 5) / 3);
  const hours = Math.trunc(hundredths / 100);
  const rest = hundredths % 100;
  if (rest === 0) return String(hours);
  return `${hours},${String(rest).padStart(2, "0").replace(/0$/, "")}`;
}

export function durationError(minutes: number | null): string | null {
  if (minutes === null) return "Indiquez la durée en heures, par exemple 14 ou 3,5.";
  if (minutes < DURATION_MIN_MINUTES) return "La durée doit être d'au moins une demi-heure.";
  if (minutes > DURATION_MAX_MINUTES) return `La durée ne peut pas dépasser ${DURATION_MAX_MINUTES / 60} heures.`;
  return null;
}

// ───────────────────────── Objectives ─────────────────────────

/**
 * Verbs that name a state of mind rather than something a trainer can see the trainee do:
 * a training offer must state its objectives as observable skills (Qualiopi, indicator 1).
 */
const NOT_OBSERVABLE = /^(comprendre|conna[iî]tre|appr[ée]hender|d[ée]couvrir|se familiariser|prendre conscience|[êe]tre sensibilis\p{L}*|s['’]approprier)(?!\p{L})/iu;

/** The non-observable verb an objective starts with ("Comprendre les enjeux…" → "Comprendre"), or null. */
export function nonObservableStart(objective: string): string | null {
  return NOT_OBSERVABLE.exec(objective.trim())?.[1] ?? null;
}

/** One item per line: trimmed, blank lines dropped. */
export const listLines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);

// ───────────────────────── Changes ─────────────────────────

/** The keys of `after` whose value differs from `before` (the audit row's list). */
export function changedFields<T extends Record<string, unknown>>(before: T, after: T): (keyof T & string)[] {
  return (Object.keys(after) as (keyof T & string)[]).filter((key) => before[key] !== after[key]);
}
