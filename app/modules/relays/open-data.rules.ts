/**
 * Relays as the national open-data standard describes them: the "schéma de données des
 * lieux de médiation numérique" (ANCT, package @gouvfr-anct/lieux-de-mediation-numerique,
 * decision 020). What relays edit is stored in the standard's own terms: services as values
 * of its list (joined by "|", the standard's list separator), opening hours in OpenStreetMap
 * `opening_hours` syntax. Pure: the routes load relays, these functions shape them.
 */

/** The standard's services, exactly as it spells them (a unit test compares with the package). */
export const MEDIATION_SERVICES = [
  "Acquisition de matériel informatique à prix solidaire",
  "Aide aux démarches administratives",
  "Maîtrise des outils numériques du quotidien",
  "Insertion professionnelle via le numérique",
  "Utilisation sécurisée du numérique",
  "Parentalité et éducation avec le numérique",
  "Loisirs et créations numériques",
  "Compréhension du monde numérique",
  "Accès internet et matériel informatique",
] as const;
export type MediationService = (typeof MEDIATION_SERVICES)[number];

/** Every relay issues mobile and data recharges: it always offers internet access. */
export const RECHARGE_SERVICE: MediationService = "Accès internet et matériel informatique";

const isService = (value: string): value is MediationService => (MEDIATION_SERVICES as readonly string[]).includes(value);

/** Stored services ("A|B") → the standard values among them, in the standard's order, recharges included. */
export function relayServices(stored: string | null): MediationService[] {
  const chosen = new Set((stored ?? "").split("|").map((s) => s.trim()).filter(isService));
  chosen.add(RECHARGE_SERVICE);
  return MEDIATION_SERVICES.filter((s) => chosen.has(s));
}

/** Stored text that is not a standard service (typed before services became a choice list). */
export function legacyServicesText(stored: string | null): string | null {
  const text = (stored ?? "").split(/\||\n/).map((s) => s.trim()).filter((s) => s && !isService(s));
  return text.length > 0 ? text.join("\n") : null;
}

export const serializeServices = (services: readonly string[]): string | null => {
  const kept = MEDIATION_SERVICES.filter((s) => services.includes(s) && s !== RECHARGE_SERVICE);
  return kept.length > 0 ? kept.join("|") : null;
};

// ───────────────────────── Opening hours ─────────────────────────

export const WEEKDAYS = [
  { osm: "Mo", label: "Lundi" },
  { osm: "Tu", label: "Mardi" },
  { osm: "We", label: "Mercredi" },
  { osm: "Th", label: "Jeudi" },
  { osm: "Fr", label: "Vendredi" },
  { osm: "Sa", label: "Samedi" },
  { osm: "Su", label: "Dimanche" },
] as const;
export type WeekdayCode = (typeof WEEKDAYS)[number]["osm"];
const DAY_CODES = WEEKDAYS.map((d) => d.osm) as WeekdayCode[];

/** Minutes since midnight, for one opening range. */
export type TimeRange = { from: number; to: number };
export type WeekHours = Record<WeekdayCode, TimeRange[]>;

