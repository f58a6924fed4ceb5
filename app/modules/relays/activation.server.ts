/**
 * Keeping each relay's status in step with its staff's certificates. Called in the same
 * transaction as whatever may change it (a certificate issued or revoked, a member joining
 * or removed, an application approved, N changed, a relay reinstated); pages that show the
 * status re-check it at read time (a certificate expires without any event), and a daily
 * job is the safety net. The rule itself is pure: activation.rules.ts.
 */
import { enqueueMail } from "~/modules/mail/outbox.server";
import type { Tx } from "~/utils/db.server";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { certifiedStaffIds, relayStatusFor, type RelayStatus } from "./activation.rules";

const certificateDates = { moduleId: true, issuedAt: true, expiresAt: true, revokedAt: true, supersededAt: true } as const;

/** The relay's members with their certificates of the required module. */
export async function loadRelayStaff(tx: Tx, relay: { structureId: string; requiredModuleId: string }) {
  const members = await tx.membership.findMany({
    where: { structureId: relay.structureId },
    select: { userId: true, user: { select: { certificates: { where: { moduleId: relay.requiredModuleId }, select: certificateDates } } } },
  });
  return members.map((m) => ({ userId: m.userId, certificates: m.user.certificates }));
}

export type RelayScope = { relayIds: string[] } | { userId: string } | { structureId: string };

/**
 * Recomputes the status of the relays in scope (given relays, or every relay the person is
 * a member of) and writes the ones that changed: conditional update on the status read,
 * audit entry, mail to the relay's referents. Returns the relays whose status changed.
 */
export async function refreshRelayActivation(tx: Tx, scope: RelayScope, now = new Date()): Promise<{ relayId: string; from: RelayStatus; to: RelayStatus }[]> {
  const relays = await tx.relay.findMany({
    where:
      "relayIds" in scope
        ? { id: { in: scope.relayIds } }
        : "structureId" in scope
          ? { structureId: scope.structureId }
          : { structure: { memberships: { some: { userId: scope.userId } } } },
    select: { id: true, status: true, structureId: true, requiredModuleId: true, requiredCertifiedStaff: true, structure: { select: { name: true } } },
  });
  const changes: { relayId: string; from: RelayStatus; to: RelayStatus }[] = [];
  for (const relay of relays) {
    const staff = await loadRelayStaff(tx, relay);
    const certifiedCount = certifiedStaffIds(staff, relay.requiredModuleId, now).length;
    const to = relayStatusFor({ current: relay.status, certifiedCount, requiredCertifiedStaff: relay.requiredCertifiedStaff });
    if (to === relay.status) continue;
    const { count } = await tx.relay.updateMany({
      where: { id: relay.id, status: relay.status },
      data: { status: to, statusReason: null, ...(to === "ACTIVE" ? { activatedAt: now } : {}) },
    });
    if (count !== 1) continue;
    await tx.auditLog.create({
      data: {
        actorId: null,
        action: to === "ACTIVE" ? "relay.activated" : "relay.pending_certification",
        entityType: "Relay",
        entityId: relay.id,
        data: { certifiedCount, required: relay.requiredCertifiedStaff },
        createdAt: now,
      },
    });
    await mailRelayReferents(tx, relay.structureId, { structureName: relay.structure.name, status: to, reason: null });
    changes.push({ relayId: relay.id, from: relay.status, to });
  }
  return changes;
}

export async function mailRelayReferents(
  tx: Tx,
  structureId: string,
  data: { structureName: string; status: RelayStatus; reason: string | null },
) {
  const referents = await tx.membership.findMany({ where: { structureId, role: "REFERENT" }, select: { user: { select: { email: true } } } });
  for (const r of referents) {
    await enqueueMail(tx, { template: "relay-status-changed", to: r.user.email, data: { ...data, url: `${getEnv().APP_URL}/espace-relais` } });
  }
}

/** Every relay not suspended, each in its own transaction: certificates expire without any event. */
export async function refreshAllRelays(now = new Date()): Promise<number> {
  const relays = await db.relay.findMany({ where: { status: { not: "SUSPENDED" } }, select: { id: true } });
  let changed = 0;
  for (const { id } of relays) {
    changed += (await db.$transaction((tx) => refreshRelayActivation(tx, { relayIds: [id] }, now))).length;
  }
  return changed;
}

