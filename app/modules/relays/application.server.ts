/**
 * Relay applications in the database: the applicant's draft saved step by step, sending it,
 * withdrawing it; staff's queue and decisions; the message thread between them. Every change
 * of status goes through the state machine (application.rules.ts) as a conditional update,
 * is audited, and mails the applicant through the outbox, all in one transaction.
 */
import type { Prisma } from "~/generated/sqlite/client";
import { can, isAdmin, type Actor } from "~/modules/auth/permissions.rules";
import { enqueueMail, type MailAttachment } from "~/modules/mail/outbox.server";
import { createInvitation } from "~/modules/structures/invitations.server";
import { db, type Tx } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import type { RelayStatus } from "./activation.rules";
import { refreshRelayActivation } from "./activation.server";
import { currentIdentity } from "~/modules/organisation/identity.server";
import {
  draftLockCutoff,
  isEditableByApplicant,
  LIVE_APPLICATION_STATUSES,
  needsOutsiderConfirmation,
  outsidersToConfirm,
  statusesAllowing,
  transition,
  type ApplicationEvent,
  type ApplicationStatus,
  type ReviewFilter,
} from "./application.rules";
import { LAST_STEP, STEP_SCHEMAS, type StepNumber } from "./application.schema";
import { conventionDetails, renderConventionPdf } from "./convention-pdf.server";
import type { z } from "zod";

type Person = NonNullable<Actor> & { name: string; email: string };
export type Failure = { ok: false; status: 400 | 403 | 404; field: string; message: string };
const fail = (status: Failure["status"], field: string, message: string): Failure => ({ ok: false, status, field, message });
const NOT_FOUND = fail(404, "form", "Cette candidature n'existe pas.");

const applicationUrl = (id: string) => `${getEnv().APP_URL}/relais/candidature/${id}`;

// ───────────────────────── Applicant ─────────────────────────

export async function listMyApplications(userId: string) {
  return db.relayApplication.findMany({
    where: { applicantId: userId },
    orderBy: { createdAt: "desc" },
    select: { id: true, status: true, structureName: true, city: true, step: true, submittedAt: true, updatedAt: true },
  });
}

export async function createDraft(actor: Person, now = new Date()): Promise<string> {
  const draft = await db.relayApplication.create({ data: { applicantId: actor.id, createdAt: now }, select: { id: true } });
  return draft.id;
}

const threadSelect = {
  orderBy: { createdAt: "asc" },
  select: { id: true, body: true, createdAt: true, authorId: true, author: { select: { name: true, roles: { select: { role: true } } } } },
} satisfies Prisma.RelayApplication$messagesArgs;

/** The application with its thread, for its applicant or staff; "forbidden" for anyone else, null when it does not exist. */
export async function getApplication(actor: Actor, id: string) {
  const application = await db.relayApplication.findUnique({
    where: { id },
    include: {
      messages: threadSelect,
      applicant: { select: { name: true, email: true } },
      relay: { select: { id: true, status: true, requiredCertifiedStaff: true, statusReason: true, conventionAcceptedAt: true } },
      structure: { select: { id: true, name: true } },
    },
  });
  if (!application) return null;
  if (!can(actor, "relayApplication.view", { applicantId: application.applicantId })) return "forbidden" as const;
  return {
    ...application,
    messages: application.messages.map((m) => ({
      id: m.id,
      body: m.body,
      createdAt: m.createdAt,
      authorName: m.author.name,
      fromStaff: m.author.roles.some((r) => r.role === "ADMIN") && m.authorId !== application.applicantId,
    })),
  };
}

export type StepData = { [K in StepNumber]: z.infer<(typeof STEP_SCHEMAS)[K]> };

/**
 * Saves one step of a draft (or of an application sent back for changes). Step 1 also
 * recognises a structure already known by its SIRET/RNA and refuses a second live
 * application or a structure that is already a relay.
 */
