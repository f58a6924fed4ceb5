import type { Prisma } from "~/generated/sqlite/client";
import { can, type Actor } from "~/modules/auth/permissions.rules";
import { db, type Db, type Tx } from "~/utils/db.server";
import type { FieldErrors } from "~/utils/forms.server";
import { changedFields } from "./modules.rules";
import type { ModuleInput } from "./modules.schema";

/**
 * The staff's side of the catalogue's modules: list, create, edit. Every function checks
 * the permission itself, writes its audit row in the same transaction as the change, and
 * returns expected failures as French messages keyed by form field.
 */
export type StaffActor = NonNullable<Actor>;
type Failure = { ok: false; errors: FieldErrors };
const FORBIDDEN: Failure = { ok: false, errors: { form: "Seule l'équipe de l'association peut gérer les modules de formation." } };

const NUMBER_TAKEN = "Ce numéro est déjà celui d'un autre module.";
const SLUG_TAKEN = "Cette adresse est déjà celle d'un autre module : choisissez-en une autre.";

/** Thrown inside a transaction to roll it back and answer with these field errors. */
class Refused extends Error {
  constructor(readonly errors: FieldErrors) {
    super("refused");
  }
}

const isUniqueViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === "P2002";

/** Number and slug already used by another module, as field errors (empty when both are free). */
async function uniquenessErrors(client: { module: Db["module"] }, data: ModuleInput, moduleId?: string): Promise<FieldErrors> {
  const others = await client.module.findMany({
    where: { OR: [{ number: data.number }, { slug: data.slug }], ...(moduleId ? { id: { not: moduleId } } : {}) },
    select: { number: true, slug: true },
  });
  const errors: FieldErrors = {};
  if (others.some((m) => m.number === data.number)) errors.number = NUMBER_TAKEN;
  if (others.some((m) => m.slug === data.slug)) errors.slug = SLUG_TAKEN;
  return errors;
}

/**
 * Runs the write; answers a refusal, or a unique violation (another save took the number or
 * the slug between the check and the write, on SQLite or PostgreSQL alike), as field errors.
 */
async function saving<T>(data: ModuleInput, moduleId: string | undefined, work: () => Promise<T>): Promise<T | Failure> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof Refused) return { ok: false, errors: e.errors };
    if (isUniqueViolation(e)) {
      const errors = await uniquenessErrors(db, data, moduleId);
      return { ok: false, errors: Object.keys(errors).length > 0 ? errors : { form: "Ce module vient d'être modifié par quelqu'un d'autre : réessayez." } };
    }
    throw e;
  }
}

async function checkUnique(tx: Tx, data: ModuleInput, moduleId?: string) {
  const errors = await uniquenessErrors(tx, data, moduleId);
  if (Object.keys(errors).length > 0) throw new Refused(errors);
}

/** Fields short enough to copy into the audit row as they were and as they became. */
const AUDITED_VALUES = ["number", "slug", "title", "durationMinutes", "priceCents", "certificateValidityMonths", "nsfCode", "published"] as const;

const pickValues = (m: ModuleInput, fields: readonly string[]) =>
  Object.fromEntries(fields.filter((f) => (AUDITED_VALUES as readonly string[]).includes(f)).map((f) => [f, m[f as keyof ModuleInput]]));

const moduleData = (m: ModuleInput): ModuleInput => ({
  number: m.number,
  slug: m.slug,
  title: m.title,
  summary: m.summary,
  objectives: m.objectives,
  programme: m.programme,
  durationMinutes: m.durationMinutes,
  prerequisites: m.prerequisites,
  audience: m.audience,
  methods: m.methods,
  assessment: m.assessment,
  accessLeadTime: m.accessLeadTime,
  priceCents: m.priceCents,
  accessibility: m.accessibility,
  contact: m.contact,
  certificateValidityMonths: m.certificateValidityMonths,
  nsfCode: m.nsfCode,
  published: m.published,
});

// ───────────────────────── Create ─────────────────────────

export async function createCatalogueModule(input: { actor: StaffActor; data: ModuleInput; now?: Date }): Promise<{ ok: true; moduleId: string } | Failure> {
  const { actor, now = new Date() } = input;
  if (!can(actor, "admin.access")) return FORBIDDEN;
  const data = moduleData(input.data);
  return saving(data, undefined, () =>
    db.$transaction(async (tx) => {
      await checkUnique(tx, data);
      const created = await tx.module.create({ data, select: { id: true } });
      await tx.auditLog.create({
        data: {
          actorId: actor.id,
          action: "module.created",
          entityType: "Module",
          entityId: created.id,
          data: { changed: Object.keys(data), ...pickValues(data, AUDITED_VALUES) },
          createdAt: now,
        },
      });
      return { ok: true as const, moduleId: created.id };
    }),
  );
}

