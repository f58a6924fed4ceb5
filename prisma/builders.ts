/**
 * Builders of realistic data, for the demo seed (prisma/seed.ts) and, through
 * tests/factories.ts, for the tests. Each takes a client (or a transaction) and optional
 * overrides, fills the rest with realistic French data, and returns the created row.
 * Defaults are unique per call, so tests can build what they need without knowing what
 * else is in the database. Production code never loads this file: the seed runs only
 * for the demo.
 */
import { randomBytes, randomInt } from "node:crypto";
import type {
  EnrolmentStatus,
  Funding,
  MembershipRole,
  PaymentStatus,
  Prisma,
  Role,
  SessionFormat,
  SessionKind,
  SessionStatus,
  StructureType,
} from "../app/generated/sqlite/client";
import type { Db, Tx } from "../app/utils/db.server";
import { hashPassword } from "../app/modules/auth/password.server";

type Client = Db | Tx;

let sequence = 0;
const next = () => ++sequence;
const suffix = () => randomBytes(3).toString("hex");

/** Names as people really write them: accents, hyphens, particles, other scripts. */
export const SAMPLE_NAMES = [
  "Jean-Éric Lefèvre-Saint-Aubin",
  "Nguyễn Thị Minh Khai",
  "Łucja Wiśniewska",
  "Ольга Смирнова",
  "فاطمة الزهراء",
  "王秀英",
  "Maëlys Le Goff",
  "Thomas N'Diaye",
  "Anne-Laure de La Tour d'Auvergne-Lauraguais",
  "Françoise Gauthier",
] as const;

// ───────────────────────────── Users ─────────────────────────────

/** The password every factory user gets unless told otherwise (also the demo password). */
export const FACTORY_PASSWORD = "Maillon-demo-2026!";

// scrypt costs ~0.3 s: each distinct password is hashed once per process.
const passwordHashes = new Map<string, Promise<string>>();
export function passwordHashFor(password: string): Promise<string> {
  let hash = passwordHashes.get(password);
  if (!hash) {
    hash = hashPassword(password);
    passwordHashes.set(password, hash);
    hash.catch(() => passwordHashes.delete(password));
  }
  return hash;
}

/** ASCII slug for e-mail local parts; names in other scripts fall back to "personne". */
export function slugify(text: string): string {
  const slug = text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[łŁ]/g, "l")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return slug || "personne";
}

export type UserOverrides = {
  email?: string;
  name?: string;
  jobTitle?: string | null;
  roles?: Role[];
  /** null: an account without a password (not yet set). */
  password?: string | null;
  verified?: boolean;
};

export async function createUser(db: Client, overrides: UserOverrides = {}) {
  const n = next();
  const name = overrides.name ?? SAMPLE_NAMES[n % SAMPLE_NAMES.length]!;
  const email = (overrides.email ?? `${slugify(name)}.${n}${suffix()}@exemple.test`).toLowerCase();
  const password = overrides.password === undefined ? FACTORY_PASSWORD : overrides.password;
  const roles = overrides.roles ?? ["LEARNER"];
  return db.user.create({
    data: {
      email,
      name,
      jobTitle: overrides.jobTitle === undefined ? "Travailleuse sociale" : overrides.jobTitle,
      passwordHash: password === null ? null : await passwordHashFor(password),
      emailVerifiedAt: overrides.verified === false ? null : new Date(),
      roles: { create: roles.map((role) => ({ role })) },
    },
  });
}

// ───────────────────────────── Structures ─────────────────────────────

/** Appends the Luhn check digit (SIREN and SIRET both carry one). */
function withLuhnDigit(digits: string): string {
  for (let d = 0; d <= 9; d++) if (isLuhnValid(digits + d)) return digits + d;
  throw new Error("unreachable");
}

export function isLuhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return /^\d+$/.test(digits) && sum % 10 === 0;
}

/** A random SIRET whose SIREN and SIRET are both Luhn-valid (never La Poste's SIREN). */
export function randomSiret(): string {
  const siren = withLuhnDigit(String(randomInt(10_000_000, 35_600_000)));
  return withLuhnDigit(siren + String(randomInt(1, 1000)).padStart(4, "0"));
}

/** RNA: W followed by 9 digits. */
export const randomRna = () => `W${String(randomInt(0, 1_000_000_000)).padStart(9, "0")}`;

const COMMUNES = [
  { city: "Villeurbanne", postcode: "69100" },
  { city: "Saint-Étienne-du-Rouvray", postcode: "76800" },
  { city: "Roubaix", postcode: "59100" },
  { city: "Vénissieux", postcode: "69200" },
  { city: "Saint-Denis", postcode: "93200" },
] as const;

export type StructureOverrides = {
  name?: string;
  type?: StructureType;
  /** null: no SIRET (an association identified by its RNA). */
  siret?: string | null;
  rna?: string | null;
  address?: string | null;
  postcode?: string | null;
  city?: string | null;
};

