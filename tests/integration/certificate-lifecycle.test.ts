/**
 * The certificate lifecycle against a real database (TEST_DATABASE: SQLite or PostgreSQL):
 * closing a session issues the right certificates with the hours attended and mails them
 * (delivered by the real worker to an in-process SMTP server, PDFs parsed back), closing is
 * refused before the sheets are locked and the second time, a failure midway leaves
 * nothing, re-issue and revocation, and the re-certification reminder with fixed clocks.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openTestDatabase } from "../support/database";
import { openMailDelivery, type MailDelivery } from "../support/mail-delivery";
import { readPdf } from "../support/pdf-text";
import { recipientsOf, type ParsedMail } from "../support/smtp";
import { createEnrolment, createModule, createSession, createUser, type CalendarDay, parisDateTime } from "../factories";
import type { Db } from "~/utils/db.server";

let close: typeof import("~/modules/certificates/session-close.server");
let issue: typeof import("~/modules/certificates/issue.server");
let recert: typeof import("~/modules/certificates/recertification.server");
let testDb: Db;
let closeDb: () => Promise<void>;
let mail: MailDelivery;

beforeAll(async () => {
  vi.stubEnv("LOG_LEVEL", "silent");
  ({ testDb, close: closeDb } = await openTestDatabase("certificate_lifecycle"));
  close = await import("~/modules/certificates/session-close.server");
  issue = await import("~/modules/certificates/issue.server");
  recert = await import("~/modules/certificates/recertification.server");
  mail = await openMailDelivery();
});

afterAll(async () => {
  await mail?.close();
  await closeDb?.();
});

const deliverAll = () => mail.deliverAll();
const mailsTo = (email: string): ParsedMail[] => mail.mailsTo(email);

const LONG_TITLE =
  "Accompagner les publics éloignés du numérique dans leurs démarches administratives en ligne — niveau 2 : Łódź, Київ, Hà Nội";

/** Two days, 09:00–12:30 and 13:30–17:00 (Paris): 840 minutes planned. */
function twoDays(first: CalendarDay, lockedAt: Date | null) {
  const second = { ...first, day: first.day + 1 };
  return [
    { startsAt: parisDateTime(first, "09:00"), endsAt: parisDateTime(first, "12:30"), lockedAt },
    { startsAt: parisDateTime(first, "13:30"), endsAt: parisDateTime(first, "17:00"), lockedAt },
    { startsAt: parisDateTime(second, "09:00"), endsAt: parisDateTime(second, "12:30"), lockedAt },
    { startsAt: parisDateTime(second, "13:30"), endsAt: parisDateTime(second, "17:00"), lockedAt },
  ];
}

type Status = "PRESENT" | "LATE" | "ABSENT";

/** A finished session with a trainer and trainees whose marks per slot are given. */
async function finishedSession(input: { first: CalendarDay; locked: boolean; validityMonths?: number | null; trainees: Record<string, { name: string; marks: Status[]; objectives?: boolean | null; status?: "CONFIRMED" | "CANCELLED" }> }) {
  const trainer = await createUser(testDb, { roles: ["TRAINER"], name: "Maëlys Le Goff" });
  const module = await createModule(testDb, { title: LONG_TITLE, certificateValidityMonths: input.validityMonths ?? 24 });
  const session = await createSession(testDb, { moduleId: module.id, trainerId: trainer.id, slots: twoDays(input.first, input.locked ? parisDateTime(input.first, "18:00") : null) });
  const people: Record<string, { userId: string; email: string; enrolmentId: string }> = {};
  for (const [key, t] of Object.entries(input.trainees)) {
    const user = await createUser(testDb, { name: t.name });
    const e = await createEnrolment(testDb, { sessionId: session.id, userId: user.id, status: t.status ?? "CONFIRMED", objectivesReached: t.objectives ?? null });
    for (const [i, status] of t.marks.entries()) {
      await testDb.signature.create({ data: { slotId: session.slots[i]!.id, enrolmentId: e.id, status, method: "TRAINER", signedAt: session.slots[i]!.startsAt } });
    }
    people[key] = { userId: user.id, email: user.email, enrolmentId: e.id };
  }
  const admin = await createUser(testDb, { roles: ["ADMIN"] });
  const actor = (id: string, roles: ("LEARNER" | "TRAINER" | "ADMIN")[]) => ({ id, roles, memberships: [] });
  return { session, module, people, trainer: actor(trainer.id, ["TRAINER"]), admin: actor(admin.id, ["ADMIN"]) };
}

