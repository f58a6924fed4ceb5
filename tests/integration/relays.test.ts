/**
 * Relais Numériques on a real database (TEST_DATABASE: SQLite or PostgreSQL): an application
 * saved step by step, sent, sent back for changes, sent again and approved (structure
 * recognised or created, relay pending certification, referents, mails, audit); the state
 * machine refusing what it must; activation following certificates issued, revoked and
 * expired; suspension.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../support/database";
import { readPdf } from "../support/pdf-text";
import { readStoredAttachments } from "~/modules/mail/outbox.server";
import { createCertificate, createEnrolment, createMembership, createSession, createStructure, createUser, createModule, randomSiret } from "../factories";
import type { Db } from "~/utils/db.server";

let applications: typeof import("~/modules/relays/application.server");
let relays: typeof import("~/modules/relays/relay.server");
let activation: typeof import("~/modules/relays/activation.server");
let issue: typeof import("~/modules/certificates/issue.server");
let testDb: Db;
let closeDb: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ testDb, close: closeDb } = await openTestDatabase("relays"));
  applications = await import("~/modules/relays/application.server");
  relays = await import("~/modules/relays/relay.server");
  activation = await import("~/modules/relays/activation.server");
  issue = await import("~/modules/certificates/issue.server");
  await createModule(testDb, { title: "Sensibilisation et compréhension de l'inclusion numérique", certificateValidityMonths: 24 });
});

afterAll(async () => {
  await closeDb?.();
});

type Person = Awaited<ReturnType<typeof person>>;
async function person(roles: ("LEARNER" | "ADMIN")[] = ["LEARNER"], name?: string) {
  const user = await createUser(testDb, { roles, name });
  return { id: user.id, name: user.name, email: user.email, roles, memberships: [] as { structureId: string; role: "MEMBER" | "REFERENT"; relayStatus: string | null }[] };
}

const structureStep = (siret: string | null, rna: string | null = null) => ({
  structureName: "CCAS de Saint-Étienne-du-Rouvray",
  siret,
  rna,
  structureType: "CCAS" as const,
  address: "1 place de l'Hôtel de Ville",
  postcode: "76800",
  city: "Saint-Étienne-du-Rouvray",
});

async function filledDraft(applicant: Person, siret: string | null, referentEmail: string, rna: string | null = null) {
  const id = await applications.createDraft(applicant);
  expect(await applications.saveStep({ actor: applicant, id, step: 1, data: structureStep(siret, rna) })).toMatchObject({ ok: true, nextStep: 2 });
  expect(
    await applications.saveStep({
      actor: applicant,
      id,
      step: 2,
      data: { applicantFunction: "Directrice", applicantPhone: null, referentName: "Nguyễn Thị Minh Khai", referentEmail, referentPhone: null },
    }),
  ).toMatchObject({ ok: true, nextStep: 3 });
  expect(
    await applications.saveStep({
      actor: applicant,
      id,
      step: 3,
      data: { publicsServed: "Personnes au RSA", peoplePerMonth: 80, staffToTrain: 2, staffToTrainNames: null, motivation: "Nous voulons aider." },
    }),
  ).toMatchObject({ ok: true, nextStep: 4 });
  return id;
}

const commitments = { charterAccepted: true as const, dpoInformed: true as const };
const mailsTo = (to: string) => testDb.outboxMail.findMany({ where: { to }, orderBy: { createdAt: "asc" }, select: { subject: true, text: true } });

async function certify(userId: string, moduleId: string, structureId: string) {
  const session = await createSession(testDb, { moduleId });
  const enrolment = await createEnrolment(testDb, { sessionId: session.id, userId, structureId, status: "CONFIRMED" });
  return testDb.$transaction((tx) => createCertificate(tx as unknown as Db, { enrolmentId: enrolment.id }));
}

describe("an application's life", () => {
  it("goes draft → submitted → changes requested → submitted → approved, mailing and auditing each step", async () => {
    const applicant = await person();
    const admin = await person(["ADMIN"]);
    const referent = await createUser(testDb, { name: "Nguyễn Thị Minh Khai" });
    const siret = randomSiret();
    const id = await filledDraft(applicant, siret, referent.email);

    expect(await applications.submitApplication({ actor: applicant, id, commitments })).toEqual({ ok: true });
    expect(await applications.submitApplication({ actor: applicant, id, commitments })).toMatchObject({
      ok: false,
      message: "Cette candidature a déjà été envoyée : elle est en cours d'examen.",
    });
    expect(await applications.decideApplication({ actor: admin, id, decision: "requestChanges", message: "Précisez les publics accompagnés, s'il vous plaît." })).toEqual({ ok: true });
    expect(await applications.saveStep({ actor: applicant, id, step: 3, data: { publicsServed: "Personnes au RSA, jeunes de 18 à 25 ans", peoplePerMonth: 90, staffToTrain: 2, staffToTrainNames: null, motivation: null } })).toMatchObject({ ok: true });
    await applications.postMessage({ actor: applicant, id, body: "C'est précisé, merci." });
    expect(await applications.submitApplication({ actor: applicant, id, commitments })).toEqual({ ok: true });
    expect(await applications.decideApplication({ actor: admin, id, decision: "approve", message: null })).toEqual({ ok: true, relayStatus: "PENDING_CERTIFICATION" });

    const stored = await testDb.relayApplication.findUniqueOrThrow({ where: { id }, include: { relay: true, messages: { orderBy: { createdAt: "asc" } } } });
    expect(stored.status).toBe("APPROVED");
    expect(stored.messages.map((m) => m.body)).toEqual(["Précisez les publics accompagnés, s'il vous plaît.", "C'est précisé, merci."]);
    expect(stored.relay?.status).toBe("PENDING_CERTIFICATION");
    const structure = await testDb.structure.findUniqueOrThrow({ where: { siret }, include: { memberships: true } });
    expect(structure.id).toBe(stored.structureId);
    expect(structure.memberships.map((m) => [m.userId, m.role]).sort()).toEqual([[applicant.id, "REFERENT"], [referent.id, "REFERENT"]].sort());

    const subjects = (await mailsTo(applicant.email)).map((m) => m.subject);
    expect(subjects).toEqual([
      "Candidature Relais Numérique reçue — CCAS de Saint-Étienne-du-Rouvray",
      "Candidature Relais Numérique : des modifications sont demandées — CCAS de Saint-Étienne-du-Rouvray",
      "Candidature Relais Numérique reçue — CCAS de Saint-Étienne-du-Rouvray",
      "Candidature Relais Numérique acceptée — CCAS de Saint-Étienne-du-Rouvray",
    ]);
    const approval = await testDb.outboxMail.findFirstOrThrow({ where: { to: applicant.email, subject: { startsWith: "Candidature Relais Numérique acceptée" } } });
    const [attachment] = readStoredAttachments(approval.attachments);
    expect(attachment?.filename).toBe("convention-relais-numerique.pdf");
    const convention = await readPdf(new Uint8Array(attachment!.content));
    expect(convention.text).toContain("CONVENTION DE PARTENARIAT");
    expect(convention.text).toContain("CCAS de Saint-Étienne-du-Rouvray");
    expect(convention.text).toContain(siret.slice(0, 3));

    const audit = await testDb.auditLog.findMany({ where: { entityId: id }, orderBy: { createdAt: "asc" }, select: { action: true } });
    expect(audit.map((a) => a.action)).toEqual([
      "relay_application.submitted",
      "relay_application.changes_requested",
      "relay_application.submitted",
      "relay_application.approved",
    ]);
  });

  it("invites a referent who has no account yet, and rejects with a reason", async () => {
    const applicant = await person();
    const admin = await person(["ADMIN"]);
    const id = await filledDraft(applicant, null, "nouvelle.referente@exemple.test", `W${String(Date.now()).slice(-9)}`);
    await applications.submitApplication({ actor: applicant, id, commitments });
    await applications.decideApplication({ actor: admin, id, decision: "approve", message: null });
    expect(await testDb.invitation.count({ where: { email: "nouvelle.referente@exemple.test", role: "REFERENT" } })).toBe(1);

    const other = await filledDraft(applicant, randomSiret(), applicant.email);
    await applications.submitApplication({ actor: applicant, id: other, commitments });
    expect(await applications.decideApplication({ actor: admin, id: other, decision: "reject", message: "Structure hors du territoire couvert." })).toEqual({ ok: true });
    const rejected = await testDb.relayApplication.findUniqueOrThrow({ where: { id: other } });
    expect([rejected.status, rejected.decisionReason]).toEqual(["REJECTED", "Structure hors du territoire couvert."]);
    expect((await mailsTo(applicant.email)).at(-1)?.text).toContain("Motif : Structure hors du territoire couvert.");
  });

  it("refuses to approve a withdrawn application, to edit a submitted one, and a stranger's edits", async () => {
    const applicant = await person();
    const stranger = await person();
    const admin = await person(["ADMIN"]);
    const id = await filledDraft(applicant, randomSiret(), applicant.email);
    expect(await applications.saveStep({ actor: stranger, id, step: 1, data: structureStep(randomSiret()) })).toMatchObject({ ok: false, status: 403 });
    expect(await applications.submitApplication({ actor: applicant, id, commitments })).toEqual({ ok: true });
    expect(await applications.saveStep({ actor: applicant, id, step: 3, data: { publicsServed: "x", peoplePerMonth: 1, staffToTrain: 1, staffToTrainNames: null, motivation: null } })).toMatchObject({ ok: false, status: 400 });
    expect(await applications.withdrawApplication({ actor: applicant, id })).toEqual({ ok: true });
    expect(await applications.decideApplication({ actor: admin, id, decision: "approve", message: null })).toMatchObject({
      ok: false,
      message: "Cette candidature a été retirée : elle ne peut plus changer.",
    });
    expect(await applications.decideApplication({ actor: applicant, id, decision: "approve", message: null })).toMatchObject({ ok: false, status: 403 });
    expect(await testDb.relay.count({ where: { applicationId: id } })).toBe(0);
  });

  it("refuses to send an application with a step missing", async () => {
    const applicant = await person();
    const id = await applications.createDraft(applicant);
    await applications.saveStep({ actor: applicant, id, step: 1, data: structureStep(randomSiret()) });
    expect(await applications.submitApplication({ actor: applicant, id, commitments })).toMatchObject({ ok: false, message: "Étape 2 à compléter : Indiquez votre fonction dans la structure." });
  });

  it("refuses a SIRET already applied for, and recognises a known structure instead of duplicating it", async () => {
    const first = await person();
    const second = await person();
    const siret = randomSiret();
    await filledDraft(first, siret, first.email);
    const id = await applications.createDraft(second);
    expect(await applications.saveStep({ actor: second, id, step: 1, data: structureStep(siret) })).toMatchObject({
      ok: false,
      field: "siret",
      message: "Une candidature est déjà en cours pour ce SIRET. S'il s'agit de la vôtre, reprenez-la depuis « Mes candidatures ». Sinon, écrivez à l'association (formation@maillon.localhost) : elle vérifiera avec vous qui représente la structure.",
    });

    const known = await createStructure(testDb, { name: "CHRS L'Escale", type: "CHRS" });
    const admin = await person(["ADMIN"]);
    const applicant = await person();
    const recognised = await applications.createDraft(applicant);
    expect(await applications.saveStep({ actor: applicant, id: recognised, step: 1, data: structureStep(known.siret) })).toMatchObject({ ok: true, recognisedStructure: "CHRS L'Escale" });
    await filledDraftRest(applicant, recognised);
    await applications.submitApplication({ actor: applicant, id: recognised, commitments });
    await applications.decideApplication({ actor: admin, id: recognised, decision: "approve", message: null });
    expect(await testDb.structure.count({ where: { siret: known.siret } })).toBe(1);
    expect(await testDb.relay.count({ where: { structureId: known.id } })).toBe(1);

    const again = await applications.createDraft(applicant);
    expect(await applications.saveStep({ actor: applicant, id: again, step: 1, data: structureStep(known.siret) })).toMatchObject({
      ok: false,
      message: "Cette structure (CHRS L'Escale) est déjà un Relais Numérique : adressez-vous à sa ou son référent·e.",
    });
  });
});

async function filledDraftRest(applicant: Person, id: string) {
  await applications.saveStep({ actor: applicant, id, step: 2, data: { applicantFunction: "Chef de service", applicantPhone: null, referentName: applicant.name, referentEmail: applicant.email, referentPhone: null } });
  await applications.saveStep({ actor: applicant, id, step: 3, data: { publicsServed: "Hébergés", peoplePerMonth: 30, staffToTrain: 1, staffToTrainNames: null, motivation: null } });
}

describe("activation by certification", () => {
  async function approvedRelay() {
    const applicant = await person();
    const admin = await person(["ADMIN"]);
    const id = await filledDraft(applicant, randomSiret(), applicant.email);
    await applications.submitApplication({ actor: applicant, id, commitments });
    await applications.decideApplication({ actor: admin, id, decision: "approve", message: null });
    const relay = await testDb.relay.findUniqueOrThrow({ where: { applicationId: id } });
    return { relay, applicant, admin };
  }
  const statusOf = async (id: string) => (await testDb.relay.findUniqueOrThrow({ where: { id } })).status;

  it("becomes active when a member is certified, and pending again when the certificate is revoked", async () => {
    const { relay, applicant, admin } = await approvedRelay();
    const staff = await createUser(testDb, { name: "Łukasz Żółć" });
    await createMembership(testDb, { userId: staff.id, structureId: relay.structureId });
    const certificate = await certify(staff.id, relay.requiredModuleId, relay.structureId);
    expect(await statusOf(relay.id)).toBe("ACTIVE");
    expect((await mailsTo(applicant.email)).at(-1)?.subject).toContain("Votre Relais Numérique est actif");

    expect(await issue.revokeCertificate({ actor: admin, id: certificate.id, reason: "Émargement signé par un tiers." })).toEqual({ ok: true });
    expect(await statusOf(relay.id)).toBe("PENDING_CERTIFICATION");
    const audit = await testDb.auditLog.findMany({ where: { entityType: "Relay", entityId: relay.id }, orderBy: { createdAt: "asc" }, select: { action: true } });
    expect(audit.map((a) => a.action)).toEqual(["relay.created", "relay.activated", "relay.pending_certification"]);
  });

  it("needs N certified members when N is set, ignores other modules' certificates, and follows expiry through the daily job", async () => {
    const { relay, admin } = await approvedRelay();
    expect(await relays.setRequiredCertifiedStaff({ actor: admin, relayId: relay.id, required: 2 })).toMatchObject({ ok: true });
    const [a, b, c] = [await createUser(testDb), await createUser(testDb), await createUser(testDb)];
    for (const u of [a, b, c]) await createMembership(testDb, { userId: u.id, structureId: relay.structureId });
    const otherModule = await createModule(testDb, { title: "Transmission d'ateliers clé en main" });
    await certify(c.id, otherModule.id, relay.structureId);
    await certify(a.id, relay.requiredModuleId, relay.structureId);
    expect(await statusOf(relay.id)).toBe("PENDING_CERTIFICATION");
    await certify(b.id, relay.requiredModuleId, relay.structureId);
    expect(await statusOf(relay.id)).toBe("ACTIVE");

    expect(await activation.refreshAllRelays(new Date())).toBe(0);
    const in30Years = new Date(Date.now() + 30 * 365 * 86_400_000);
    expect(await activation.refreshAllRelays(in30Years)).toBeGreaterThanOrEqual(1);
    expect(await statusOf(relay.id)).toBe("PENDING_CERTIFICATION");
  });

  it("is suspended and reinstated by staff with a reason; a suspended relay stays suspended when certified", async () => {
    const { relay, applicant, admin } = await approvedRelay();
    const staff = await createUser(testDb);
    await createMembership(testDb, { userId: staff.id, structureId: relay.structureId });
    expect(await relays.setRelaySuspension({ actor: admin, relayId: relay.id, suspend: true, reason: "Convention non respectée." })).toEqual({ ok: true });
    await certify(staff.id, relay.requiredModuleId, relay.structureId);
    expect(await statusOf(relay.id)).toBe("SUSPENDED");
    expect(await relays.setRelaySuspension({ actor: applicant, relayId: relay.id, suspend: false, reason: "Je lève moi-même." })).toMatchObject({ ok: false });
    expect(await relays.setRelaySuspension({ actor: admin, relayId: relay.id, suspend: false, reason: "Situation régularisée." })).toEqual({ ok: true });
    expect(await statusOf(relay.id)).toBe("ACTIVE");
  });

  it("goes back to pending when the only certified member is removed from the relay", async () => {
    const { relay, applicant } = await approvedRelay();
    const staff = await createUser(testDb);
    await createMembership(testDb, { userId: staff.id, structureId: relay.structureId });
    await certify(staff.id, relay.requiredModuleId, relay.structureId);
    expect(await statusOf(relay.id)).toBe("ACTIVE");
    const referent = { ...applicant, memberships: [{ structureId: relay.structureId, role: "REFERENT" as const, relayStatus: "ACTIVE" }] };
    expect(await relays.removeRelayMember({ actor: referent, structureId: relay.structureId, userId: staff.id })).toEqual({ ok: true, relayChanges: [{ relayId: relay.id, from: "ACTIVE", to: "PENDING_CERTIFICATION" }] });
    expect(await statusOf(relay.id)).toBe("PENDING_CERTIFICATION");
  });
});
