import type { MembershipRole } from "~/generated/sqlite/enums";
import { can, type Actor } from "~/modules/auth/permissions.rules";
import { hashToken, newToken } from "~/modules/auth/tokens.server";
import { enqueueMail } from "~/modules/mail/outbox.server";
import { refreshRelayActivation } from "~/modules/relays/activation.server";
import type { RelayStatus } from "~/modules/relays/activation.rules";
import { db, type Tx } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { INVITATION_TTL_DAYS } from "./invitations.schema";

/**
 * A structure's people: its members, and the colleagues its referents invite by e-mail.
 * The invitation link carries a random token; only its SHA-256 is stored, and it is used
 * once, by the person whose account has the invited address.
 */
const DAY_MS = 24 * 3600_000;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

type Failure = { ok: false; field: "email" | "form"; message: string };

export type InvitingActor = NonNullable<Actor> & { name: string };

export async function inviteColleague(input: {
  actor: InvitingActor;
  structureId: string;
  email: string;
  role: MembershipRole;
  now?: Date;
}): Promise<{ ok: true; invitationId: string } | Failure> {
  const { actor, structureId, role, now = new Date() } = input;
  if (!can(actor, "structure.invite", { structureId })) {
    return { ok: false, field: "form", message: "Seul·e un·e référent·e de la structure peut inviter des collègues." };
  }
  const email = input.email.trim().toLowerCase();
  return db.$transaction(async (tx) => {
    const structure = await tx.structure.findUnique({ where: { id: structureId }, select: { name: true } });
    if (!structure) return { ok: false, field: "form", message: "Cette structure n'existe pas." } satisfies Failure;
    const alreadyMember = await tx.membership.findFirst({ where: { structureId, user: { email } }, select: { id: true } });
    if (alreadyMember) {
      return { ok: false, field: "email", message: "Cette personne fait déjà partie de la structure." } satisfies Failure;
    }
    const invitationId = await createInvitation(tx, { inviter: actor, structureId, structureName: structure.name, email, role, now });
    return { ok: true as const, invitationId };
  });
}

/**
 * Writes an invitation and its mail inside the caller's transaction (also used when an
 * approved relay application names a referent who has no account yet). Inviting the same
 * address again re-sends: only the newest link works.
 */
export async function createInvitation(
  tx: Tx,
  input: { inviter: { id: string; name: string }; structureId: string; structureName: string; email: string; role: MembershipRole; now: Date },
): Promise<string> {
  const { inviter, structureId, email, role, now } = input;
  const token = newToken();
  await tx.invitation.updateMany({
    where: { structureId, email, acceptedAt: null, expiresAt: { gt: now } },
    data: { expiresAt: now },
  });
  const invitation = await tx.invitation.create({
    data: {
      structureId,
      email,
      role,
      tokenHash: hashToken(token),
      invitedById: inviter.id,
      expiresAt: new Date(now.getTime() + INVITATION_TTL_DAYS * DAY_MS),
      createdAt: now,
    },
  });
  await enqueueMail(tx, {
    template: "invitation",
    to: email,
    data: {
      structureName: input.structureName,
      inviterName: inviter.name,
      url: `${getEnv().APP_URL}/invitation?token=${encodeURIComponent(token)}`,
      expiresInDays: INVITATION_TTL_DAYS,
    },
  });
  await tx.auditLog.create({
    data: {
      actorId: inviter.id,
      action: "structure.invitation_sent",
      entityType: "Invitation",
      entityId: invitation.id,
      data: { structureId, role },
      createdAt: now,
    },
  });
  return invitation.id;
}


export type InvitationView = {
  structureId: string;
  structureName: string;
  inviterName: string;
  email: string;
  role: MembershipRole;
  expiresAt: Date;
  state: "pending" | "accepted" | "expired";
};

/** What the invitation page shows; null for a link that matches no invitation. */
export async function getInvitation(token: string, now = new Date()): Promise<InvitationView | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  const row = await db.invitation.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { structure: { select: { name: true } }, invitedBy: { select: { name: true } } },
  });
  if (!row) return null;
  return {
    structureId: row.structureId,
    structureName: row.structure.name,
    inviterName: row.invitedBy.name,
    email: row.email,
    role: row.role,
    expiresAt: row.expiresAt,
    state: row.acceptedAt ? "accepted" : row.expiresAt <= now ? "expired" : "pending",
  };
}

export type AcceptFailureReason = "invalid" | "wrong_email" | "already_used" | "expired";

/**
 * Joins the structure. The logged-in account must have the invited address (login
 * requires a verified address, so this proves the person reads that mailbox). One
 * conditional update marks the invitation used: of two concurrent clicks, one wins.
 */
