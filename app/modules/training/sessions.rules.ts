/**
 * Rules for scheduling a training session, pure (no I/O) and tested as tables
 * (sessions.rules.test.ts). Times are instants (UTC `Date`); the half-day rules are read
 * on Paris clocks, where the training happens.
 *
 * A slot is one half-day:
 * - it starts and ends on the same calendar day in Paris;
 * - it lasts from 1 h to 4 h 30;
 * - it is a morning (ends by 13:00) or an afternoon (starts at 12:00 or later), so a slot
 *   running across lunch (say 10:00–15:00) is two half-days and must be entered as two.
 */

export const SLOT_MIN_MINUTES = 60;
export const SLOT_MAX_MINUTES = 270;
/** A morning half-day ends by this time (minutes after midnight, Paris). */
export const MORNING_LATEST_END = 13 * 60;
/** An afternoon half-day starts at this time or later. */
export const AFTERNOON_EARLIEST_START = 12 * 60;

export const CAPACITY_MIN = 1;
export const CAPACITY_MAX = 200;
/** 10 000 € per seat: anything above is a typing mistake. */
export const PRICE_MAX_CENTS = 1_000_000;

export type SlotTimes = { startsAt: Date; endsAt: Date };

// ───────────────────────── Paris wall clock ─────────────────────────

const TIME_ZONE = "Europe/Paris";
const parisFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

type WallClock = { year: number; month: number; day: number; hour: number; minute: number };

function parisWallClock(instant: Date): WallClock {
  const parts = Object.fromEntries(parisFormat.formatToParts(instant).map((p) => [p.type, Number(p.value)]));
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute! };
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** "2026-03-02" as Paris sees `instant` (the value of an `<input type="date">`). */
export function parisDateInput(instant: Date): string {
  const w = parisWallClock(instant);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/** "09:30" as Paris sees `instant` (the value of an `<input type="time">`). */
export function parisTimeInput(instant: Date): string {
  const w = parisWallClock(instant);
  return `${pad(w.hour)}:${pad(w.minute)}`;
}

const DATE_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_SHAPE = /^(\d{2}):(\d{2})(?::\d{2})?$/;

/**
 * The instant at which Paris clocks show `time` on `date` ("2026-03-02", "09:30"); null when
 * either is malformed or does not exist (31 February, 25:00, or the hour skipped when
 * clocks go forward).
 */
export function parisInstant(date: string, time: string): Date | null {
  const d = DATE_SHAPE.exec(date.trim());
  const t = TIME_SHAPE.exec(time.trim());
  if (!d || !t) return null;
  const [year, month, day, hour, minute] = [Number(d[1]), Number(d[2]), Number(d[3]), Number(t[1]), Number(t[2])];
  if (hour > 23 || minute > 59 || month < 1 || month > 12 || day < 1) return null;
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const check = new Date(wall);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return null;
  const offsetAt = (t: number) => {
    const w = parisWallClock(new Date(t));
    return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - t;
  };
  const instant = new Date(wall - offsetAt(wall - offsetAt(wall)));
  const back = parisWallClock(instant);
  if (back.day !== day || back.hour !== hour || back.minute !== minute) return null;
  return instant;
}

// ───────────────────────── Money ─────────────────────────

/**
 * Euros as typed in a French form ("250", "250,50", "250.5", "1 250 €") to integer cents,
 * exactly: the string is split, never turned into a float. null when it is not an amount
 * (negative, more than two decimals, letters).
 */
export function parseEurosToCents(input: string): number | null {
  const cleaned = input.replace(/[\s\u00a0\u202f]/g, "").replace(/€$/, "");
  const match = /^(\d{1,9})(?:[.,](\d{1,2}))?$/.exec(cleaned);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? "0").padEnd(2, "0"));
}

/** 25050 → "250,50"; 25000 → "250" (the value put back in the price field). */
export function centsToEurosInput(cents: number): string {
  const euros = Math.trunc(cents / 100);
  const rest = cents % 100;
  return rest === 0 ? String(euros) : `${euros},${pad(rest)}`;
}

export function priceError(cents: number | null): string | null {
  if (cents === null) return "Indiquez un prix en euros, par exemple 250 ou 250,50.";
  if (cents > PRICE_MAX_CENTS) return "Le prix par place ne peut pas dépasser 10 000 €.";
  return null;
}

// ───────────────────────── Capacity ─────────────────────────

export function capacityError(capacity: number | null, seatsTaken = 0): string | null {
  if (capacity === null || !Number.isInteger(capacity) || capacity < CAPACITY_MIN || capacity > CAPACITY_MAX) {
    return `Indiquez un nombre de places entier entre ${CAPACITY_MIN} et ${CAPACITY_MAX}.`;
  }
  if (capacity < seatsTaken) {
    return `${seatsTaken} place${seatsTaken > 1 ? "s sont déjà prises" : " est déjà prise"} : la capacité ne peut pas être inférieure.`;
  }
  return null;
}