describe("closing a session", () => {
  const NOW = new Date("2026-03-04T10:00:00Z");
  let s: Awaited<ReturnType<typeof finishedSession>>;

  beforeAll(async () => {
    s = await finishedSession({
      first: { year: 2026, month: 3, day: 2 },
      locked: true,
      trainees: {
        full: { name: "Nguyễn Thị Minh Khai", marks: ["PRESENT", "LATE", "PRESENT", "PRESENT"], objectives: true },
        partial: { name: "فاطمة الزهراء Benali", marks: ["PRESENT", "PRESENT", "ABSENT", "ABSENT"], objectives: false },
        absent: { name: "Ольга Петрова", marks: ["ABSENT", "ABSENT", "ABSENT", "ABSENT"] },
        unmarked: { name: "Zoë O'Brien-Dupont", marks: [] },
        cancelled: { name: "Jean Martin", marks: ["PRESENT"], status: "CANCELLED" },
      },
    });
  });

  it("is refused to another trainer, and while a sheet is not locked", async () => {
    const other = await createUser(testDb, { roles: ["TRAINER"] });
    expect(await close.closeSession({ actor: { id: other.id, roles: ["TRAINER"], memberships: [] }, sessionId: s.session.id, now: NOW })).toMatchObject({ ok: false, status: 403 });

    const unlocked = await finishedSession({ first: { year: 2026, month: 3, day: 9 }, locked: false, trainees: { a: { name: "Léa Roux", marks: ["PRESENT"] } } });
    const refused = await close.closeSession({ actor: unlocked.trainer, sessionId: unlocked.session.id, now: new Date("2026-03-11T10:00:00Z") });
    expect(refused).toMatchObject({ ok: false, status: 400 });
    expect(refused.ok ? "" : refused.error).toContain("4 feuilles d'émargement ne sont pas encore contresignées");
    const early = await close.closeSession({ actor: s.trainer, sessionId: s.session.id, now: new Date("2026-03-03T15:00:00Z") });
    expect(early.ok ? "" : early.error).toContain("pas encore passée");
    expect(await testDb.certificate.count({ where: { sessionId: { in: [s.session.id, unlocked.session.id] } } })).toBe(0);
  });

  it("issues both certificates to those who attended, with the hours attended, none to the absent, and mails them once", async () => {
    expect(await close.closeSession({ actor: s.trainer, sessionId: s.session.id, now: NOW })).toEqual({ ok: true, certified: 2, withoutCertificate: 2 });
    const session = await testDb.session.findUniqueOrThrow({ where: { id: s.session.id } });
    expect(session.status).toBe("CLOSED");
    expect(session.closedAt).toEqual(NOW);

    const certs = await testDb.certificate.findMany({ where: { sessionId: s.session.id }, orderBy: { number: "asc" } });
    const of = (key: string) => certs.filter((c) => c.enrolmentId === s.people[key]!.enrolmentId);
    expect(of("full").map((c) => [c.kind, c.attendedMinutes, c.objectivesReached]).sort()).toEqual([
      ["COMPLETION", 840, true],
      ["END_OF_TRAINING", 840, true],
    ]);
    expect(of("partial").map((c) => [c.kind, c.attendedMinutes, c.objectivesReached]).sort()).toEqual([
      ["COMPLETION", 420, false],
      ["END_OF_TRAINING", 420, false],
    ]);
    expect(of("absent")).toEqual([]);
    expect(of("unmarked")).toEqual([]);
    expect(of("cancelled")).toEqual([]);
    for (const c of certs) {
      const found = await issue.findCertificateForVerification(c.verificationCode, NOW);
      expect(found.kind === "found" && found.certificate.signatureValid && found.certificate.status).toBe("VALID");
    }
    expect(await testDb.auditLog.count({ where: { action: "session.closed", entityId: s.session.id } })).toBe(1);

    expect(await deliverAll()).toBe(2);
    const [mail, ...more] = mailsTo(s.people.partial!.email);
    expect(more).toHaveLength(0);
    expect(mail!.subject).toContain("Vos certificats");
    const pdfs = mail!.attachments.filter((a) => a.contentType === "application/pdf");
    expect(pdfs).toHaveLength(2);
    const completion = of("partial").find((c) => c.kind === "COMPLETION")!;
    const attestation = of("partial").find((c) => c.kind === "END_OF_TRAINING")!;
    const completionPdf = await readPdf(pdfs.find((a) => a.filename?.includes(completion.number))!.content);
    expect(completionPdf.text).toContain("Certificat de réalisation");
    expect(completionPdf.text).toContain(`N° ${completion.number}`);
    // pdf.js reads shaped Arabic back as presentation forms; NFKC folds them to the letters typed.
    expect(completionPdf.text.normalize("NFKC")).toContain("فاطمة الزهراء");
    expect(completionPdf.text).toContain("Benali");
    expect(completionPdf.text).toContain("7 h");
    expect(completionPdf.text.replace(/\s+/g, "")).toContain(LONG_TITLE.replace(/\s+/g, ""));
    expect(completionPdf.text).toContain(completion.verificationCode);
    const attestationPdf = await readPdf(pdfs.find((a) => a.filename?.includes(attestation.number))!.content);
    expect(attestationPdf.text).toContain("Attestation de fin de formation");
    expect(attestationPdf.text).toContain("Objectifs non atteints");
    expect(mailsTo(s.people.absent!.email)).toHaveLength(0);
    expect(mailsTo(s.people.unmarked!.email)).toHaveLength(0);
  });

  it("is refused the second time, and nothing more is issued", async () => {
    const before = await testDb.certificate.count({ where: { sessionId: s.session.id } });
    const again = await close.closeSession({ actor: s.admin, sessionId: s.session.id, now: new Date(NOW.getTime() + 60_000) });
    expect(again).toMatchObject({ ok: false, status: 400 });
    expect(again.ok ? "" : again.error).toContain("déjà clôturée");
    expect(await testDb.certificate.count({ where: { sessionId: s.session.id } })).toBe(before);
  });

  it("re-issues a certificate with a new number, supersedes the old one and mails the new PDF; revokes with a reason", async () => {
    const old = await testDb.certificate.findFirstOrThrow({ where: { enrolmentId: s.people.full!.enrolmentId, kind: "COMPLETION" } });
    expect(await close.reissueCertificate({ actor: s.trainer, id: old.id })).toMatchObject({ ok: false, status: 403 });
    const later = new Date("2026-03-10T09:00:00Z");
    const result = await close.reissueCertificate({ actor: s.admin, id: old.id, now: later });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.number).not.toBe(old.number);
    const oldNow = await issue.findCertificateForVerification(old.verificationCode, later);
    expect(oldNow.kind === "found" && oldNow.certificate.status).toBe("SUPERSEDED");
    expect(await close.reissueCertificate({ actor: s.admin, id: old.id, now: later })).toMatchObject({ ok: false, status: 400 });

    expect(await deliverAll()).toBe(1);
    const mails = mailsTo(s.people.full!.email);
    const reissued = mails.at(-1)!;
    expect(reissued.subject).toContain("Document mis à jour");
    const [pdf] = reissued.attachments.filter((a) => a.contentType === "application/pdf");
    expect(reissued.attachments.filter((a) => a.contentType === "application/pdf")).toHaveLength(1);
    expect((await readPdf(pdf!.content)).text).toContain(result.number);

    const short = await issue.revokeCertificate({ actor: s.admin, id: result.id, reason: "erreur", now: later });
    expect(short).toMatchObject({ ok: false, status: 400 });
    expect(await issue.revokeCertificate({ actor: s.admin, id: result.id, reason: "Émargement signé par un tiers.", now: later })).toEqual({ ok: true });
    expect(await close.reissueCertificate({ actor: s.admin, id: result.id, now: later })).toMatchObject({ ok: false, status: 400 });
    const revoked = await issue.findCertificateForVerification((await testDb.certificate.findUniqueOrThrow({ where: { id: result.id } })).verificationCode, later);
    expect(revoked.kind === "found" && revoked.certificate.status).toBe("REVOKED");
  });

  it("leaves nothing half-done when issuing fails midway (the year's numbers run out)", async () => {
    const t = await finishedSession({
      first: { year: 2031, month: 3, day: 3 },
      locked: true,
      trainees: { a: { name: "Łucja Kowalska", marks: ["PRESENT", "PRESENT", "PRESENT", "PRESENT"] }, b: { name: "王秀英", marks: ["PRESENT", "ABSENT", "ABSENT", "ABSENT"] } },
    });
    await testDb.certificateCounter.create({ data: { year: 2031, last: 999_998 } });
    const mailsBefore = await testDb.outboxMail.count();
    const now = new Date("2031-03-06T10:00:00Z");
    await expect(close.closeSession({ actor: t.admin, sessionId: t.session.id, now })).rejects.toThrow(RangeError);
    expect((await testDb.session.findUniqueOrThrow({ where: { id: t.session.id } })).status).toBe("SCHEDULED");
    expect(await testDb.certificate.count({ where: { sessionId: t.session.id } })).toBe(0);
    expect(await testDb.outboxMail.count()).toBe(mailsBefore);
    expect((await testDb.certificateCounter.findUniqueOrThrow({ where: { year: 2031 } })).last).toBe(999_998);

    await testDb.certificateCounter.update({ where: { year: 2031 }, data: { last: 0 } });
    expect(await close.closeSession({ actor: t.admin, sessionId: t.session.id, now })).toEqual({ ok: true, certified: 2, withoutCertificate: 0 });
    expect(await testDb.outboxMail.count()).toBe(mailsBefore + 2);
  });
});

