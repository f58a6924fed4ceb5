/**
 * Dates are stored in UTC and shown in Paris time. Small shared formatters (pure).
 */
const TIME_ZONE = "Europe/Paris";

const longDate = new Intl.DateTimeFormat("fr-FR", { timeZone: TIME_ZONE, weekday: "long", day: "numeric", month: "long", year: "numeric" });
const shortDate = new Intl.DateTimeFormat("fr-FR", { timeZone: TIME_ZONE, day: "numeric", month: "long", year: "numeric" });
const clock = new Intl.DateTimeFormat("fr-FR", { timeZone: TIME_ZONE, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
const monthName = new Intl.DateTimeFormat("fr-FR", { timeZone: "UTC", month: "long", year: "numeric" });
const parisParts = new Intl.DateTimeFormat("en-GB", { timeZone: TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" });

/** "lundi 2 mars 2026" */
export const formatLongDate = (date: Date) => longDate.format(date);
/** "2 mars 2026" */
export const formatDate = (date: Date) => shortDate.format(date);
/** "09:00" (Paris) */
export const formatTime = (date: Date) => clock.format(date);

/** "Le 2 mars 2026" or "Du 2 mars 2026 au 3 mars 2026". */
export function formatDateRange(start: Date, end: Date): string {
  const a = formatDate(start);
  const b = formatDate(end);
  return a === b ? `Le ${a}` : `Du ${a} au ${b}`;
}

/** "lundi 2 mars 2026, 09:00 – 12:30" */
export const formatSlot = (slot: { startsAt: Date; endsAt: Date }) =>
  `${formatLongDate(slot.startsAt)}, ${formatTime(slot.startsAt)} – ${formatTime(slot.endsAt)}`;

/** The month in Paris at `date`, as "YYYY-MM". */
export function parisMonthKey(date: Date): string {
  const parts = Object.fromEntries(parisParts.formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}`;
}

/** "2026-03" → "mars 2026". */
export function formatMonthKey(key: string): string {
  const [year, month] = key.split("-").map(Number);
  return monthName.format(new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, 1)));
}

const parisOffset = new Intl.DateTimeFormat("en-US", { timeZone: TIME_ZONE, timeZoneName: "longOffset" });
const offsetMinutes = (instant: Date): number => {
  const name = parisOffset.formatToParts(instant).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
};

/** The instant a Paris calendar day ("YYYY-MM-DD") begins (00:00 Paris, whatever the season). */
export function parisDayStart(day: string): Date {
  const [y, m, d] = day.split("-").map(Number);
  const utcMidnight = Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1);
  // Paris is UTC+1 or UTC+2; the offset of the guess is the offset of the answer (no change happens at midnight).
  return new Date(utcMidnight - offsetMinutes(new Date(utcMidnight - 60 * 60_000)) * 60_000);
}

/** The calendar day `n` days after `day` ("YYYY-MM-DD"). */
export function addCalendarDays(day: string, n: number): string {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + n)).toISOString().slice(0, 10);
}

/** 0 for Sunday … 6 for Saturday, of a calendar day ("YYYY-MM-DD"). */
export const weekdayOf = (day: string): number => new Date(`${day}T12:00:00Z`).getUTCDay();
