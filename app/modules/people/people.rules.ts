/**
 * The rules of people management (/admin/personnes): who may lose which role, who may be
 * deactivated. Pure functions over plain data; the module applies them inside a
 * transaction that holds the admins' lock, so two staff members acting at the same second
 * cannot leave the portal without an administrator.
 */
import { can, type Actor, type Role } from "~/modules/auth/permissions.rules";

export const ROLES = ["LEARNER", "TRAINER", "ADMIN"] as const satisfies readonly Role[];
/** Who can be invited by e-mail: a trainer or a staff member (learners sign up themselves). */
export const INVITABLE_ROLES = ["TRAINER", "ADMIN"] as const satisfies readonly Role[];

export const ROLE_LABELS: Record<Role, string> = {
  LEARNER: "Apprenant·e",
  TRAINER: "Formateur·rice",
  ADMIN: "Administrateur·rice",
};

export const REASON_MIN = 5;

export type PersonState = { id: string; name: string; roles: readonly Role[]; deactivatedAt: Date | null };
export type RoleChange = { kind: "grant" | "remove"; role: Role };

export const LAST_ADMIN_MESSAGE =
  "C'est le dernier compte administrateur actif : donnez d'abord le rôle administrateur à une autre personne.";
export const OWN_ADMIN_ROLE_MESSAGE =
  "Vous ne pouvez pas retirer votre propre rôle administrateur : demandez-le à une autre personne administratrice.";
export const OWN_DEACTIVATION_MESSAGE = "Vous ne pouvez pas désactiver votre propre compte.";

const isActiveAdmin = (person: PersonState) => person.deactivatedAt === null && person.roles.includes("ADMIN");

/**
 * Why this role change is refused (a French sentence), or null when it may be made.
 * `activeAdmins` counts the active accounts holding the admin role, the person included.
 */
export function roleChangeRefusal(actor: Actor, person: PersonState, change: RoleChange, activeAdmins: number): string | null {
  const label = ROLE_LABELS[change.role].toLowerCase();
  if (change.kind === "grant") {
    if (!can(actor, "person.grantRole", { personId: person.id, role: change.role })) return "Vous ne pouvez pas donner de rôle.";
    return person.roles.includes(change.role) ? `${person.name} a déjà le rôle ${label}.` : null;
  }
  if (!person.roles.includes(change.role)) return `${person.name} n'a pas le rôle ${label}.`;
  if (change.role === "ADMIN" && isActiveAdmin(person) && activeAdmins <= 1) return LAST_ADMIN_MESSAGE;
  if (!can(actor, "person.removeRole", { personId: person.id, role: change.role })) {
    return actor && actor.id === person.id && change.role === "ADMIN" ? OWN_ADMIN_ROLE_MESSAGE : "Vous ne pouvez pas retirer de rôle.";
  }
  return null;
}

export function deactivationRefusal(actor: Actor, person: PersonState, activeAdmins: number): string | null {
  if (actor && actor.id === person.id) return OWN_DEACTIVATION_MESSAGE;
  if (person.deactivatedAt) return "Ce compte est déjà désactivé.";
  if (isActiveAdmin(person) && activeAdmins <= 1) return LAST_ADMIN_MESSAGE;
  if (!can(actor, "person.deactivate", { personId: person.id })) return "Vous ne pouvez pas désactiver de compte.";
  return null;
}

export function reactivationRefusal(actor: Actor, person: PersonState): string | null {
  if (!can(actor, "person.reactivate", { personId: person.id })) return "Vous ne pouvez pas réactiver de compte.";
  return person.deactivatedAt ? null : "Ce compte est déjà actif.";
}
