/**
 * People management for staff (/admin/personnes) and the first-admin command: search,
 * a person's file, roles granted and removed with a reason, accounts deactivated and
 * reactivated, trainers and staff invited by e-mail. Every write re-checks the actor inside
 * its transaction and is written to the audit log with its reason.
 */
import type { Prisma } from "~/generated/sqlite/client";
import { can, type Role } from "~/modules/auth/permissions.rules";
import type { CurrentUser } from "~/modules/auth/session.server";
import { issueOneTimeToken, TOKEN_TTL_MS } from "~/modules/auth/tokens.server";
import { enqueueMail } from "~/modules/mail/outbox.server";
import { db, dbProvider, type Tx } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { PEOPLE_PAGE_SIZE, type PeopleFilters } from "./people.schema";
import {
  deactivationRefusal,
  reactivationRefusal,
  ROLE_LABELS,
  roleChangeRefusal,
  type PersonState,
  type RoleChange,
} from "./people.rules";

type Failure = { ok: false; message: string; notFound?: boolean };
const FORBIDDEN: Failure = { ok: false, message: "Vous n'avez pas accès à cette action." };
const NOT_FOUND: Failure = { ok: false, message: "Cette personne n'existe pas.", notFound: true };

const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
const isUniqueViolation = (e: unknown) => (e as { code?: string })?.code === "P2002";

// ───────────────────────── Reading ─────────────────────────

export type PersonRow = {
  id: string;
  name: string;
  email: string;
  roles: Role[];
  structures: string[];
  lastLoginAt: Date | null;
  deactivatedAt: Date | null;
  hasPassword: boolean;
};

/**
 * People by name, PEOPLE_PAGE_SIZE a page. Without a search the database pages; with one,
 * only names and addresses are read to match accent- and case-insensitively (the same on
 * SQLite and PostgreSQL), and the details are loaded for the page shown.
 */
export async function listPeople(actor: CurrentUser, filters: PeopleFilters) {
  if (!can(actor, "people.view")) return null;
  const q = fold(filters.q);
  const skip = (filters.page - 1) * PEOPLE_PAGE_SIZE;
  let ids: string[];
  let total: number;
  if (q) {
    const candidates = await db.user.findMany({ select: { id: true, name: true, email: true }, orderBy: [{ name: "asc" }, { id: "asc" }] });
    const matching = candidates.filter((c) => fold(c.name).includes(q) || c.email.includes(q));
    total = matching.length;
    ids = matching.slice(skip, skip + PEOPLE_PAGE_SIZE).map((c) => c.id);
  } else {
    const [page, count] = await Promise.all([
      db.user.findMany({ select: { id: true }, orderBy: [{ name: "asc" }, { id: "asc" }], skip, take: PEOPLE_PAGE_SIZE }),
      db.user.count(),
    ]);
    ids = page.map((u) => u.id);
    total = count;
  }
  const users = await db.user.findMany({
    where: { id: { in: ids } },
    select: {
      id: true,
      name: true,
      email: true,
      lastLoginAt: true,
      deactivatedAt: true,
      passwordHash: true,
      roles: { select: { role: true } },
      memberships: { select: { structure: { select: { name: true } } }, orderBy: { createdAt: "asc" } },
    },
  });
  const byId = new Map(users.map((u) => [u.id, u]));
  const rows: PersonRow[] = ids.flatMap((id) => {
    const u = byId.get(id);
    if (!u) return [];
    return [
      {
        id: u.id,
        name: u.name,
        email: u.email,
        roles: u.roles.map((r) => r.role),
        structures: u.memberships.map((m) => m.structure.name),
        lastLoginAt: u.lastLoginAt,
        deactivatedAt: u.deactivatedAt,
        hasPassword: u.passwordHash !== null,
      },
    ];
  });
  return { rows, total, page: filters.page, pageCount: Math.max(1, Math.ceil(total / PEOPLE_PAGE_SIZE)) };
}

/** The scheduled sessions this person trains that still have a half-day to come. */
function upcomingTrainerSessions(trainerId: string, now: Date) {
  return db.session.findMany({
    where: { trainerId, status: "SCHEDULED", slots: { some: { startsAt: { gt: now } } } },
    select: {
      id: true,
      module: { select: { title: true } },
      city: true,
      slots: { select: { startsAt: true }, orderBy: { startsAt: "asc" }, take: 1 },
    },
  });
}