export async function saveStep<S extends StepNumber>(input: {
  actor: Person;
  id: string;
  step: S;
  data: StepData[S];
  now?: Date;
}): Promise<{ ok: true; nextStep: StepNumber; recognisedStructure: string | null } | Failure> {
  const { actor, id, step, now = new Date() } = input;
  return db.$transaction(async (tx) => {
    const application = await tx.relayApplication.findUnique({ where: { id }, select: { applicantId: true, status: true, step: true } });
    if (!application) return NOT_FOUND;
    if (!can(actor, "relayApplication.edit", { applicantId: application.applicantId })) return fail(403, "form", "Cette candidature n'est pas la vôtre.");
    if (!isEditableByApplicant(application.status)) {
      return fail(400, "form", "Cette candidature n'est plus un brouillon : elle ne peut être modifiée que si l'équipe vous demande des modifications.");
    }
    let data: Prisma.RelayApplicationUncheckedUpdateInput = { ...input.data, updatedAt: now };
    let recognisedStructure: string | null = null;
    if (step === 1) {
      const structureData = input.data as StepData[1];
      const clash = await identifierClash(tx, id, structureData.siret, structureData.rna, now);
      if (clash) return clash;
      const known = await findStructure(tx, structureData.siret, structureData.rna);
      recognisedStructure = known?.name ?? null;
      data = { ...data, structureId: known?.id ?? null };
    }
    const nextStep = Math.min(LAST_STEP, step + 1) as StepNumber;
    // `step` remembers how far the draft got, so the applicant resumes there.
    await tx.relayApplication.updateMany({
      where: { id, status: { in: ["DRAFT", "CHANGES_REQUESTED"] } },
      data: { ...data, step: Math.max(application.step, nextStep) },
    });
    return { ok: true as const, nextStep, recognisedStructure };
  });
}

const identifierWhere = (siret: string | null, rna: string | null) => [...(siret ? [{ siret }] : []), ...(rna ? [{ rna }] : [])];

async function findStructure(tx: Tx, siret: string | null, rna: string | null) {
  const or = identifierWhere(siret, rna);
  if (or.length === 0) return null;
  return tx.structure.findFirst({ where: { OR: or }, select: { id: true, name: true, relay: { select: { id: true } } } });
}

async function identifierClash(tx: Tx, id: string, siret: string | null, rna: string | null, now: Date): Promise<Failure | null> {
  const field = siret ? "siret" : "rna";
  const known = await findStructure(tx, siret, rna);
  if (known?.relay) return fail(400, field, `Cette structure (${known.name}) est déjà un Relais Numérique : adressez-vous à sa ou son référent·e.`);
  // The same test as holdsIdentifier (application.rules.ts), as a query: a draft untouched
  // for DRAFT_LOCK_DAYS has lapsed and no longer blocks anyone.
  const other = await tx.relayApplication.findFirst({
    where: {
      id: { not: id },
      AND: [
        { OR: identifierWhere(siret, rna) },
        { OR: [{ status: { in: LIVE_APPLICATION_STATUSES.filter((st) => st !== "DRAFT") } }, { status: "DRAFT", updatedAt: { gt: draftLockCutoff(now) } }] },
      ],
    },
    select: { id: true },
  });
  if (other) {
    return fail(
      400,
      field,
      `Une candidature est déjà en cours pour ce ${siret ? "SIRET" : "numéro RNA"}. S'il s'agit de la vôtre, reprenez-la depuis « Mes candidatures ». Sinon, écrivez à l'association (${(await currentIdentity(tx)).email}) : elle vérifiera avec vous qui représente la structure.`,
    );
  }
  return null;
}

type StoredApplication = Prisma.RelayApplicationGetPayload<object>;

/** The first step whose saved answers are incomplete, or null when the application can be sent. */
export function firstIncompleteStep(a: StoredApplication): { step: StepNumber; field: string; message: string } | null {
  const stored: Record<StepNumber, Record<string, unknown>> = {
    1: { structureName: a.structureName, siret: a.siret, rna: a.rna, structureType: a.structureType, address: a.address, postcode: a.postcode, city: a.city },
    2: { applicantFunction: a.applicantFunction, applicantPhone: a.applicantPhone, referentName: a.referentName, referentEmail: a.referentEmail, referentPhone: a.referentPhone },
    3: {
      publicsServed: a.publicsServed,
      peoplePerMonth: a.peoplePerMonth?.toString(),
      staffToTrain: a.staffToTrain?.toString(),
      staffToTrainNames: a.staffToTrainNames,
      motivation: a.motivation,
    },
    4: { charterAccepted: a.charterAccepted ? "on" : "", dpoInformed: a.dpoInformed ? "on" : "" },
  };
  for (const step of [1, 2, 3, 4] as const) {
    const values = Object.fromEntries(Object.entries(stored[step]).map(([k, v]) => [k, v ?? ""]));
    const result = STEP_SCHEMAS[step].safeParse(values);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      return { step, field: String(issue.path[0] ?? "form"), message: issue.message };
    }
  }
  return null;
}

