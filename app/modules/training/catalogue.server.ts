/**
 * The public catalogue: modules, their upcoming sessions, published results, and the
 * public page of one session. Read-only. Intra sessions never show here, except on their
 * own page to the people of the structure they are held for (and staff, and the trainer).
 */
import type { Prisma } from "~/generated/sqlite/client";
import type { SessionFormat, SessionKind, SessionStatus } from "~/generated/sqlite/enums";
import { db } from "~/utils/db.server";
import { parisMonthKey } from "~/utils/dates";
import { loadTraineeOutcomes } from "~/modules/evaluations/results.server";
import { trainingResults, type TrainingResults } from "~/modules/evaluations/results.rules";
import { matchesFilters, seatsLeft, sessionOpenness, type CatalogueFilters, type SessionOpenness } from "./catalogue.rules";

export type SessionSummary = {
  id: string;
  format: SessionFormat;
  city: string | null;
  startsAt: Date;
  endsAt: Date;
  halfDays: number;
  seatsLeft: number;
  capacity: number;
  isFree: boolean;
  priceCents: number;
};

export type CatalogueModule = {
  slug: string;
  title: string;
  summary: string;
  durationMinutes: number;
  priceCents: number;
  sessions: SessionSummary[];
};

/** Scheduled inter sessions whose first half-day is still ahead. */
const upcomingSessions = (now: Date) =>
  ({ status: "SCHEDULED", kind: "INTER", slots: { some: {}, none: { startsAt: { lte: now } } } }) satisfies Prisma.SessionWhereInput;

// Only what the list shows: this query serves the busiest public page.
const sessionSummarySelect = {
  id: true,
  format: true,
  city: true,
  capacity: true,
  seatsTaken: true,
  isFree: true,
  priceCents: true,
  slots: { select: { startsAt: true, endsAt: true }, orderBy: { startsAt: "asc" } },
} satisfies Prisma.SessionSelect;

type SessionSummaryRow = Prisma.SessionGetPayload<{ select: typeof sessionSummarySelect }>;

function toSummaries(rows: SessionSummaryRow[]): SessionSummary[] {
  return rows
    .flatMap((s) => {
      const first = s.slots[0];
      const last = s.slots.at(-1);
      if (!first || !last) return [];
      return [
        {
          id: s.id,
          format: s.format,
          city: s.format === "REMOTE" ? null : s.city,
          startsAt: first.startsAt,
          endsAt: last.endsAt,
          halfDays: s.slots.length,
          seatsLeft: seatsLeft(s),
          capacity: s.capacity,
          isFree: s.isFree,
          priceCents: s.priceCents,
        },
      ];
    })
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.id.localeCompare(b.id));
}

/**
 * Every published module with its upcoming sessions that match `filters`, and the cities and
 * months (YYYY-MM, Paris) of all upcoming sessions, for the filter form. One query.
 */
export async function listCatalogue({ filters = {}, now = new Date() }: { filters?: CatalogueFilters; now?: Date } = {}): Promise<{
  modules: CatalogueModule[];
  cities: string[];
  months: string[];
  matchingSessions: number;
}> {
  const rows = await db.module.findMany({
    where: { published: true },
    orderBy: { number: "asc" },
    select: {
      slug: true,
      title: true,
      summary: true,
      durationMinutes: true,
      priceCents: true,
      sessions: { where: upcomingSessions(now), select: sessionSummarySelect },
    },
  });
  const cities = new Set<string>();
  const months = new Set<string>();
  let matchingSessions = 0;
  const modules = rows.map(({ sessions, ...module }) => {
    const all = toSummaries(sessions);
    for (const s of all) {
      if (s.city) cities.add(s.city);
      months.add(parisMonthKey(s.startsAt));
    }
    const matching = all.filter((s) => matchesFilters(s, filters));
    matchingSessions += matching.length;
    return { ...module, sessions: matching };
  });
  return {
    modules,
    cities: [...cities].sort((a, b) => a.localeCompare(b, "fr")),
    months: [...months].sort(),
    matchingSessions,
  };
}

export type ModuleResults = TrainingResults;

/** Published results of the module's closed sessions: satisfaction, completion, objectives reached. */
export async function moduleResults(moduleId: string): Promise<ModuleResults> {
  return trainingResults(await loadTraineeOutcomes({ moduleId }));
}