export async function getPerson(actor: CurrentUser, personId: string, now = new Date()) {
  if (!can(actor, "people.view")) return null;
  const person = await db.user.findUnique({
    where: { id: personId },
    select: {
      id: true,
      name: true,
      email: true,
      jobTitle: true,
      createdAt: true,
      emailVerifiedAt: true,
      lastLoginAt: true,
      deactivatedAt: true,
      externalTrainer: true,
      passwordHash: true,
      roles: { select: { role: true } },
      memberships: {
        select: { role: true, structure: { select: { id: true, name: true, city: true, relay: { select: { status: true } } } } },
        orderBy: { createdAt: "asc" },
      },
    },
  });
  if (!person) return null;
  const [sessions, history] = await Promise.all([
    upcomingTrainerSessions(person.id, now),
    db.auditLog.findMany({
      where: { entityType: "User", entityId: person.id },
      select: { id: true, action: true, reason: true, data: true, createdAt: true, actor: { select: { name: true } } },
      orderBy: { createdAt: "desc" },
      take: 30,
    }),
  ]);
  const { passwordHash, roles, memberships, ...rest } = person;
  return {
    ...rest,
    hasPassword: passwordHash !== null,
    roles: roles.map((r) => r.role),
    memberships: memberships.map((m) => ({
      role: m.role,
      structureId: m.structure.id,
      structureName: m.structure.name,
      city: m.structure.city,
      relayStatus: m.structure.relay?.status ?? null,
    })),
    upcomingSessions: sessions
      .map((s) => ({ id: s.id, moduleTitle: s.module.title, city: s.city, startsAt: s.slots[0]?.startsAt ?? null }))
      .sort((a, b) => (a.startsAt?.getTime() ?? 0) - (b.startsAt?.getTime() ?? 0)),
    history: history.map((h) => ({
      id: h.id,
      action: h.action,
      reason: h.reason,
      role: (h.data as { role?: Role } | null)?.role ?? null,
      actorName: h.actor?.name ?? null,
      createdAt: h.createdAt,
    })),
  };
}
export type PersonFile = NonNullable<Awaited<ReturnType<typeof getPerson>>>;

/** For a session's staff page: whether its trainer's account is deactivated. */
export async function deactivatedTrainerOf(sessionId: string): Promise<{ id: string; name: string } | null> {
  const session = await db.session.findUnique({
    where: { id: sessionId },
    select: { trainer: { select: { id: true, name: true, deactivatedAt: true } } },
  });
  const trainer = session?.trainer;
  return trainer?.deactivatedAt ? { id: trainer.id, name: trainer.name } : null;
}

// ───────────────────────── Writing ─────────────────────────

/**
 * Serialises every change that could take the last admin away. SQLite runs one transaction
 * at a time already (decision 008); PostgreSQL takes a transaction-scoped advisory lock, so
 * of two staff members removing each other's admin role at the same instant, the second
 * sees the first's change and is refused.
 */
async function lockAdmins(tx: Tx) {
  if (dbProvider() === "postgresql") await tx.$queryRawUnsafe(`SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(${ADMINS_LOCK_KEY})) AS l`);
}
const ADMINS_LOCK_KEY = 0x4d41_0001; // "MA" + 1: only people management takes it

const activeAdminCount = (tx: Tx) => tx.user.count({ where: { deactivatedAt: null, roles: { some: { role: "ADMIN" } } } });

/** The actor as the transaction sees them: still an active admin, or null. */
async function actingAdmin(tx: Tx, actor: CurrentUser): Promise<CurrentUser | null> {
  const still = await tx.user.findFirst({
    where: { id: actor.id, deactivatedAt: null, roles: { some: { role: "ADMIN" } } },
    select: { roles: { select: { role: true } } },
  });
  return still ? { ...actor, roles: still.roles.map((r) => r.role) } : null;
}