export async function acceptInvitation(input: {
  token: string;
  user: { id: string; email: string };
  now?: Date;
}): Promise<{ ok: true; structureId: string; structureName: string; relayChanges: { to: RelayStatus }[] } | { ok: false; reason: AcceptFailureReason }> {
  const { token, user, now = new Date() } = input;
  if (!TOKEN_SHAPE.test(token)) return { ok: false, reason: "invalid" };
  const tokenHash = hashToken(token);
  const email = user.email.toLowerCase();
  return db.$transaction(async (tx) => {
    const invitation = await tx.invitation.findUnique({ where: { tokenHash }, include: { structure: { select: { name: true } } } });
    if (!invitation) return { ok: false as const, reason: "invalid" as const };
    if (invitation.email !== email) return { ok: false as const, reason: "wrong_email" as const };
    const { count } = await tx.invitation.updateMany({
      where: { tokenHash, email, acceptedAt: null, expiresAt: { gt: now } },
      data: { acceptedAt: now },
    });
    if (count !== 1) {
      return { ok: false as const, reason: invitation.acceptedAt || invitation.expiresAt > now ? ("already_used" as const) : ("expired" as const) };
    }
    const existing = await tx.membership.findUnique({
      where: { userId_structureId: { userId: user.id, structureId: invitation.structureId } },
    });
    // An invitation can raise a member to referent, never lower a referent.
    if (!existing) {
      await tx.membership.create({ data: { userId: user.id, structureId: invitation.structureId, role: invitation.role, createdAt: now } });
    } else if (existing.role === "MEMBER" && invitation.role === "REFERENT") {
      await tx.membership.update({ where: { id: existing.id }, data: { role: "REFERENT" } });
    }
    await tx.auditLog.create({
      data: {
        actorId: user.id,
        action: "structure.invitation_accepted",
        entityType: "Invitation",
        entityId: invitation.id,
        data: { structureId: invitation.structureId, role: invitation.role },
        createdAt: now,
      },
    });
    // A certified person joining may be what the relay was waiting for: same transaction.
    const relayChanges = await refreshRelayActivation(tx, { structureId: invitation.structureId }, now);
    return { ok: true as const, structureId: invitation.structureId, structureName: invitation.structure.name, relayChanges };
  });
}

export type StructureMember = { userId: string; name: string; email: string; role: MembershipRole; since: Date };

/** Referents first, then by name. */
export async function listStructureMembers(structureId: string): Promise<StructureMember[]> {
  const rows = await db.membership.findMany({
    where: { structureId },
    include: { user: { select: { name: true, email: true } } },
  });
  return rows
    .map((m) => ({ userId: m.userId, name: m.user.name, email: m.user.email, role: m.role, since: m.createdAt }))
    .sort((a, b) => (a.role === b.role ? a.name.localeCompare(b.name, "fr") : a.role === "REFERENT" ? -1 : 1));
}

export type PendingInvitation = { id: string; email: string; role: MembershipRole; invitedBy: string; sentAt: Date; expiresAt: Date };

export async function listPendingInvitations(structureId: string, now = new Date()): Promise<PendingInvitation[]> {
  const rows = await db.invitation.findMany({
    where: { structureId, acceptedAt: null, expiresAt: { gt: now } },
    include: { invitedBy: { select: { name: true } } },
    orderBy: { createdAt: "desc" },
  });
  return rows.map((i) => ({ id: i.id, email: i.email, role: i.role, invitedBy: i.invitedBy.name, sentAt: i.createdAt, expiresAt: i.expiresAt }));
}

export async function getStructureName(structureId: string): Promise<string | null> {
  const row = await db.structure.findUnique({ where: { id: structureId }, select: { name: true } });
  return row?.name ?? null;
}

class LastReferentError extends Error {}

/** Removes a person from a structure (its relay's status follows). A structure always keeps at least one referent. */
export async function removeMember(input: {
  actor: NonNullable<Actor>;
  structureId: string;
  userId: string;
  now?: Date;
}): Promise<{ ok: true; relayChanges: { to: RelayStatus }[] } | { ok: false; message: string }> {
  const { actor, structureId, userId, now = new Date() } = input;
  if (!can(actor, "structure.removeMember", { structureId })) {
    return { ok: false, message: "Seul·e un·e référent·e de la structure peut retirer un membre." };
  }
  try {
    return await db.$transaction(async (tx) => {
      // Touching the structure row first locks it (PostgreSQL) so that two removals in the
      // same structure run one after the other; SQLite already serialises writers.
      await tx.structure.updateMany({ where: { id: structureId }, data: { updatedAt: now } });
      const { count } = await tx.membership.deleteMany({ where: { structureId, userId } });
      if (count !== 1) return { ok: false as const, message: "Cette personne ne fait plus partie de la structure." };
      // Counted after the delete, in the same transaction: a failed check rolls it back.
      const referentsLeft = await tx.membership.count({ where: { structureId, role: "REFERENT" } });
      if (referentsLeft === 0) throw new LastReferentError();
      await tx.auditLog.create({
        data: { actorId: actor.id, action: "structure.member_removed", entityType: "Structure", entityId: structureId, data: { userId }, createdAt: now },
      });
      // The relay (if the structure is one) may have lost its last certified member: same transaction.
      const relayChanges = await refreshRelayActivation(tx, { structureId }, now);
      return { ok: true as const, relayChanges };
    });
  } catch (e) {
    if (e instanceof LastReferentError) {
      return { ok: false, message: "La structure doit garder au moins un·e référent·e : invitez-en un·e autre avant de retirer celle-ci ou celui-ci." };
    }
    throw e;
  }
}