// ───────────────────────── Slots ─────────────────────────

export const overlaps = (a: SlotTimes, b: SlotTimes): boolean => a.startsAt < b.endsAt && b.startsAt < a.endsAt;

/** Why this slot is not a half-day, or null when it is one. */
export function halfDayError(slot: SlotTimes): string | null {
  if (slot.endsAt <= slot.startsAt) return "L'heure de fin doit être après l'heure de début.";
  const start = parisWallClock(slot.startsAt);
  const end = parisWallClock(slot.endsAt);
  if (start.year !== end.year || start.month !== end.month || start.day !== end.day) {
    return "Un créneau commence et finit le même jour.";
  }
  const minutes = (slot.endsAt.getTime() - slot.startsAt.getTime()) / 60_000;
  if (minutes < SLOT_MIN_MINUTES || minutes > SLOT_MAX_MINUTES) return "Un créneau dure entre 1 h et 4 h 30.";
  const startMinute = start.hour * 60 + start.minute;
  const endMinute = end.hour * 60 + end.minute;
  if (endMinute > MORNING_LATEST_END && startMinute < AFTERNOON_EARLIEST_START) {
    return "Un créneau est une demi-journée : le matin (fin à 13 h au plus tard) ou l'après-midi (début à 12 h au plus tôt).";
  }
  return null;
}

/**
 * Checks the slots of one session: each is a half-day, none overlaps another, and each is in
 * the future, except a slot kept unchanged from the session being edited (`existing`): a
 * session that has started can still have its later slots or its place edited.
 * Returns one message per failing slot (by index); the later of two overlapping slots gets
 * the message.
 */
export function slotErrors(slots: SlotTimes[], options: { now: Date; existing?: SlotTimes[] }): Map<number, string> {
  const errors = new Map<number, string>();
  const kept = (s: SlotTimes) => (options.existing ?? []).some((e) => sameSlot(e, s));
  slots.forEach((slot, i) => {
    const shape = halfDayError(slot);
    if (shape) return void errors.set(i, shape);
    if (slot.startsAt <= options.now && !kept(slot)) return void errors.set(i, "Ce créneau est dans le passé.");
    const clash = slots.findIndex((other, j) => j < i && overlaps(slot, other));
    if (clash >= 0) errors.set(i, `Ce créneau chevauche le créneau ${clash + 1}.`);
  });
  return errors;
}

export const sameSlot = (a: SlotTimes, b: SlotTimes) => a.startsAt.getTime() === b.startsAt.getTime() && a.endsAt.getTime() === b.endsAt.getTime();

/**
 * A trainer is in one place at a time: the indexes of `slots` that overlap any slot of
 * the trainer's other scheduled sessions (`booked`, the session being edited left out by
 * the caller).
 */
export function trainerConflicts(slots: SlotTimes[], booked: SlotTimes[]): number[] {
  return slots.flatMap((slot, i) => (booked.some((b) => overlaps(slot, b)) ? [i] : []));
}

/** Slots in time order. */
export const sortSlots = <S extends SlotTimes>(slots: S[]): S[] => [...slots].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());

// ───────────────────────── Kind and place ─────────────────────────

/** One line for mails and pages: "Maillon Lyon, 8 rue Saint-Jérôme, 69007 Lyon" or "À distance". */
export function placeLine(s: { format: string; venueName: string | null; address: string | null; postcode: string | null; city: string | null }): string {
  if (s.format === "REMOTE") return "À distance (classe virtuelle)";
  return [s.venueName, s.address, [s.postcode, s.city].filter(Boolean).join(" ")].filter(Boolean).join(", ") || "Lieu à préciser";
}


export type PlaceInput = {
  kind: "INTER" | "INTRA";
  structureId: string | null;
  format: "IN_PERSON" | "REMOTE";
  address: string | null;
  postcode: string | null;
  city: string | null;
  remoteUrl: string | null;
};

/** Field → message for what the kind and format require. */
export function placeErrors(p: PlaceInput): Record<string, string> {
  const errors: Record<string, string> = {};
  if (p.kind === "INTRA" && !p.structureId) errors.structureId = "Une session intra est organisée pour une structure : choisissez-la.";
  if (p.format === "IN_PERSON") {
    if (!p.address) errors.address = "Indiquez l'adresse du lieu.";
    if (!p.postcode) errors.postcode = "Indiquez le code postal.";
    else if (!/^\d{5}$/.test(p.postcode)) errors.postcode = "Le code postal compte 5 chiffres.";
    if (!p.city) errors.city = "Indiquez la ville.";
  } else if (!p.remoteUrl) {
    errors.remoteUrl = "Indiquez le lien de la classe virtuelle.";
  } else if (!isHttpsUrl(p.remoteUrl)) {
    errors.remoteUrl = "Le lien doit commencer par https:// (par exemple https://visio.exemple.fr/salle).";
  }
  return errors;
}

function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" && url.hostname.length > 0;
  } catch {
    return false;
  }
}