async function personState(tx: Tx, personId: string): Promise<(PersonState & { email: string }) | null> {
  const person = await tx.user.findUnique({
    where: { id: personId },
    select: { id: true, name: true, email: true, deactivatedAt: true, roles: { select: { role: true } } },
  });
  return person && { ...person, roles: person.roles.map((r) => r.role) };
}

type AuditAction = "person.roleGranted" | "person.roleRemoved" | "person.deactivated" | "person.reactivated" | "person.invited" | "person.trainerStatusSet";

const audit = (tx: Tx, entry: { actorId: string | null; action: AuditAction; personId: string; reason: string; data?: Prisma.InputJsonValue; now: Date }) =>
  tx.auditLog.create({
    data: { actorId: entry.actorId, action: entry.action, entityType: "User", entityId: entry.personId, reason: entry.reason, data: entry.data, createdAt: entry.now },
  });

export type ChangeResult = { ok: true; name: string } | Failure;

export async function changeRole(input: { actor: CurrentUser; personId: string; change: RoleChange; reason: string; now?: Date }): Promise<ChangeResult> {
  const { personId, change, reason, now = new Date() } = input;
  if (!can(input.actor, "people.view")) return FORBIDDEN;
  return db.$transaction(async (tx) => {
    await lockAdmins(tx);
    const actor = await actingAdmin(tx, input.actor);
    if (!actor) return FORBIDDEN;
    const person = await personState(tx, personId);
    if (!person) return NOT_FOUND;
    const refusal = roleChangeRefusal(actor, person, change, await activeAdminCount(tx));
    if (refusal) return { ok: false, message: refusal } as const;
    if (change.kind === "grant") await tx.userRole.create({ data: { userId: person.id, role: change.role } });
    else await tx.userRole.delete({ where: { userId_role: { userId: person.id, role: change.role } } });
    await audit(tx, {
      actorId: actor.id,
      action: change.kind === "grant" ? "person.roleGranted" : "person.roleRemoved",
      personId: person.id,
      reason,
      data: { role: change.role },
      now,
    });
    return { ok: true, name: person.name } as const;
  });
}

export type GrantByEmailResult = (ChangeResult & { personId?: string }) | { ok: false; unknownEmail: true; message: string };

/** Grants a role to the account of this address; for an unknown address, says so (the page offers to invite). */
export async function grantRoleByEmail(input: { actor: CurrentUser; email: string; role: Role; reason: string; now?: Date }): Promise<GrantByEmailResult> {
  if (!can(input.actor, "people.view")) return FORBIDDEN;
  const person = await db.user.findUnique({ where: { email: input.email.toLowerCase() }, select: { id: true } });
  if (!person) {
    return {
      ok: false,
      unknownEmail: true,
      message: `Aucun compte n'utilise l'adresse ${input.email}. Vous pouvez inviter cette personne ci-dessous : elle recevra un lien pour choisir son mot de passe.`,
    };
  }
  const result = await changeRole({ actor: input.actor, personId: person.id, change: { kind: "grant", role: input.role }, reason: input.reason, now: input.now });
  return { ...result, personId: person.id };
}

/**
 * Deactivates an account: its data stays, every session ends in the same transaction (the
 * next request with its cookie is anonymous), unused links stop working, login is refused.
 */
export async function deactivatePerson(input: { actor: CurrentUser; personId: string; reason: string; now?: Date }) {
  const { personId, reason, now = new Date() } = input;
  if (!can(input.actor, "people.view")) return FORBIDDEN;
  return db.$transaction(async (tx) => {
    await lockAdmins(tx);
    const actor = await actingAdmin(tx, input.actor);
    if (!actor) return FORBIDDEN;
    const person = await personState(tx, personId);
    if (!person) return NOT_FOUND;
    const refusal = deactivationRefusal(actor, person, await activeAdminCount(tx));
    if (refusal) return { ok: false, message: refusal } as const;
    await tx.user.update({ where: { id: person.id }, data: { deactivatedAt: now } });
    const ended = await tx.authSession.deleteMany({ where: { userId: person.id } });
    await tx.oneTimeToken.updateMany({ where: { userId: person.id, usedAt: null }, data: { usedAt: now } });
    await audit(tx, { actorId: actor.id, action: "person.deactivated", personId: person.id, reason, data: { sessionsEnded: ended.count }, now });
    const upcoming = await tx.session.count({ where: { trainerId: person.id, status: "SCHEDULED", slots: { some: { startsAt: { gt: now } } } } });
    return { ok: true, name: person.name, upcomingSessions: upcoming } as const;
  });
}

