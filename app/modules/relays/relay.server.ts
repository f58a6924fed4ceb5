/**
 * A Relais Numérique once approved: its space (staff, certification, details, convention),
 * staff's suspension and reinstatement, and the public directory with its open-data export.
 * Every function takes the acting person and checks `can` before reading or writing.
 */
import { can, type Actor } from "~/modules/auth/permissions.rules";
import { removeMember } from "~/modules/structures/invitations.server";
import { db } from "~/utils/db.server";
import { certifiedStaffIds, missingCertifiedStaff, relayStatusFor, type RelayStatus } from "./activation.rules";
import { loadRelayStaff, mailRelayReferents, refreshRelayActivation } from "./activation.server";
import { rankByPostcode } from "./directory.rules";
import { currentIdentity } from "~/modules/organisation/identity.server";
import {
  describeOpeningHours,
  formatDayInput,
  legacyServicesText,
  parseOsmOpeningHours,
  relayServices,
  toMediationPlaces,
  WEEKDAYS,
  type MediationPlaceRow,
  type OpenDataRelay,
  type MediationService,
} from "./open-data.rules";

type Failure = { ok: false; message: string };

// ───────────────────────── Acting structure ─────────────────────────

/** The relay structures this person belongs to, and the one they act for (remembered per login). */
export async function relayChoices(user: { id: string; sessionId: string; memberships: readonly { structureId: string; structureName: string; role: string; relayStatus: string | null }[] }) {
  const relays = user.memberships.filter((m) => m.relayStatus !== null);
  const session = await db.authSession.findUnique({ where: { id: user.sessionId }, select: { actingStructureId: true } });
  const acting = relays.find((m) => m.structureId === session?.actingStructureId) ?? (relays.length === 1 ? relays[0] : undefined);
  return { relays, actingStructureId: acting?.structureId ?? null };
}

/** Remembers which structure the person acts for, for this login only; refused for a structure they are not in. */
export async function setActingStructure(actor: NonNullable<Actor> & { sessionId: string }, structureId: string): Promise<boolean> {
  if (!can(actor, "relay.viewSpace", { structureId })) return false;
  await db.authSession.updateMany({ where: { id: actor.sessionId, userId: actor.id }, data: { actingStructureId: structureId } });
  return true;
}

// ───────────────────────── Relay space ─────────────────────────

export async function getRelaySpace(actor: Actor, structureId: string, now = new Date()) {
  if (!can(actor, "relay.viewSpace", { structureId })) return null;
  const relay = await db.relay.findUnique({
    where: { structureId },
    include: {
      structure: { select: { name: true, siret: true, rna: true, type: true, address: true, postcode: true, city: true } },
      requiredModule: { select: { id: true, title: true, slug: true } },
    },
  });
  if (!relay) return null;
  const [members, staff, sessions, pending] = await Promise.all([
    db.membership.findMany({ where: { structureId }, select: { userId: true, role: true, user: { select: { name: true, email: true } } } }),
    db.$transaction((tx) => loadRelayStaff(tx, relay)),
    db.session.findMany({
      where: { moduleId: relay.requiredModuleId, status: "SCHEDULED", OR: [{ kind: "INTER" }, { structureId }], slots: { some: {}, none: { startsAt: { lte: now } } } },
      select: { id: true, city: true, format: true, capacity: true, seatsTaken: true, slots: { select: { startsAt: true }, orderBy: { startsAt: "asc" }, take: 1 } },
      take: 20,
    }),
    db.invitation.findMany({ where: { structureId, acceptedAt: null, expiresAt: { gt: now } }, select: { id: true, email: true, role: true, expiresAt: true }, orderBy: { createdAt: "desc" } }),
  ]);
  const certified = new Set(certifiedStaffIds(staff, relay.requiredModuleId, now));
  const status = await statusAtReadTime(relay, certified.size, now);
  return {
    relay: {
      id: relay.id,
      status,
      statusReason: relay.statusReason,
      requiredCertifiedStaff: relay.requiredCertifiedStaff,
      description: relay.description,
      services: relayServices(relay.services),
      legacyServices: legacyServicesText(relay.services),
      hoursInput: hoursInput(relay.openingHours),
      legacyHours: parseOsmOpeningHours(relay.openingHours) || !relay.openingHours?.trim() ? null : relay.openingHours,
      hoursLines: describeOpeningHours(relay.openingHours),
      conventionAcceptedAt: relay.conventionAcceptedAt,
      conventionAcceptedName: relay.conventionAcceptedName,
      requiredModule: relay.requiredModule,
    },
    structure: { id: structureId, ...relay.structure },
    members: members
      .map((m) => ({ userId: m.userId, name: m.user.name, email: m.user.email, role: m.role, certified: certified.has(m.userId) }))
      .sort((a, b) => (a.role === b.role ? a.name.localeCompare(b.name, "fr") : a.role === "REFERENT" ? -1 : 1)),
    certifiedCount: certified.size,
    missing: status === "SUSPENDED" ? 0 : missingCertifiedStaff(certified.size, relay.requiredCertifiedStaff),
    nextSessions: sessions
      .filter((s) => s.slots[0])
      .map((s) => ({ id: s.id, city: s.city, format: s.format, seatsLeft: Math.max(0, s.capacity - s.seatsTaken), startsAt: s.slots[0]!.startsAt }))
      .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime()),
    pendingInvitations: pending,
    canManage: can(actor, "relay.manage", { structureId }),
  };
}