/** Saves the commitments and sends the application (or sends it again after changes). */
export async function submitApplication(input: { actor: Person; id: string; commitments: StepData[4]; now?: Date }): Promise<{ ok: true } | Failure> {
  const { actor, id, now = new Date() } = input;
  return db.$transaction(async (tx) => {
    const application = await tx.relayApplication.findUnique({ where: { id } });
    if (!application) return NOT_FOUND;
    if (!can(actor, "relayApplication.edit", { applicantId: application.applicantId })) return fail(403, "form", "Cette candidature n'est pas la vôtre.");
    const move = transition(application.status, "submit", "applicant");
    if (!move.ok) return fail(400, "form", move.message);
    const incomplete = firstIncompleteStep({ ...application, ...input.commitments });
    if (incomplete) return fail(400, "form", `Étape ${incomplete.step} à compléter : ${incomplete.message}`);
    const clash = await identifierClash(tx, id, application.siret, application.rna, now);
    if (clash) return { ...clash, field: "form" };
    const changed = await changeStatus(tx, { id, event: "submit", by: actor.id, now, data: { ...input.commitments, submittedAt: now } });
    if (!changed.ok) return changed;
    await mailApplicant(tx, application, "SUBMITTED", null);
    return { ok: true as const };
  });
}

export async function withdrawApplication(input: { actor: Person; id: string; now?: Date }): Promise<{ ok: true } | Failure> {
  const { actor, id, now = new Date() } = input;
  return db.$transaction(async (tx) => {
    const application = await tx.relayApplication.findUnique({ where: { id } });
    if (!application) return NOT_FOUND;
    if (!can(actor, "relayApplication.edit", { applicantId: application.applicantId })) return fail(403, "form", "Cette candidature n'est pas la vôtre.");
    const changed = await changeStatus(tx, { id, event: "withdraw", by: actor.id, now, from: application.status });
    if (!changed.ok) return changed;
    await mailApplicant(tx, application, "WITHDRAWN", null);
    return { ok: true as const };
  });
}

/**
 * The one place statuses change: refused unless the state machine allows the move from
 * the status in the database at this instant (conditional update, so two staff deciding
 * at once cannot both win), then audited.
 */
async function changeStatus(
  tx: Tx,
  input: { id: string; event: ApplicationEvent; by: string; now: Date; from?: ApplicationStatus; reason?: string | null; data?: Prisma.RelayApplicationUncheckedUpdateManyInput },
): Promise<{ ok: true; to: ApplicationStatus } | Failure> {
  const { id, event, now } = input;
  const actorKind = event === "submit" || event === "withdraw" ? "applicant" : "staff";
  const current = input.from ?? (await tx.relayApplication.findUniqueOrThrow({ where: { id }, select: { status: true } })).status;
  const move = transition(current, event, actorKind);
  if (!move.ok) return fail(400, "form", move.message);
  const { count } = await tx.relayApplication.updateMany({
    where: { id, status: { in: statusesAllowing(event) } },
    data: { ...input.data, status: move.to, updatedAt: now },
  });
  if (count !== 1) return fail(400, "form", "La candidature vient de changer : rechargez la page.");
  await tx.auditLog.create({
    data: { actorId: input.by, action: `relay_application.${move.to.toLowerCase()}`, entityType: "RelayApplication", entityId: id, reason: input.reason ?? null, data: { from: current }, createdAt: now },
  });
  return { ok: true, to: move.to };
}