/** Everything a module page publishes; null when there is no such published module. */
export async function getModulePage(slug: string, now = new Date()) {
  const module = await db.module.findFirst({
    where: { slug, published: true },
    select: {
      id: true,
      number: true,
      slug: true,
      title: true,
      summary: true,
      objectives: true,
      programme: true,
      durationMinutes: true,
      prerequisites: true,
      audience: true,
      methods: true,
      assessment: true,
      accessLeadTime: true,
      priceCents: true,
      accessibility: true,
      contact: true,
      sessions: { where: upcomingSessions(now), select: sessionSummarySelect },
    },
  });
  if (!module) return null;
  const { sessions, id, ...rest } = module;
  return { ...rest, sessions: toSummaries(sessions), results: await moduleResults(id) };
}

export type ModulePage = NonNullable<Awaited<ReturnType<typeof getModulePage>>>;

/** Who is looking: enough to know whether an intra session is theirs. */
export type Viewer = { id: string; roles: readonly string[]; memberships: readonly { structureId: string }[] };

export type SessionPage = {
  id: string;
  kind: SessionKind;
  status: SessionStatus;
  openness: SessionOpenness;
  cancelReason: string | null;
  module: { slug: string; title: string; durationMinutes: number };
  format: SessionFormat;
  venueName: string | null;
  address: string | null;
  postcode: string | null;
  city: string | null;
  accessInfo: string | null;
  structureName: string | null;
  trainerName: string | null;
  slots: { startsAt: Date; endsAt: Date }[];
  capacity: number;
  seatsLeft: number;
  priceCents: number;
  isFree: boolean;
  /** The viewer's own enrolment in this session, if any (cancelled ones included). */
  myEnrolment: { status: string; waitlistRank: number | null } | null;
};

/**
 * The public page of one session; null when it does not exist, or is an intra session the
 * viewer may not see (the same answer, so intra sessions cannot be discovered by id).
 */
export async function getSessionPage({ id, viewer, now = new Date() }: { id: string; viewer: Viewer | null; now?: Date }): Promise<SessionPage | null> {
  const session = await db.session.findUnique({
    where: { id },
    select: {
      id: true,
      kind: true,
      structureId: true,
      status: true,
      cancelReason: true,
      format: true,
      venueName: true,
      address: true,
      postcode: true,
      city: true,
      accessInfo: true,
      capacity: true,
      seatsTaken: true,
      priceCents: true,
      isFree: true,
      trainerId: true,
      module: { select: { slug: true, title: true, durationMinutes: true, published: true } },
      structure: { select: { name: true } },
      trainer: { select: { name: true } },
      slots: { select: { startsAt: true, endsAt: true }, orderBy: { startsAt: "asc" } },
    },
  });
  if (!session) return null;
  if (session.kind === "INTRA" && !mayViewIntra(session, viewer)) return null;
  if (!session.module.published && !viewer?.roles.includes("ADMIN")) return null;

  const myEnrolment = viewer
    ? await db.enrolment.findUnique({
        where: { sessionId_userId: { sessionId: session.id, userId: viewer.id } },
        select: { status: true, waitlistRank: true },
      })
    : null;
  const remote = session.format === "REMOTE";
  return {
    id: session.id,
    kind: session.kind,
    status: session.status,
    openness: sessionOpenness({ status: session.status, startsAt: session.slots[0]?.startsAt ?? null }, now),
    cancelReason: session.cancelReason,
    module: { slug: session.module.slug, title: session.module.title, durationMinutes: session.module.durationMinutes },
    format: session.format,
    // The remote link goes out with the convocation only.
    venueName: remote ? null : session.venueName,
    address: remote ? null : session.address,
    postcode: remote ? null : session.postcode,
    city: remote ? null : session.city,
    accessInfo: session.accessInfo,
    structureName: session.kind === "INTRA" ? (session.structure?.name ?? null) : null,
    trainerName: session.trainer?.name ?? null,
    slots: session.slots,
    capacity: session.capacity,
    seatsLeft: seatsLeft(session),
    priceCents: session.priceCents,
    isFree: session.isFree,
    myEnrolment,
  };
}

function mayViewIntra(session: { structureId: string | null; trainerId: string | null }, viewer: Viewer | null): boolean {
  if (!viewer) return false;
  if (viewer.roles.includes("ADMIN")) return true;
  if (session.trainerId === viewer.id) return true;
  return session.structureId !== null && viewer.memberships.some((m) => m.structureId === session.structureId);
}