const emptyWeek = (): WeekHours => ({ Mo: [], Tu: [], We: [], Th: [], Fr: [], Sa: [], Su: [] });
const pad = (n: number) => String(n).padStart(2, "0");
const osmTime = (minutes: number) => `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
const frenchTime = (minutes: number) => (minutes % 60 === 0 ? `${Math.floor(minutes / 60)} h` : `${Math.floor(minutes / 60)} h ${pad(minutes % 60)}`);

/** "9h", "9 h 30", "09:30", "9.30", "14" → minutes, or null. */
function parseFrenchTime(text: string): number | null {
  const m = /^(\d{1,2})\s*(?:(?:h|:|\.)\s*(\d{2})?)?$/i.exec(text.trim());
  if (!m) return null;
  const hours = Number(m[1]);
  const minutes = m[2] ? Number(m[2]) : 0;
  if (hours > 24 || minutes > 59 || (hours === 24 && minutes > 0)) return null;
  return hours * 60 + minutes;
}

/**
 * One day's hours as people type them: "9h-12h, 13h30-17h" (also "9:00 – 12:00 et 14 h à 17 h").
 * Empty means closed. Returns the ranges, or a French message.
 */
export function parseDayHours(input: string): { ok: true; ranges: TimeRange[] } | { ok: false; message: string } {
  const text = input.trim();
  if (!text || /^ferm[ée]e?$/i.test(text)) return { ok: true, ranges: [] };
  const parts = text.split(/\s*(?:,|;|\bet\b|\/)\s*/i).filter(Boolean);
  const ranges: TimeRange[] = [];
  for (const part of parts) {
    const m = /^(.+?)(?:\s*(?:-|–|—)\s*|\s+(?:à|a)\s+)(.+)$/i.exec(part);
    const from = m ? parseFrenchTime(m[1]!) : null;
    const to = m ? parseFrenchTime(m[2]!) : null;
    if (from === null || to === null) return { ok: false, message: `« ${part} » n'est pas une plage horaire : écrivez par exemple 9h-12h, 13h30-17h.` };
    if (to <= from) return { ok: false, message: `« ${part} » finit avant de commencer.` };
    ranges.push({ from, to });
  }
  ranges.sort((a, b) => a.from - b.from);
  for (let i = 1; i < ranges.length; i++) {
    if (ranges[i]!.from < ranges[i - 1]!.to) return { ok: false, message: "Deux plages horaires se chevauchent." };
  }
  return { ok: true, ranges };
}

/** A day's ranges as the form shows them: "9h-12h, 13h30-17h". */
export const formatDayInput = (ranges: readonly TimeRange[]): string =>
  ranges.map((r) => `${frenchTime(r.from).replace(/ /g, "")}-${frenchTime(r.to).replace(/ /g, "")}`).join(", ");

/**
 * OSM `opening_hours`: consecutive days with the same hours share a rule ("Mo-We,Fr 09:00-12:00").
 * A week with no hours at all is null (the export then gives no `horaires`).
 */
export function toOsmOpeningHours(week: WeekHours): string | null {
  const groups = new Map<string, WeekdayCode[]>();
  for (const day of DAY_CODES) {
    if (week[day].length === 0) continue;
    const key = week[day].map((r) => `${osmTime(r.from)}-${osmTime(r.to)}`).join(",");
    groups.set(key, [...(groups.get(key) ?? []), day]);
  }
  if (groups.size === 0) return null;
  const rules = [...groups.entries()].map(([times, days]) => `${daySelector(days)} ${times}`);
  return rules.join("; ");
}

/** ["Mo","Tu","We","Fr"] → "Mo-We,Fr". */
function daySelector(days: readonly WeekdayCode[]): string {
  const indexes = days.map((d) => DAY_CODES.indexOf(d));
  const parts: string[] = [];
  for (let i = 0; i < indexes.length; ) {
    let j = i;
    while (j + 1 < indexes.length && indexes[j + 1] === indexes[j]! + 1) j++;
    parts.push(j - i >= 2 ? `${DAY_CODES[indexes[i]!]}-${DAY_CODES[indexes[j]!]}` : indexes.slice(i, j + 1).map((k) => DAY_CODES[k]).join(","));
    i = j + 1;
  }
  return parts.join(",");
}

/**
 * Reads back the OSM subset this module writes (day lists and ranges, then time ranges).
 * Anything else, such as free text typed before hours became structured, is null.
 */
export function parseOsmOpeningHours(osm: string | null): WeekHours | null {
  if (!osm?.trim()) return null;
  const week = emptyWeek();
  for (const rule of osm.split(";").map((r) => r.trim()).filter(Boolean)) {
    const m = /^((?:Mo|Tu|We|Th|Fr|Sa|Su)(?:-(?:Mo|Tu|We|Th|Fr|Sa|Su))?(?:,(?:Mo|Tu|We|Th|Fr|Sa|Su)(?:-(?:Mo|Tu|We|Th|Fr|Sa|Su))?)*) ((?:\d{2}:\d{2}-\d{2}:\d{2})(?:,\d{2}:\d{2}-\d{2}:\d{2})*)$/.exec(rule);
    if (!m) return null;
    const days: WeekdayCode[] = [];
    for (const item of m[1]!.split(",")) {
      const [a, b] = item.split("-") as [WeekdayCode, WeekdayCode | undefined];
      const from = DAY_CODES.indexOf(a);
      const to = b ? DAY_CODES.indexOf(b) : from;
      if (to < from) return null;
      for (let k = from; k <= to; k++) days.push(DAY_CODES[k]!);
    }
    const ranges = m[2]!.split(",").map((r) => {
      const [f, t] = r.split("-") as [string, string];
      const toMinutes = (hm: string) => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));
      return { from: toMinutes(f), to: toMinutes(t) };
    });
    if (ranges.some((r) => r.to <= r.from || r.to > 24 * 60)) return null;
    for (const day of days) week[day] = ranges;
  }
  return week;
}