/** Staff say whether a trainer is on the organisation's staff or external (subcontracted): BPF section E. */
export async function setExternalTrainer(input: { actor: CurrentUser; personId: string; external: boolean; now?: Date }): Promise<ChangeResult> {
  const { personId, external, now = new Date() } = input;
  if (!can(input.actor, "people.view")) return FORBIDDEN;
  return db.$transaction(async (tx) => {
    const actor = await actingAdmin(tx, input.actor);
    if (!actor) return FORBIDDEN;
    const person = await tx.user.findUnique({ where: { id: personId }, select: { id: true, name: true, externalTrainer: true } });
    if (!person) return NOT_FOUND;
    if (person.externalTrainer !== external) {
      await tx.user.update({ where: { id: person.id }, data: { externalTrainer: external } });
      await audit(tx, { actorId: actor.id, action: "person.trainerStatusSet", personId: person.id, reason: external ? "Formateur·rice extérieur·e" : "Formateur·rice de l'organisme", data: { external }, now });
    }
    return { ok: true, name: person.name } as const;
  });
}

export async function reactivatePerson(input: { actor: CurrentUser; personId: string; reason: string; now?: Date }): Promise<ChangeResult> {
  const { personId, reason, now = new Date() } = input;
  if (!can(input.actor, "people.view")) return FORBIDDEN;
  return db.$transaction(async (tx) => {
    const actor = await actingAdmin(tx, input.actor);
    if (!actor) return FORBIDDEN;
    const person = await personState(tx, personId);
    if (!person) return NOT_FOUND;
    const refusal = reactivationRefusal(actor, person);
    if (refusal) return { ok: false, message: refusal } as const;
    await tx.user.update({ where: { id: person.id }, data: { deactivatedAt: null } });
    await audit(tx, { actorId: actor.id, action: "person.reactivated", personId: person.id, reason, now });
    return { ok: true, name: person.name } as const;
  });
}

const setupUrl = (token: string) => `${getEnv().APP_URL}/activer-mon-compte?token=${encodeURIComponent(token)}`;
const SETUP_DAYS = TOKEN_TTL_MS.ACCOUNT_SETUP / (24 * 3600_000);

async function enqueueSetupMail(tx: Tx, person: { id: string; name: string; email: string }, inviterName: string, role: Role, now: Date) {
  const token = await issueOneTimeToken(tx, person.id, "ACCOUNT_SETUP", now);
  await enqueueMail(tx, {
    template: "account-invitation",
    to: person.email,
    data: { name: person.name, inviterName, roleLabel: ROLE_LABELS[role], url: setupUrl(token), expiresInDays: SETUP_DAYS },
  });
}

export type InviteResult = { ok: true; personId: string } | { ok: false; field: "email" | "form"; message: string; existingPersonId?: string };

/** Opens an account with this role and sends, through the outbox, a link to choose its password. */
export async function invitePerson(input: {
  actor: CurrentUser;
  email: string;
  name: string;
  role: Role;
  reason: string;
  now?: Date;
}): Promise<InviteResult> {
  const { email, name, role, reason, now = new Date() } = input;
  if (!can(input.actor, "people.invite")) return { ok: false, field: "form", message: FORBIDDEN.message };
  const existingMessage = "Un compte existe déjà pour cette adresse : ouvrez sa fiche pour lui donner le rôle.";
  try {
    return await db.$transaction(async (tx): Promise<InviteResult> => {
      const actor = await actingAdmin(tx, input.actor);
      if (!actor) return { ok: false, field: "form", message: FORBIDDEN.message };
      const existing = await tx.user.findUnique({ where: { email }, select: { id: true } });
      if (existing) return { ok: false, field: "email", message: existingMessage, existingPersonId: existing.id };
      const person = await tx.user.create({ data: { email, name, roles: { create: [{ role }] } }, select: { id: true, name: true, email: true } });
      await enqueueSetupMail(tx, person, actor.name, role, now);
      await audit(tx, { actorId: actor.id, action: "person.invited", personId: person.id, reason, data: { role }, now });
      return { ok: true, personId: person.id };
    });
  } catch (e) {
    // The same address invited twice at the same instant: the second is told it exists.
    if (isUniqueViolation(e)) return { ok: false, field: "email", message: existingMessage };
    throw e;
  }
}