export async function createStructure(db: Client, overrides: StructureOverrides = {}) {
  const n = next();
  const commune = COMMUNES[n % COMMUNES.length]!;
  const type = overrides.type ?? "CCAS";
  const city = overrides.city === undefined ? commune.city : overrides.city;
  const rna = overrides.rna === undefined ? null : overrides.rna;
  return db.structure.create({
    data: {
      name: overrides.name ?? (type === "ASSOCIATION" ? `Association Solidarités ${city ?? ""}`.trim() : `${type} de ${city ?? "Lyon"}`),
      type,
      siret: overrides.siret === undefined ? (rna ? null : randomSiret()) : overrides.siret,
      rna,
      address: overrides.address === undefined ? `${1 + (n % 90)} rue de la République` : overrides.address,
      postcode: overrides.postcode === undefined ? commune.postcode : overrides.postcode,
      city,
    },
  });
}

export async function createMembership(db: Client, input: { userId: string; structureId: string; role?: MembershipRole }) {
  return db.membership.create({ data: { userId: input.userId, structureId: input.structureId, role: input.role ?? "MEMBER" } });
}

// ───────────────────────────── Modules ─────────────────────────────

export type ModuleOverrides = Partial<{
  number: number;
  slug: string;
  title: string;
  summary: string;
  objectives: string;
  programme: string;
  durationMinutes: number;
  prerequisites: string;
  audience: string;
  methods: string;
  assessment: string;
  accessLeadTime: string;
  priceCents: number;
  accessibility: string;
  contact: string;
  certificateValidityMonths: number | null;
  nsfCode: string | null;
  published: boolean;
}>;

export async function createModule(db: Client, overrides: ModuleOverrides = {}) {
  // Numbers 1-3 are the real catalogue; test modules start far above.
  const number = overrides.number ?? 1000 + next();
  return db.module.create({
    data: {
      number,
      slug: overrides.slug ?? `accompagner-les-demarches-en-ligne-${number}-${suffix()}`,
      title: overrides.title ?? "Accompagner les démarches administratives en ligne",
      summary:
        overrides.summary ??
        "Une journée pour aider les personnes accompagnées à réaliser elles-mêmes leurs démarches sur les sites de la CAF, de France Travail et de l'Assurance maladie.",
      objectives:
        overrides.objectives ??
        [
          "Créer avec une personne son compte sur un site administratif",
          "Expliquer le fonctionnement de FranceConnect et ses risques",
          "Repérer un site frauduleux imitant un service public",
        ].join("\n"),
      programme:
        overrides.programme ??
        ["Panorama des démarches en ligne les plus fréquentes", "Mises en situation sur des comptes de démonstration", "Sécurité et données personnelles"].join(
          "\n",
        ),
      durationMinutes: overrides.durationMinutes ?? 420,
      prerequisites: overrides.prerequisites ?? "Aucun prérequis.",
      audience: overrides.audience ?? "Travailleurs sociaux et agents d'accueil.",
      methods: overrides.methods ?? "Apports courts, démonstrations, exercices sur ordinateur.",
      assessment: overrides.assessment ?? "Quiz en fin de journée et mise en situation.",
      accessLeadTime: overrides.accessLeadTime ?? "Inscription jusqu'à 7 jours avant la session.",
      priceCents: overrides.priceCents ?? 25_000,
      accessibility: overrides.accessibility ?? "Formation accessible aux personnes en situation de handicap ; contactez-nous pour adapter les modalités.",
      contact: overrides.contact ?? "Pôle formation — formation@maillon.localhost — 01 99 00 12 34",
      certificateValidityMonths: overrides.certificateValidityMonths === undefined ? null : overrides.certificateValidityMonths,
      nsfCode: overrides.nsfCode === undefined ? null : overrides.nsfCode,
      published: overrides.published ?? true,
    },
  });
}

// ───────────────────────────── Dates (Europe/Paris) ─────────────────────────────

export type CalendarDay = { year: number; month: number; day: number };

const parisFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/Paris",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

function parisFields(instant: Date) {
  const parts = Object.fromEntries(parisFormat.formatToParts(instant).map((p) => [p.type, Number(p.value)]));
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute! };
}

/** The calendar day in Paris at `instant`. */
export function parisDay(instant: Date): CalendarDay {
  const { year, month, day } = parisFields(instant);
  return { year, month, day };
}

/** The instant at which Paris clocks show `time` ("HH:MM") on `day`. */
export function parisDateTime(day: CalendarDay, time: string): Date {
  const [hour = 0, minute = 0] = time.split(":").map(Number);
  const wall = Date.UTC(day.year, day.month - 1, day.day, hour, minute);
  const offsetAt = (t: number) => {
    const f = parisFields(new Date(t));
    return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute) - Math.floor(t / 60_000) * 60_000;
  };
  const first = wall - offsetAt(wall);
  // Near a DST change the offset at the guess may differ from the offset at the answer.
  return new Date(wall - offsetAt(first));
}