describe("objectives", () => {
  it("are recorded by the session's trainer until closing, with yes, no or not assessed", async () => {
    const s = await finishedSession({
      first: { year: 2026, month: 4, day: 13 },
      locked: true,
      trainees: { a: { name: "Léa Roux", marks: ["PRESENT"], objectives: true }, b: { name: "Karim Haddad", marks: ["PRESENT"] } },
    });
    const choices = { [s.people.a!.enrolmentId]: "unknown", [s.people.b!.enrolmentId]: "yes" } as const;
    const other = await createUser(testDb, { roles: ["TRAINER"] });
    expect(await close.recordObjectives({ actor: { id: other.id, roles: ["TRAINER"], memberships: [] }, sessionId: s.session.id, choices })).toMatchObject({ ok: false, status: 403 });
    expect(await close.recordObjectives({ actor: s.trainer, sessionId: s.session.id, choices })).toEqual({ ok: true, changed: 2 });
    const rows = await testDb.enrolment.findMany({ where: { sessionId: s.session.id }, select: { id: true, objectivesReached: true } });
    expect(Object.fromEntries(rows.map((r) => [r.id, r.objectivesReached]))).toEqual({ [s.people.a!.enrolmentId]: null, [s.people.b!.enrolmentId]: true });
    expect(await testDb.auditLog.count({ where: { action: "enrolment.objectives_recorded", entityId: { in: Object.keys(choices) } } })).toBe(2);

    await close.closeSession({ actor: s.trainer, sessionId: s.session.id, now: new Date("2026-04-20T10:00:00Z") });
    expect(await close.recordObjectives({ actor: s.trainer, sessionId: s.session.id, choices })).toMatchObject({ ok: false, status: 400 });
  });
});