/** The hours in French, a line per open day, for the directory and the relay space. */
export function describeOpeningHours(osm: string | null): string[] {
  const week = parseOsmOpeningHours(osm);
  if (!week) return osm?.trim() ? [osm.trim()] : [];
  return WEEKDAYS.filter((d) => week[d.osm].length > 0).map((d) => `${d.label} : ${week[d.osm].map((r) => `${frenchTime(r.from)} – ${frenchTime(r.to)}`).join(", ")}`);
}

// ───────────────────────── Export ─────────────────────────

export type OpenDataRelay = {
  id: string;
  name: string;
  siret: string | null;
  rna: string | null;
  address: string | null;
  postcode: string | null;
  city: string | null;
  description: string | null;
  services: string | null;
  openingHours: string | null;
  updatedAt: Date;
};

/** One row of the standard (its field names; lists joined by "|"). */
export type MediationPlaceRow = {
  id: string;
  pivot: string;
  nom: string;
  adresse: string;
  commune: string;
  code_postal: string;
  services: string;
  date_maj: string;
  source: string;
  horaires?: string;
  presentation_detail?: string;
};

/** The standard's columns, mandatory first, in the order of its CSV. */
export const MEDIATION_PLACE_COLUMNS = ["id", "pivot", "nom", "adresse", "commune", "code_postal", "services", "date_maj", "source", "horaires", "presentation_detail"] as const;

/** The standard's value when a place has neither SIRET nor RNA. */
export const UNKNOWN_PIVOT = "00000000000000";

/** YYYY-MM-DD in Paris. */
const parisDate = (date: Date) => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit" }).format(date);

/**
 * The relays as rows of the standard. A relay without a complete address (street, 5-digit
 * postcode, city) cannot be a valid row: it is left out and counted, so staff can complete it.
 */
export function toMediationPlaces(relays: readonly OpenDataRelay[], source: string): { rows: MediationPlaceRow[]; incomplete: number } {
  const rows: MediationPlaceRow[] = [];
  let incomplete = 0;
  for (const r of relays) {
    const address = r.address?.trim();
    const postcode = r.postcode?.trim();
    const city = r.city?.trim();
    if (!address || !city || !postcode || !/^\d{5}$/.test(postcode)) {
      incomplete++;
      continue;
    }
    const hours = parseOsmOpeningHours(r.openingHours) ? r.openingHours!.trim() : null;
    rows.push({
      id: r.id,
      pivot: r.siret ?? r.rna ?? UNKNOWN_PIVOT,
      nom: r.name,
      adresse: address,
      commune: city,
      code_postal: postcode,
      services: relayServices(r.services).join("|"),
      date_maj: parisDate(r.updatedAt),
      source,
      ...(hours ? { horaires: hours } : {}),
      ...(r.description?.trim() ? { presentation_detail: r.description.trim() } : {}),
    });
  }
  return { rows, incomplete };
}

const csvCell = (value: string | undefined): string => {
  const text = value ?? "";
  // A leading = + - @ (or tab, carriage return) would run as a formula in a spreadsheet.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",;\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** The standard's CSV: its column names, comma-separated, RFC 4180 quoting, UTF-8, CRLF. */
export function toMediationPlacesCsv(rows: readonly MediationPlaceRow[]): string {
  const lines = [MEDIATION_PLACE_COLUMNS.join(",")];
  for (const row of rows) lines.push(MEDIATION_PLACE_COLUMNS.map((c) => csvCell(row[c])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