async function mailApplicant(
  tx: Tx,
  application: { id: string; applicantId: string; structureName: string | null },
  status: "SUBMITTED" | "CHANGES_REQUESTED" | "APPROVED" | "REJECTED" | "WITHDRAWN",
  message: string | null,
  attachments: MailAttachment[] = [],
  relayActive = false,
) {
  const applicant = await tx.user.findUniqueOrThrow({ where: { id: application.applicantId }, select: { name: true, email: true } });
  await enqueueMail(tx, {
    template: "relay-application-status",
    to: applicant.email,
    data: {
      name: applicant.name,
      structureName: application.structureName ?? "votre structure",
      status,
      message,
      url: status === "APPROVED" ? `${getEnv().APP_URL}/espace-relais` : applicationUrl(application.id),
      relayActive,
    },
  }, { attachments });
}

// ───────────────────────── Thread ─────────────────────────

export async function postMessage(input: { actor: Person; id: string; body: string; now?: Date }): Promise<{ ok: true } | Failure> {
  const { actor, id, body, now = new Date() } = input;
  const application = await db.relayApplication.findUnique({ where: { id }, select: { applicantId: true, status: true } });
  if (!application) return NOT_FOUND;
  if (!can(actor, "relayApplication.view", { applicantId: application.applicantId })) return fail(403, "form", "Cette candidature n'est pas la vôtre.");
  if (application.status === "DRAFT" && !isAdmin(actor)) return fail(400, "body", "Envoyez d'abord votre candidature : la messagerie s'ouvre ensuite.");
  await db.applicationMessage.create({ data: { applicationId: id, authorId: actor.id, body, createdAt: now } });
  return { ok: true };
}

// ───────────────────────── Staff ─────────────────────────

export async function listApplicationsForReview(filter: { status: ReviewFilter; q: string; type: string | null }) {
  const q = filter.q.trim();
  return db.relayApplication.findMany({
    where: {
      ...(filter.status === "ALL" ? {} : { status: filter.status }),
      ...(filter.type ? { structureType: filter.type as Prisma.RelayApplicationWhereInput["structureType"] } : {}),
      ...(q ? { OR: [{ structureName: { contains: q } }, { city: { contains: q } }, { postcode: { startsWith: q } }, { siret: { startsWith: q } }] } : {}),
    },
    orderBy: [{ submittedAt: "asc" }, { createdAt: "asc" }],
    take: 200,
    select: { id: true, status: true, structureName: true, structureType: true, city: true, postcode: true, submittedAt: true, applicant: { select: { name: true } } },
  });
}

export async function applicationHistory(id: string) {
  return db.auditLog.findMany({
    where: { entityType: "RelayApplication", entityId: id },
    orderBy: { createdAt: "asc" },
    select: { action: true, reason: true, createdAt: true, actor: { select: { name: true } } },
  });
}

/**
 * What staff must see before approving: whether the structure is already known (by the id
 * recognised at step 1, or by SIRET/RNA now), its members and referents, and who would
 * become referent without being a member. Null when the structure is new or has no members.
 */
export async function knownStructureForReview(actor: Actor, id: string) {
  if (!can(actor, "relayApplication.review")) return null;
  const application = await db.relayApplication.findUnique({
    where: { id },
    select: { applicantId: true, referentEmail: true, structureId: true, siret: true, rna: true, applicant: { select: { email: true } } },
  });
  if (!application) return null;
  return db.$transaction(async (tx) => {
    const known = await knownStructureMembers(tx, application);
    if (!known) return null;
    const outsiders = outsidersToConfirm({ members: known.members, applicantId: application.applicantId, applicantEmail: application.applicant.email, referentEmail: application.referentEmail });
    return {
      ...known,
      applicantIsMember: !outsiders.applicant,
      outsiders,
      needsConfirmation: needsOutsiderConfirmation(outsiders),
    };
  });
}

async function knownStructureMembers(tx: Tx, a: { structureId: string | null; siret: string | null; rna: string | null }) {
  const structureId = a.structureId ?? (await findStructure(tx, a.siret, a.rna))?.id;
  if (!structureId) return null;
  const structure = await tx.structure.findUnique({
    where: { id: structureId },
    select: { id: true, name: true, siret: true, rna: true, memberships: { select: { userId: true, role: true, user: { select: { name: true, email: true } } } } },
  });
  if (!structure || structure.memberships.length === 0) return null;
  const members = structure.memberships
    .map((m) => ({ userId: m.userId, role: m.role, name: m.user.name, email: m.user.email }))
    .sort((x, y) => (x.role === y.role ? x.name.localeCompare(y.name, "fr") : x.role === "REFERENT" ? -1 : 1));
  return { id: structure.id, name: structure.name, siret: structure.siret, rna: structure.rna, members };
}

