/**
 * Who may do what: pure functions over plain data (no I/O), so the whole policy is
 * readable in one place and tested as a table (permissions.test.ts). Anything not
 * explicitly allowed here is refused, including an action whose target is missing.
 * Routes reach these through require.server.ts; module functions call `can` again
 * before writing, so a forgotten route check is not a hole.
 */

export type Role = "LEARNER" | "TRAINER" | "ADMIN";
export type MembershipRole = "MEMBER" | "REFERENT";

export type ActorMembership = {
  structureId: string;
  role: MembershipRole;
  /** The structure's Relais Numérique status ("ACTIVE", "SUSPENDED"...), null when it is not a relay. */
  relayStatus: string | null;
};

/** The logged-in person as the rules see them; `CurrentUser` fits. null is anonymous. */
export type Actor = {
  id: string;
  roles: readonly Role[];
  memberships: readonly ActorMembership[];
} | null;

export type PermissionTarget = {
  /** The structure acted upon (invite, members, recharges of its relay). */
  structureId?: string;
  /** For a training session: its trainer (null when none is assigned yet). */
  sessionTrainerId?: string | null;
  /** For a relay application: who applied. */
  applicantId?: string;
  /** For people management: the person acted upon, and the role granted or removed. */
  personId?: string;
  role?: Role;
};

export const ACTIONS = [
  "admin.access",
  "trainer.space",
  "structure.invite",
  "structure.viewMembers",
  "structure.removeMember",
  "relay.issueRecharges",
  "session.viewRoster",
  "relayApplication.edit",
  "relayApplication.view",
  "relayApplication.review",
  "relay.viewSpace",
  "relay.manage",
  "relay.suspend",
  "session.assess",
  "people.view",
  "people.invite",
  "person.grantRole",
  "person.removeRole",
  "person.deactivate",
  "person.reactivate",
] as const;
export type Action = (typeof ACTIONS)[number];

export const hasRole = (actor: Actor, role: Role): boolean => !!actor && actor.roles.includes(role);
export const isAdmin = (actor: Actor): boolean => hasRole(actor, "ADMIN");

export function membershipIn(actor: Actor, structureId: string | undefined): ActorMembership | null {
  if (!actor || !structureId) return null;
  return actor.memberships.find((m) => m.structureId === structureId) ?? null;
}

export const isMemberOf = (actor: Actor, structureId: string | undefined): boolean => !!membershipIn(actor, structureId);
export const isReferentOf = (actor: Actor, structureId: string | undefined): boolean =>
  membershipIn(actor, structureId)?.role === "REFERENT";

/** The structures whose members this person manages (invite, remove). */
export const referentStructureIds = (actor: Actor): string[] =>
  actor ? actor.memberships.filter((m) => m.role === "REFERENT").map((m) => m.structureId) : [];

/**
 * The structures for which this person may issue recharges: member of a relay that is
 * ACTIVE. A relay pending certification or suspended issues nothing. (Whether the person
 * holds a valid certificate is checked by the recharge module when it comes.)
 */
export const issuingRelayStructureIds = (actor: Actor): string[] =>
  actor ? actor.memberships.filter((m) => m.relayStatus === "ACTIVE").map((m) => m.structureId) : [];

/** A member of this structure, and the structure is a Relais Numérique (whatever its status). */
export function relayMembershipIn(actor: Actor, structureId: string | undefined): ActorMembership | null {
  const membership = membershipIn(actor, structureId);
  return membership && membership.relayStatus !== null ? membership : null;
}

export function can(actor: Actor, action: Action, target: PermissionTarget = {}): boolean {
  if (!actor) return false;
  switch (action) {
    case "admin.access":
      return isAdmin(actor);
    case "trainer.space":
      return hasRole(actor, "TRAINER");
    case "structure.invite":
    case "structure.removeMember":
      return !!target.structureId && (isAdmin(actor) || isReferentOf(actor, target.structureId));
    case "structure.viewMembers":
      return !!target.structureId && (isAdmin(actor) || isMemberOf(actor, target.structureId));
    case "relay.issueRecharges":
      return !!target.structureId && issuingRelayStructureIds(actor).includes(target.structureId);
    case "relayApplication.edit":
      return !!target.applicantId && target.applicantId === actor.id;
    case "relayApplication.view":
      return !!target.applicantId && (target.applicantId === actor.id || isAdmin(actor));
    case "relayApplication.review":
    case "relay.suspend":
      return isAdmin(actor);
    case "relay.viewSpace":
      return !!relayMembershipIn(actor, target.structureId);
    case "relay.manage":
      return relayMembershipIn(actor, target.structureId)?.role === "REFERENT";
    case "session.viewRoster":
    case "session.assess":
      if (isAdmin(actor)) return true;
      return !!target.sessionTrainerId && target.sessionTrainerId === actor.id && hasRole(actor, "TRAINER");
    case "people.view":
    case "people.invite":
      return isAdmin(actor);
    case "person.grantRole":
    case "person.reactivate":
      return isAdmin(actor) && !!target.personId;
    case "person.removeRole":
      // An admin cannot drop their own admin role: someone else must (the last-admin rule is in people.rules.ts).
      return isAdmin(actor) && !!target.personId && !!target.role && !(target.personId === actor.id && target.role === "ADMIN");
    case "person.deactivate":
      return isAdmin(actor) && !!target.personId && target.personId !== actor.id;
    default: {
      const unknown: never = action;
      void unknown;
      return false;
    }
  }
}