/** Each weekday's hours as the form shows them ("9h-12h, 13h30-17h"), from the stored OSM hours. */
function hoursInput(osm: string | null): Record<string, string> {
  const week = parseOsmOpeningHours(osm);
  return Object.fromEntries(WEEKDAYS.map((d) => [d.osm, week ? formatDayInput(week[d.osm]) : ""]));
}

export type RelayDetailsInput = { description: string | null; services: string | null; openingHours: string | null };

export async function updateRelayDetails(input: { actor: NonNullable<Actor>; structureId: string; details: RelayDetailsInput; now?: Date }): Promise<{ ok: true } | Failure> {
  const { actor, structureId, details, now = new Date() } = input;
  if (!can(actor, "relay.manage", { structureId })) return { ok: false, message: "Seul·e un·e référent·e du relais peut modifier ses informations." };
  return db.$transaction(async (tx) => {
    const { count } = await tx.relay.updateMany({ where: { structureId }, data: { ...details, updatedAt: now } });
    if (count !== 1) return { ok: false as const, message: "Ce relais n'existe pas." };
    await tx.auditLog.create({ data: { actorId: actor.id, action: "relay.details_updated", entityType: "Structure", entityId: structureId, createdAt: now } });
    return { ok: true as const };
  });
}

/** Removes a member (the structure keeps a referent); the relay's status is recomputed in the same transaction. */
export async function removeRelayMember(input: { actor: NonNullable<Actor>; structureId: string; userId: string; now?: Date }) {
  if (!can(input.actor, "relay.manage", { structureId: input.structureId })) return { ok: false as const, message: "Seul·e un·e référent·e du relais peut retirer un membre." };
  return removeMember(input);
}

/** The referent accepts the partnership agreement online: name typed, date and IP recorded, once. */
export async function acceptConvention(input: { actor: NonNullable<Actor>; structureId: string; name: string; ip: string; now?: Date }): Promise<{ ok: true } | Failure> {
  const { actor, structureId, name, ip, now = new Date() } = input;
  if (!can(actor, "relay.manage", { structureId })) return { ok: false, message: "Seul·e un·e référent·e du relais peut accepter la convention." };
  return db.$transaction(async (tx) => {
    const { count } = await tx.relay.updateMany({
      where: { structureId, conventionAcceptedAt: null },
      data: { conventionAcceptedAt: now, conventionAcceptedName: name, conventionAcceptedIp: ip },
    });
    if (count !== 1) return { ok: false as const, message: "La convention a déjà été acceptée." };
    await tx.auditLog.create({ data: { actorId: actor.id, action: "relay.convention_accepted", entityType: "Structure", entityId: structureId, data: { name, ip }, createdAt: now } });
    return { ok: true as const };
  });
}