export const OUTSIDER_REASON_MIN = 10;

/** The module whose certificate a new relay requires: the first of the catalogue. */
async function defaultRequiredModule(tx: Tx) {
  return tx.module.findFirst({ orderBy: { number: "asc" }, select: { id: true, title: true } });
}

/**
 * Staff decide: approve (structure found or created, relay created pending certification,
 * applicant and named referent made referents), reject with a reason, or request changes
 * with a message (also posted in the thread).
 */
export async function decideApplication(input: {
  actor: Person;
  id: string;
  decision: "approve" | "reject" | "requestChanges";
  message: string | null;
  /** Staff's explicit decision to make people outside a known structure its referents, with how they checked. */
  outsiderConfirmation?: { confirmed: boolean; reason: string } | null;
  now?: Date;
}): Promise<{ ok: true; relayStatus?: RelayStatus } | Failure> {
  const { actor, id, decision, message, now = new Date() } = input;
  if (!can(actor, "relayApplication.review")) return fail(403, "form", "Seule l'équipe de l'association examine les candidatures.");
  return db.$transaction(async (tx) => {
    const application = await tx.relayApplication.findUnique({ where: { id } });
    if (!application) return NOT_FOUND;
    const decided = { decidedAt: now, decidedById: actor.id };
    if (decision === "requestChanges") {
      const changed = await changeStatus(tx, { id, event: "requestChanges", by: actor.id, now, from: application.status, reason: message });
      if (!changed.ok) return changed;
      if (message) await tx.applicationMessage.create({ data: { applicationId: id, authorId: actor.id, body: message, createdAt: now } });
      await mailApplicant(tx, application, "CHANGES_REQUESTED", message);
      return { ok: true as const };
    }
    if (decision === "reject") {
      const changed = await changeStatus(tx, { id, event: "reject", by: actor.id, now, from: application.status, reason: message, data: { ...decided, decisionReason: message } });
      if (!changed.ok) return changed;
      await mailApplicant(tx, application, "REJECTED", message);
      return { ok: true as const };
    }
    const requiredModule = await defaultRequiredModule(tx);
    if (!requiredModule) return fail(400, "form", "Créez d'abord un module de formation : un relais a besoin d'un module requis pour être certifié.");
    const move = transition(application.status, "approve", "staff");
    if (!move.ok) return fail(400, "form", move.message);
    // A stranger must not take over a structure that already has people: staff decide it
    // explicitly, the decision is journaled and the current referents are told.
    const known = await knownStructureMembers(tx, application);
    const applicantEmail = (await tx.user.findUniqueOrThrow({ where: { id: application.applicantId }, select: { email: true } })).email;
    const outsiders = outsidersToConfirm({ members: known?.members ?? [], applicantId: application.applicantId, applicantEmail, referentEmail: application.referentEmail });
    const overriding = needsOutsiderConfirmation(outsiders);
    const overrideReason = input.outsiderConfirmation?.reason.trim() ?? "";
    if (overriding && !input.outsiderConfirmation?.confirmed) {
      return fail(400, "confirmOutsider", "Cette structure a déjà des membres et la candidature nommerait référent·e une personne qui n'en fait pas partie : vérifiez auprès de la structure, puis cochez la confirmation et indiquez comment vous avez vérifié.");
    }
    if (overriding && overrideReason.length < OUTSIDER_REASON_MIN) {
      return fail(400, "outsiderReason", `Indiquez comment vous avez vérifié que cette personne représente la structure (${OUTSIDER_REASON_MIN} caractères au moins).`);
    }
    const changed = await changeStatus(tx, { id, event: "approve", by: actor.id, now, from: application.status, data: decided });
    if (!changed.ok) return changed;
    if (overriding && known) {
      await recordOutsiderReferents(tx, { application, structure: known, outsiders, reason: overrideReason, actor, now });
    }
    const structureId = await structureForApproval(tx, application);
    if (await tx.relay.findUnique({ where: { structureId }, select: { id: true } })) {
      throw new Error(`Structure ${structureId} is already a relay`);
    }
    await tx.relayApplication.update({ where: { id }, data: { structureId } });
    const relay = await tx.relay.create({ data: { structureId, applicationId: id, requiredModuleId: requiredModule.id, createdAt: now } });
    await makeReferents(tx, { structureId, structureName: application.structureName ?? "", applicantId: application.applicantId, referentEmail: application.referentEmail, inviter: actor, now });
    await tx.auditLog.create({ data: { actorId: actor.id, action: "relay.created", entityType: "Relay", entityId: relay.id, data: { applicationId: id }, createdAt: now } });
    const convention = await renderConventionPdf(conventionDetails({ ...application, structureName: application.structureName ?? "" }, requiredModule.title, relay.requiredCertifiedStaff, now), now, await currentIdentity(tx));
    await refreshRelayActivation(tx, { relayIds: [relay.id] }, now);
    const { status } = await tx.relay.findUniqueOrThrow({ where: { id: relay.id }, select: { status: true } });
    const attachment = { filename: "convention-relais-numerique.pdf", contentType: "application/pdf", content: Buffer.from(convention) };
    await mailApplicant(tx, application, "APPROVED", message, [attachment], status === "ACTIVE");
    return { ok: true as const, relayStatus: status };
  });
}