// ───────────────────────── Edit ─────────────────────────

/** Upcoming: still scheduled and not over. */
const upcomingSessions = (now: Date) => ({ status: "SCHEDULED", slots: { some: { endsAt: { gt: now } } } }) satisfies Prisma.SessionWhereInput;

/** Upcoming sessions of the module holding confirmed enrolments, and how many people that is. */
async function confirmedAhead(client: { session: Db["session"] }, moduleId: string, now: Date) {
  const sessions = await client.session.findMany({
    where: { moduleId, ...upcomingSessions(now), enrolments: { some: { status: "CONFIRMED" } } },
    select: { _count: { select: { enrolments: { where: { status: "CONFIRMED" } } } } },
  });
  return { sessions: sessions.length, enrolments: sessions.reduce((sum, s) => sum + s._count.enrolments, 0) };
}

/**
 * Saves the form over the module. Unpublishing is allowed even when people are enrolled in
 * upcoming sessions (their seats stay); the answer then says how many, for the warning.
 */
export async function updateCatalogueModule(input: {
  actor: StaffActor;
  moduleId: string;
  data: ModuleInput;
  now?: Date;
}): Promise<{ ok: true; moduleId: string; changed: string[]; unpublishedWithEnrolments: { sessions: number; enrolments: number } | null } | Failure> {
  const { actor, moduleId, now = new Date() } = input;
  if (!can(actor, "admin.access")) return FORBIDDEN;
  const data = moduleData(input.data);
  return saving(data, moduleId, () =>
    db.$transaction(async (tx) => {
      const stored = await tx.module.findUnique({ where: { id: moduleId } });
      if (!stored) throw new Refused({ form: "Ce module n'existe pas." });
      const before = moduleData(stored);
      const changed = changedFields(before, data);
      if (changed.length === 0) return { ok: true as const, moduleId, changed, unpublishedWithEnrolments: null };

      await checkUnique(tx, data, moduleId);
      await tx.module.update({ where: { id: moduleId }, data });
      await tx.auditLog.create({
        data: {
          actorId: actor.id,
          action: "module.updated",
          entityType: "Module",
          entityId: moduleId,
          data: { changed, before: pickValues(before, changed), after: pickValues(data, changed) },
          createdAt: now,
        },
      });
      const ahead = before.published && !data.published ? await confirmedAhead(tx, moduleId, now) : null;
      return { ok: true as const, moduleId, changed, unpublishedWithEnrolments: ahead && ahead.sessions > 0 ? ahead : null };
    }),
  );
}

// ───────────────────────── Read ─────────────────────────

export type AdminModuleRow = {
  id: string;
  number: number;
  slug: string;
  title: string;
  durationMinutes: number;
  priceCents: number;
  published: boolean;
  upcomingSessions: number;
  /** Upcoming sessions with confirmed enrolments, and those enrolments: only when the module is unpublished. */
  hiddenWithEnrolments: { sessions: number; enrolments: number } | null;
};

/** Every module, by number, with its upcoming sessions counted (a handful of modules: one query). */
export async function listAdminModules(now = new Date()): Promise<AdminModuleRow[]> {
  const rows = await db.module.findMany({
    orderBy: { number: "asc" },
    select: {
      id: true,
      number: true,
      slug: true,
      title: true,
      durationMinutes: true,
      priceCents: true,
      published: true,
      sessions: { where: upcomingSessions(now), select: { _count: { select: { enrolments: { where: { status: "CONFIRMED" } } } } } },
    },
  });
  return rows.map(({ sessions, ...m }) => {
    const withEnrolments = sessions.filter((s) => s._count.enrolments > 0);
    return {
      ...m,
      upcomingSessions: sessions.length,
      hiddenWithEnrolments:
        !m.published && withEnrolments.length > 0
          ? { sessions: withEnrolments.length, enrolments: withEnrolments.reduce((sum, s) => sum + s._count.enrolments, 0) }
          : null,
    };
  });
}

/** The module as stored, for the edit form and its page header. */
export function getModuleForEdit(moduleId: string) {
  return db.module.findUnique({ where: { id: moduleId } });
}

/** The number a new module gets by default: one above the highest. */
export async function nextModuleNumber(): Promise<number> {
  const last = await db.module.findFirst({ orderBy: { number: "desc" }, select: { number: true } });
  return (last?.number ?? 0) + 1;
}