/** What the convention PDF prints; null when this person may not see it. */
export async function getConventionData(actor: Actor, structureId: string) {
  if (!can(actor, "relay.viewSpace", { structureId })) return null;
  const relay = await db.relay.findUnique({
    where: { structureId },
    select: {
      id: true,
      createdAt: true,
      requiredCertifiedStaff: true,
      conventionAcceptedAt: true,
      conventionAcceptedName: true,
      conventionAcceptedIp: true,
      requiredModule: { select: { title: true } },
      structure: { select: { name: true, siret: true, rna: true, address: true, postcode: true, city: true } },
      application: { select: { referentName: true, referentEmail: true, decidedAt: true } },
    },
  });
  return relay;
}

// ───────────────────────── Staff ─────────────────────────

export async function getRelayForStaff(actor: Actor, relayId: string, now = new Date()) {
  if (!can(actor, "relay.suspend")) return null;
  const relay = await db.relay.findUnique({ where: { id: relayId }, include: { structure: { select: { name: true } }, requiredModule: { select: { title: true } } } });
  if (!relay) return null;
  const staff = await db.$transaction((tx) => loadRelayStaff(tx, relay));
  const history = await relayHistory(relayId);
  const certifiedCount = certifiedStaffIds(staff, relay.requiredModuleId, now).length;
  const status = await statusAtReadTime(relay, certifiedCount, now);
  const journal = status === relay.status ? history : await relayHistory(relayId);
  return { ...relay, status, staffCount: staff.length, certifiedCount, history: journal };
}

const relayHistory = (relayId: string) =>
  db.auditLog.findMany({
    where: { entityType: "Relay", entityId: relayId },
    orderBy: { createdAt: "asc" },
    select: { action: true, reason: true, createdAt: true, actor: { select: { name: true } } },
  });

/**
 * A certificate expires without any event, so a page showing a relay's status checks the
 * rule at `now`; when the stored status lags (the daily job has not run yet), it is
 * corrected there and then, audited and mailed like any other change.
 */
async function statusAtReadTime(
  relay: { id: string; status: RelayStatus; requiredCertifiedStaff: number },
  certifiedCount: number,
  now: Date,
): Promise<RelayStatus> {
  const expected = relayStatusFor({ current: relay.status, certifiedCount, requiredCertifiedStaff: relay.requiredCertifiedStaff });
  if (expected === relay.status) return relay.status;
  await db.$transaction((tx) => refreshRelayActivation(tx, { relayIds: [relay.id] }, now));
  const stored = await db.relay.findUnique({ where: { id: relay.id }, select: { status: true } });
  return stored?.status ?? relay.status;
}