describe("re-certification reminder", () => {
  it("mails each valid expiring certificate's holder once, a month before expiry, skipping revoked and superseded ones", async () => {
    // Session ends on 10 June 2026; 12 months' validity: expires at midnight starting 10 June 2027 (Paris), reminder from 10 May 2027.
    const s = await finishedSession({
      first: { year: 2026, month: 6, day: 9 },
      locked: true,
      validityMonths: 12,
      trainees: {
        valid: { name: "Thomas N'Diaye", marks: ["PRESENT", "PRESENT", "PRESENT", "PRESENT"] },
        revoked: { name: "Françoise Gauthier", marks: ["PRESENT", "PRESENT", "PRESENT", "PRESENT"] },
        reissued: { name: "Maëlle Kerbrat", marks: ["PRESENT", "PRESENT", "PRESENT", "PRESENT"] },
      },
    });
    await close.closeSession({ actor: s.admin, sessionId: s.session.id, now: new Date("2026-06-11T10:00:00Z") });
    const completion = (key: string) => testDb.certificate.findFirstOrThrow({ where: { enrolmentId: s.people[key]!.enrolmentId, kind: "COMPLETION", supersededAt: null } });
    expect((await completion("valid")).expiresAt).toEqual(new Date("2027-06-09T22:00:00Z"));
    await issue.revokeCertificate({ actor: s.admin, id: (await completion("revoked")).id, reason: "Inscription frauduleuse constatée.", now: new Date("2026-07-01T10:00:00Z") });
    const oldOfReissued = await completion("reissued");
    await close.reissueCertificate({ actor: s.admin, id: oldOfReissued.id, now: new Date("2026-07-01T10:00:00Z") });
    await deliverAll();
    const before = mail.smtp.messages.length;

    expect(await recert.sendRecertificationReminders(new Date("2027-05-09T21:59:00Z"))).toBe(0);
    expect(await recert.sendRecertificationReminders(new Date("2027-05-09T22:00:00Z"))).toBe(2);
    expect(await recert.sendRecertificationReminders(new Date("2027-05-20T08:00:00Z"))).toBe(0);
    expect(await deliverAll()).toBe(2);
    const reminders = mail.smtp.messages.slice(before);
    expect(reminders.flatMap(recipientsOf).sort()).toEqual([s.people.valid!.email, s.people.reissued!.email].map((e) => e.toLowerCase()).sort());
    const reminder = reminders.find((m) => recipientsOf(m).includes(s.people.valid!.email.toLowerCase()))!;
    expect(reminder.subject).toContain("expire bientôt");
    expect(reminder.text).toContain("valable jusqu'au 9 juin 2027");
    expect((await completion("valid")).reminderSentAt).toEqual(new Date("2027-05-09T22:00:00Z"));
    expect((await testDb.certificate.findUniqueOrThrow({ where: { id: oldOfReissued.id } })).reminderSentAt).toBeNull();
  });
});