/** Sends again the link to choose a first password, to someone invited who never used it. */
export async function resendInvitation(input: { actor: CurrentUser; personId: string; now?: Date }): Promise<ChangeResult> {
  const { personId, now = new Date() } = input;
  if (!can(input.actor, "people.invite")) return FORBIDDEN;
  return db.$transaction(async (tx) => {
    const actor = await actingAdmin(tx, input.actor);
    if (!actor) return FORBIDDEN;
    const person = await tx.user.findUnique({
      where: { id: personId },
      select: { id: true, name: true, email: true, passwordHash: true, deactivatedAt: true, roles: { select: { role: true } } },
    });
    if (!person) return NOT_FOUND;
    if (person.passwordHash) return { ok: false, message: "Cette personne a déjà choisi son mot de passe." } as const;
    if (person.deactivatedAt) return { ok: false, message: "Ce compte est désactivé : réactivez-le d'abord." } as const;
    const role = (["ADMIN", "TRAINER", "LEARNER"] as const).find((r) => person.roles.some((x) => x.role === r)) ?? "LEARNER";
    await enqueueSetupMail(tx, person, actor.name, role, now);
    return { ok: true, name: person.name } as const;
  });
}

// ───────────────────────── First admin (npm run admin:create) ─────────────────────────

export type FirstAdminResult = { created: boolean; alreadyAdmin: boolean; reactivated: boolean; userId: string; setupUrl: string | null; otherAdmins: number };

/**
 * Makes this address an administrator: creates the account, or gives the admin role to an
 * existing one (reactivating it if needed). Returns a one-time link to choose a password,
 * or, with `sendMail`, puts the usual invitation mail in the outbox instead.
 */
export async function createFirstAdmin(input: { email: string; name: string; sendMail?: boolean; now?: Date }): Promise<FirstAdminResult> {
  const { name, sendMail = false, now = new Date() } = input;
  const email = input.email.toLowerCase();
  return db.$transaction(async (tx) => {
    await lockAdmins(tx);
    const otherAdmins = await tx.user.count({ where: { email: { not: email }, deactivatedAt: null, roles: { some: { role: "ADMIN" } } } });
    const existing = await tx.user.findUnique({ where: { email }, select: { id: true, deactivatedAt: true, roles: { select: { role: true } } } });
    const reason = "Compte administrateur créé en ligne de commande (npm run admin:create).";
    let userId: string;
    if (existing) {
      userId = existing.id;
      if (!existing.roles.some((r) => r.role === "ADMIN")) {
        await tx.userRole.create({ data: { userId, role: "ADMIN" } });
        await audit(tx, { actorId: null, action: "person.roleGranted", personId: userId, reason, data: { role: "ADMIN" }, now });
      }
      if (existing.deactivatedAt) {
        await tx.user.update({ where: { id: userId }, data: { deactivatedAt: null } });
        await audit(tx, { actorId: null, action: "person.reactivated", personId: userId, reason, now });
      }
    } else {
      userId = (await tx.user.create({ data: { email, name, roles: { create: [{ role: "ADMIN" }] } }, select: { id: true } })).id;
      await audit(tx, { actorId: null, action: "person.invited", personId: userId, reason, data: { role: "ADMIN" }, now });
    }
    const person = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, name: true, email: true } });
    let url: string | null = null;
    if (sendMail) await enqueueSetupMail(tx, person, "L'équipe Maillon", "ADMIN", now);
    else url = setupUrl(await issueOneTimeToken(tx, userId, "ACCOUNT_SETUP", now));
    return { created: !existing, alreadyAdmin: !!existing?.roles.some((r) => r.role === "ADMIN"), reactivated: !!existing?.deactivatedAt, userId, setupUrl: url, otherAdmins };
  });
}