/** Staff suspend a relay (it stops issuing and leaves the directory) or lift the suspension, with a reason. */
export async function setRelaySuspension(input: { actor: NonNullable<Actor>; relayId: string; suspend: boolean; reason: string; now?: Date }): Promise<{ ok: true } | Failure> {
  const { actor, relayId, suspend, reason, now = new Date() } = input;
  if (!can(actor, "relay.suspend")) return { ok: false, message: "Seule l'équipe de l'association peut suspendre un relais." };
  return db.$transaction(async (tx) => {
    const relay = await tx.relay.findUnique({ where: { id: relayId }, select: { status: true, structureId: true, requiredModuleId: true, requiredCertifiedStaff: true, structure: { select: { name: true } } } });
    if (!relay) return { ok: false as const, message: "Ce relais n'existe pas." };
    if (suspend === (relay.status === "SUSPENDED")) return { ok: false as const, message: suspend ? "Ce relais est déjà suspendu." : "Ce relais n'est pas suspendu." };
    let to: typeof relay.status = "SUSPENDED";
    if (!suspend) {
      const staff = await loadRelayStaff(tx, relay);
      to = relayStatusFor({ current: "PENDING_CERTIFICATION", certifiedCount: certifiedStaffIds(staff, relay.requiredModuleId, now).length, requiredCertifiedStaff: relay.requiredCertifiedStaff });
    }
    const { count } = await tx.relay.updateMany({
      where: { id: relayId, status: relay.status },
      data: { status: to, statusReason: suspend ? reason : null, ...(to === "ACTIVE" ? { activatedAt: now } : {}) },
    });
    if (count !== 1) return { ok: false as const, message: "Le relais vient de changer : rechargez la page." };
    await tx.auditLog.create({ data: { actorId: actor.id, action: suspend ? "relay.suspended" : "relay.reinstated", entityType: "Relay", entityId: relayId, reason, data: { to }, createdAt: now } });
    await mailRelayReferents(tx, relay.structureId, { structureName: relay.structure.name, status: to, reason });
    return { ok: true as const };
  });
}

/** N, the number of certified staff a relay needs; the status follows at once. */
export async function setRequiredCertifiedStaff(input: { actor: NonNullable<Actor>; relayId: string; required: number; now?: Date }): Promise<{ ok: true; relayChanges: { to: RelayStatus }[] } | Failure> {
  const { actor, relayId, required, now = new Date() } = input;
  if (!can(actor, "relay.suspend")) return { ok: false, message: "Seule l'équipe de l'association fixe ce nombre." };
  return db.$transaction(async (tx) => {
    const { count } = await tx.relay.updateMany({ where: { id: relayId }, data: { requiredCertifiedStaff: required } });
    if (count !== 1) return { ok: false as const, message: "Ce relais n'existe pas." };
    await tx.auditLog.create({ data: { actorId: actor.id, action: "relay.required_staff_changed", entityType: "Relay", entityId: relayId, data: { required }, createdAt: now } });
    const relayChanges = await refreshRelayActivation(tx, { relayIds: [relayId] }, now);
    return { ok: true as const, relayChanges };
  });
}

// ───────────────────────── Public directory ─────────────────────────

const directorySelect = {
  id: true,
  description: true,
  services: true,
  openingHours: true,
  activatedAt: true,
  updatedAt: true,
  structure: { select: { name: true, type: true, siret: true, rna: true, address: true, postcode: true, city: true } },
} as const;

export type DirectoryEntry = Omit<OpenDataRelay, "services"> & {
  type: string;
  services: MediationService[];
  /** The hours in French, a line per open day (`openingHours` is OSM, or free text typed before). */
  hoursLines: string[];
};

async function activeRelays(): Promise<DirectoryEntry[]> {
  const rows = await db.relay.findMany({ where: { status: "ACTIVE" }, select: directorySelect });
  return rows.map((r) => ({
    id: r.id,
    name: r.structure.name,
    type: r.structure.type,
    siret: r.structure.siret,
    rna: r.structure.rna,
    address: r.structure.address,
    postcode: r.structure.postcode,
    city: r.structure.city,
    description: r.description,
    services: relayServices(r.services),
    openingHours: r.openingHours,
    hoursLines: describeOpeningHours(r.openingHours),
    updatedAt: r.updatedAt,
  }));
}

/** Active relays, nearest first when a postcode or a city is searched (see rankByPostcode). */
export async function listDirectory(search: string): Promise<DirectoryEntry[]> {
  return rankByPostcode(await activeRelays(), search);
}

/** Active relays as rows of the national standard of digital-inclusion places (decision 020). */
export async function listOpenData(): Promise<{ rows: MediationPlaceRow[]; incomplete: number }> {
  const relays = await activeRelays();
  return toMediationPlaces(
    relays.map((r) => ({ ...r, services: r.services.join("|") })),
    (await currentIdentity()).name,
  );
}