/** The journal entry for staff's override, and a mail to each current referent (read before anyone is raised). */
async function recordOutsiderReferents(
  tx: Tx,
  input: {
    application: { id: string; applicantId: string };
    structure: { id: string; name: string; members: { role: string; email: string }[] };
    outsiders: { applicant: boolean; referentEmail: string | null };
    reason: string;
    actor: Person;
    now: Date;
  },
) {
  const { application, structure, outsiders, reason, actor, now } = input;
  const applicant = await tx.user.findUniqueOrThrow({ where: { id: application.applicantId }, select: { name: true, email: true } });
  const newcomers = [...(outsiders.applicant ? [`${applicant.name} (${applicant.email})`] : []), ...(outsiders.referentEmail ? [outsiders.referentEmail] : [])];
  await tx.auditLog.create({
    data: {
      actorId: actor.id,
      action: "structure.outsider_made_referent",
      entityType: "RelayApplication",
      entityId: application.id,
      reason,
      data: { structureId: structure.id, applicantId: outsiders.applicant ? application.applicantId : null, referentEmail: outsiders.referentEmail },
      createdAt: now,
    },
  });
  for (const referent of structure.members.filter((m) => m.role === "REFERENT")) {
    await enqueueMail(tx, {
      template: "structure-referent-added",
      to: referent.email,
      data: { structureName: structure.name, newcomers, reason, staffName: actor.name, contactEmail: (await currentIdentity(tx)).email, url: `${getEnv().APP_URL}/ma-structure?structure=${encodeURIComponent(structure.id)}` },
    });
  }
}

/** A structure already known (by id, SIRET or RNA) is reused, never duplicated. */
async function structureForApproval(tx: Tx, a: StoredApplication): Promise<string> {
  if (a.structureId) return a.structureId;
  const known = await findStructure(tx, a.siret, a.rna);
  if (known) return known.id;
  const created = await tx.structure.create({
    data: { name: a.structureName ?? "", siret: a.siret, rna: a.rna, type: a.structureType ?? "OTHER", address: a.address, postcode: a.postcode, city: a.city },
  });
  return created.id;
}

async function makeReferents(
  tx: Tx,
  input: { structureId: string; structureName: string; applicantId: string; referentEmail: string | null; inviter: { id: string; name: string }; now: Date },
) {
  const { structureId, now } = input;
  const raise = async (userId: string) =>
    tx.membership.upsert({
      where: { userId_structureId: { userId, structureId } },
      create: { userId, structureId, role: "REFERENT", createdAt: now },
      update: { role: "REFERENT" },
    });
  await raise(input.applicantId);
  const email = input.referentEmail?.toLowerCase();
  if (!email) return;
  const referent = await tx.user.findUnique({ where: { email }, select: { id: true } });
  if (referent) await raise(referent.id);
  else await createInvitation(tx, { inviter: input.inviter, structureId, structureName: input.structureName, email, role: "REFERENT", now });
}
