/**
 * French public holidays (jours fériés, Code du travail art. L3133-1), computed for any
 * Gregorian year rather than listed per year: eight fixed dates plus three that follow
 * Easter (Easter Monday, Ascension Thursday, Whit Monday). Alsace-Moselle adds Good Friday
 * and 26 December (local law, art. L3134-13). Pure, no I/O; tested in holidays.test.ts.
 *
 * Days are calendar days written "YYYY-MM-DD"; an instant is mapped to the calendar day a
 * clock in `timeZone` (Europe/Paris by default) shows, because a signature at 23:30 UTC on
 * 13 July is already 14 July in Paris.
 */

export type PublicHoliday = { day: string; name: string };
export type HolidayOptions = { alsaceMoselle?: boolean };

const PARIS = "Europe/Paris";
/** The Gregorian computus holds from 1583 on. */
const FIRST_YEAR = 1583;
const LAST_YEAR = 9999;

const FIXED: ReadonlyArray<readonly [month: number, day: number, name: string]> = [
  [1, 1, "Jour de l'an"],
  [5, 1, "Fête du Travail"],
  [5, 8, "Victoire 1945"],
  [7, 14, "Fête nationale"],
  [8, 15, "Assomption"],
  [11, 1, "Toussaint"],
  [11, 11, "Armistice 1918"],
  [12, 25, "Noël"],
];

const EASTER_BASED: ReadonlyArray<readonly [offsetDays: number, name: string]> = [
  [1, "Lundi de Pâques"],
  [39, "Ascension"],
  [50, "Lundi de Pentecôte"],
];

const ALSACE_MOSELLE_FIXED: ReadonlyArray<readonly [month: number, day: number, name: string]> = [[12, 26, "Saint-Étienne"]];
const ALSACE_MOSELLE_EASTER_BASED: ReadonlyArray<readonly [offsetDays: number, name: string]> = [[-2, "Vendredi saint"]];

const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const dayKey = (utc: Date) => `${pad(utc.getUTCFullYear(), 4)}-${pad(utc.getUTCMonth() + 1)}-${pad(utc.getUTCDate())}`;

/** Throws a RangeError unless `year` is an integer the Gregorian computus covers. */
function assertYear(year: number): void {
  if (!Number.isInteger(year) || year < FIRST_YEAR || year > LAST_YEAR) {
    throw new RangeError(`Year out of range for French public holidays: ${year}`);
  }
}

/** Easter Sunday of `year` as a UTC midnight date (anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
function easterDate(year: number): Date {
  assertYear(year);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return new Date(Date.UTC(year, month - 1, day));
}

/** Easter Sunday of `year`, "YYYY-MM-DD". */
export const easterSunday = (year: number): string => dayKey(easterDate(year));

const cache = new Map<string, PublicHoliday[]>();

/** The public holidays of `year` in date order (with Alsace-Moselle's two extra days when asked). */
export function frenchPublicHolidays(year: number, options: HolidayOptions = {}): PublicHoliday[] {
  assertYear(year);
  const key = `${year}:${options.alsaceMoselle ? "am" : "fr"}`;
  const cached = cache.get(key);
  if (cached) return cached.map((h) => ({ ...h }));
  const easter = easterDate(year).getTime();
  const fromEaster = ([offset, name]: readonly [number, string]) => ({ day: dayKey(new Date(easter + offset * 86_400_000)), name });
  const fixed = ([month, day, name]: readonly [number, number, string]) => ({ day: `${pad(year, 4)}-${pad(month)}-${pad(day)}`, name });
  const holidays = [
    ...FIXED.map(fixed),
    ...EASTER_BASED.map(fromEaster),
    ...(options.alsaceMoselle ? [...ALSACE_MOSELLE_FIXED.map(fixed), ...ALSACE_MOSELLE_EASTER_BASED.map(fromEaster)] : []),
  ].sort((x, y) => x.day.localeCompare(y.day));
  cache.set(key, holidays);
  return holidays.map((h) => ({ ...h }));
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar day ("YYYY-MM-DD") a clock in `timeZone` shows at `instant`. */
export function calendarDay(instant: Date, timeZone: string = PARIS): string {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

const DAY_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The public holiday falling on calendar day `day` ("YYYY-MM-DD"), or null. */
export function publicHolidayOnDay(day: string, options: HolidayOptions = {}): PublicHoliday | null {
  const match = DAY_SHAPE.exec(day);
  if (!match) throw new RangeError(`Not a calendar day: ${day}`);
  return frenchPublicHolidays(Number(match[1]), options).find((h) => h.day === day) ?? null;
}

/** The public holiday on the calendar day that `timeZone` (Paris by default) shows at `instant`, or null. */
export function publicHolidayAt(instant: Date, options: HolidayOptions & { timeZone?: string } = {}): PublicHoliday | null {
  return publicHolidayOnDay(calendarDay(instant, options.timeZone ?? PARIS), options);
}

/** Whether `instant` falls on a French public holiday, decided by the Paris calendar day (or `timeZone`'s). */
export const isPublicHoliday = (instant: Date, options: HolidayOptions & { timeZone?: string } = {}): boolean =>
  publicHolidayAt(instant, options) !== null;