export function addDays(day: CalendarDay, days: number): CalendarDay {
  const d = new Date(Date.UTC(day.year, day.month - 1, day.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function easterSunday(year: number): CalendarDay {
  // Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const h = (19 * a + b - Math.floor(b / 4) - Math.floor((b - Math.floor((8 * b + 13) / 25)) / 3) + 15) % 30;
  const l = (32 + 2 * (b % 4) + 2 * Math.floor(c / 4) - h - (c % 4)) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  return { year, month, day: ((h + l - 7 * m + 114) % 31) + 1 };
}

/** French public holidays (metropolitan France; Alsace-Moselle's two extra days aside). */
export function isFrenchPublicHoliday(day: CalendarDay): boolean {
  const fixed = ["1-1", "5-1", "5-8", "7-14", "8-15", "11-1", "11-11", "12-25"];
  if (fixed.includes(`${day.month}-${day.day}`)) return true;
  const easter = easterSunday(day.year);
  return [1, 39, 50].some((offset) => {
    const d = addDays(easter, offset);
    return d.month === day.month && d.day === day.day;
  });
}

export function isWorkingDay(day: CalendarDay): boolean {
  const weekday = new Date(Date.UTC(day.year, day.month - 1, day.day)).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !isFrenchPublicHoliday(day);
}

/** `count` working days, the first on or after `from`. */
export function trainingDays(from: CalendarDay, count: number): CalendarDay[] {
  const days: CalendarDay[] = [];
  for (let day = from; days.length < count; day = addDays(day, 1)) if (isWorkingDay(day)) days.push(day);
  return days;
}

/** Two half-days per training day: 9:00–12:30 and 13:30–17:00, Paris time. */
export function halfDaySlots(days: CalendarDay[]): { startsAt: Date; endsAt: Date }[] {
  return days.flatMap((day) => [
    { startsAt: parisDateTime(day, "09:00"), endsAt: parisDateTime(day, "12:30") },
    { startsAt: parisDateTime(day, "13:30"), endsAt: parisDateTime(day, "17:00") },
  ]);
}

// ───────────────────────────── Sessions ─────────────────────────────

export type Venue = { venueName: string; address: string; postcode: string; city: string; accessInfo: string };

/** Association welcome points and partner rooms used for in-person sessions. */
export const VENUES = {
  lyon: {
    venueName: "Maillon Lyon — point d'accueil de la Guillotière",
    address: "8 rue Saint-Jérôme",
    postcode: "69007",
    city: "Lyon",
    accessInfo: "Métro B, arrêt Saxe-Gambetta ; tram T1, arrêt Saint-André. Salle de plain-pied, accessible en fauteuil roulant.",
  },
  lille: {
    venueName: "Maillon Lille — espace Moulins",
    address: "27 rue d'Arras",
    postcode: "59000",
    city: "Lille",
    accessInfo: "Métro ligne 2, station Porte d'Arras. Salle de formation au 1er étage, desservie par un ascenseur.",
  },
  marseille: {
    venueName: "Maillon Marseille — point d'accueil Belle de Mai",
    address: "15 rue Loubon",
    postcode: "13003",
    city: "Marseille",
    accessInfo: "Métro 2, station National ; bus 49. Salle de plain-pied, toilettes adaptées.",
  },
  bordeaux: {
    venueName: "Salle partenaire — Maison des associations de la Bastide",
    address: "4 rue de Nuits",
    postcode: "33100",
    city: "Bordeaux",
    accessInfo: "Tram A, arrêt Jardin botanique. Salle de plain-pied, boucle magnétique disponible sur demande.",
  },
} as const satisfies Record<string, Venue>;

export type SlotInput = {
  startsAt: Date;
  endsAt: Date;
  trainerSignedAt?: Date | null;
  trainerSignature?: string | null;
  lockedAt?: Date | null;
};

export type SessionOverrides = {
  moduleId: string;
  kind?: SessionKind;
  structureId?: string | null;
  format?: SessionFormat;
  venue?: Venue;
  remoteUrl?: string | null;
  capacity?: number;
  trainerId?: string | null;
  /** Defaults to the module's price (one extra query). */
  priceCents?: number;
  isFree?: boolean;
  status?: SessionStatus;
  closedAt?: Date | null;
  /** First training day (Paris); default: 30 days from now. Moved to the next working day. */
  startsOn?: CalendarDay;
  /** Number of training days, two half-day slots each; default 1. */
  days?: number;
  /** Explicit slots; when given, `startsOn` and `days` are ignored. */
  slots?: SlotInput[];
};

export async function createSession(db: Client, overrides: SessionOverrides) {
  const format = overrides.format ?? "IN_PERSON";
  const venue = format === "REMOTE" ? undefined : (overrides.venue ?? VENUES.lyon);
  const slots =
    overrides.slots ?? halfDaySlots(trainingDays(overrides.startsOn ?? addDays(parisDay(new Date()), 30), overrides.days ?? 1));
  const priceCents = overrides.priceCents ?? (await db.module.findUniqueOrThrow({ where: { id: overrides.moduleId } })).priceCents;
  return db.session.create({
    data: {
      moduleId: overrides.moduleId,
      kind: overrides.kind ?? "INTER",
      structureId: overrides.structureId ?? null,
      format,
      venueName: venue?.venueName ?? null,
      address: venue?.address ?? null,
      postcode: venue?.postcode ?? null,
      city: venue?.city ?? null,
      accessInfo:
        venue?.accessInfo ??
        "Lien de connexion envoyé avec la convocation. Un ordinateur avec caméra et micro est nécessaire ; un test technique est proposé la veille.",
      remoteUrl: format === "REMOTE" ? (overrides.remoteUrl ?? `https://visio.maillon.localhost/formation-${suffix()}`) : null,
      capacity: overrides.capacity ?? 12,
      trainerId: overrides.trainerId ?? null,
      priceCents,
      isFree: overrides.isFree ?? false,
      status: overrides.status ?? "SCHEDULED",
      closedAt: overrides.closedAt ?? null,
      slots: { create: slots },
    },
    include: { slots: { orderBy: { startsAt: "asc" } } },
  });
}

// ───────────────────────────── Enrolments ─────────────────────────────

export type EnrolmentOverrides = {
  sessionId: string;
  userId: string;
  structureId?: string | null;
  /** Default: the learner enrols themself. */
  enrolledById?: string;
  status?: EnrolmentStatus;
  funding?: Funding;
  paymentStatus?: PaymentStatus;
  amountCents?: number;
  /** For WAITLISTED: default, the end of the list (createEnrolment). */
  waitlistRank?: number | null;
  offerExpiresAt?: Date | null;
  objectivesReached?: boolean | null;
  confirmedAt?: Date | null;
};

/** The row data, for `createMany` (the seed) as well as `createEnrolment`. */
export function enrolmentData(overrides: EnrolmentOverrides): Prisma.EnrolmentCreateManyInput {
  const status = overrides.status ?? "CONFIRMED";
  const funding = overrides.funding ?? "FREE";
  return {
    sessionId: overrides.sessionId,
    userId: overrides.userId,
    structureId: overrides.structureId ?? null,
    enrolledById: overrides.enrolledById ?? overrides.userId,
    status,
    funding,
    paymentStatus: overrides.paymentStatus ?? (funding === "FREE" ? "NOT_REQUIRED" : "PENDING"),
    amountCents: overrides.amountCents ?? 0,
    waitlistRank: overrides.waitlistRank ?? null,
    offerExpiresAt: overrides.offerExpiresAt ?? null,
    objectivesReached: overrides.objectivesReached ?? null,
    confirmedAt: overrides.confirmedAt === undefined ? (status === "CONFIRMED" ? new Date() : null) : overrides.confirmedAt,
  };
}

const SEAT_HOLDING: readonly EnrolmentStatus[] = ["CONFIRMED", "PENDING_PAYMENT", "OFFERED"];

/** Creates the enrolment and, when it holds a seat, counts it in `Session.seatsTaken` (as the app does). */
export async function createEnrolment(db: Client, overrides: EnrolmentOverrides) {
  let waitlistRank = overrides.waitlistRank;
  if (overrides.status === "WAITLISTED" && waitlistRank === undefined) {
    const { _max } = await db.enrolment.aggregate({ where: { sessionId: overrides.sessionId }, _max: { waitlistRank: true } });
    waitlistRank = (_max.waitlistRank ?? 0) + 1;
  }
  const enrolment = await db.enrolment.create({ data: enrolmentData({ ...overrides, waitlistRank }) });
  if (SEAT_HOLDING.includes(enrolment.status)) {
    await db.session.update({ where: { id: enrolment.sessionId }, data: { seatsTaken: { increment: 1 } } });
  }
  return enrolment;
}

/**
 * Sets each session's `seatsTaken` to its seat-holding enrolments, for data written with
 * `createMany` (the seed). Not for the app: there, seats move only by conditional updates.
 */
export async function recountSeats(db: Client, sessionIds: string[]) {
  for (const id of sessionIds) {
    const held = await db.enrolment.count({ where: { sessionId: id, status: { in: [...SEAT_HOLDING] } } });
    await db.session.update({ where: { id }, data: { seatsTaken: held } });
  }
}
