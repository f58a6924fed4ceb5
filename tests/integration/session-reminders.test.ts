/**
 * The 7-day and 1-day reminders against a real database (SQLite, or PostgreSQL with
 * TEST_DATABASE=postgresql), delivered by the real mail worker to the in-process SMTP
 * server. The code under test is imported late: it reads DATABASE_URL when first used.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openTestDatabase } from "../support/database";
import { openMailDelivery, type MailDelivery } from "../support/mail-delivery";
import type { ParsedMail } from "../support/smtp";
import { addDays, createEnrolment, createModule, createSession, createUser, parisDateTime, parisDay } from "../factories";
import type { Db } from "~/utils/db.server";

type Reminders = typeof import("~/modules/enrolment/reminders.server");
let reminders: Reminders;
let testDb: Db;
let closeDb: (() => Promise<void>) | undefined;
let mail: MailDelivery;

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const now = new Date();
const at = (ms: number) => new Date(now.getTime() + ms);

beforeAll(async () => {
  vi.stubEnv("LOG_LEVEL", "silent");
  ({ testDb, close: closeDb } = await openTestDatabase("session_reminders"));
  reminders = await import("~/modules/enrolment/reminders.server");
  mail = await openMailDelivery();
});

afterAll(async () => {
  await mail?.close();
  await closeDb?.();
});

const deliverAll = () => mail.deliverAll();
const mailsTo = (email: string): ParsedMail[] => mail.mailsTo(email);
const stamps = (id: string) => testDb.enrolment.findUniqueOrThrow({ where: { id }, select: { reminder7SentAt: true, reminder1SentAt: true } });

describe("session reminders", () => {
  // One in-person session in about 6 days (two half-days, 09:00 Paris), one remote session in 20 hours.
  const day = parisDay(at(6 * DAY));
  const inPersonSlots = [
    { startsAt: parisDateTime(day, "09:00"), endsAt: parisDateTime(day, "12:30") },
    { startsAt: parisDateTime(addDays(day, 1), "13:30"), endsAt: parisDateTime(addDays(day, 1), "17:00") },
  ];
  const start = inPersonSlots[0]!.startsAt;
  const people = {} as Record<"early" | "late" | "waiting" | "cancelled" | "remote" | "inCancelledSession" | "inStartedSession", { id: string; email: string; enrolmentId: string }>;
  let remoteUrl = "";

  beforeAll(async () => {
    const trainer = await createUser(testDb, { roles: ["TRAINER"], name: "Maëlys Le Goff" });
    const module = await createModule(testDb, { title: "Pratiques d'accompagnement vers le numérique" });
    const inPerson = await createSession(testDb, { moduleId: module.id, trainerId: trainer.id, slots: inPersonSlots });
    const remote = await createSession(testDb, { moduleId: module.id, format: "REMOTE", slots: [{ startsAt: at(20 * HOUR), endsAt: at(23 * HOUR) }] });
    remoteUrl = remote.remoteUrl ?? "";
    const cancelled = await createSession(testDb, { moduleId: module.id, status: "CANCELLED", slots: [{ startsAt: at(20 * HOUR), endsAt: at(23 * HOUR) }] });
    const started = await createSession(testDb, { moduleId: module.id, slots: [{ startsAt: at(-HOUR), endsAt: at(2 * HOUR) }, { startsAt: at(22 * HOUR), endsAt: at(25 * HOUR) }] });
    const enrol = async (key: keyof typeof people, name: string, sessionId: string, over: Partial<Parameters<typeof createEnrolment>[1]> = {}) => {
      const user = await createUser(testDb, { name });
      const e = await createEnrolment(testDb, { sessionId, userId: user.id, status: "CONFIRMED", confirmedAt: at(-20 * DAY), ...over });
      people[key] = { id: user.id, email: user.email, enrolmentId: e.id };
    };
    await enrol("early", "Jean-Éric Lefèvre-Saint-Aubin", inPerson.id);
    await enrol("late", "Nguyễn Thị Minh Khai", inPerson.id, { confirmedAt: at(-60_000) });
    await enrol("waiting", "Łucja Wiśniewska", inPerson.id, { status: "WAITLISTED", confirmedAt: null });
    await enrol("cancelled", "Ольга Смирнова", inPerson.id, { status: "CANCELLED" });
    await enrol("remote", "Thomas N'Diaye", remote.id, { confirmedAt: at(-10 * DAY) });
    await testDb.enrolment.update({ where: { id: people.remote.enrolmentId }, data: { reminder7SentAt: at(-6 * DAY) } });
    await enrol("inCancelledSession", "Françoise Gauthier", cancelled.id);
    await enrol("inStartedSession", "王秀英", started.id);
  });

  it("sends the due reminders only: 7 days to the person enrolled long ago, 1 day for the remote session", async () => {
    expect(await reminders.sendSessionReminders(now)).toEqual({ sent7: 1, sent1: 1 });
    expect(await deliverAll()).toBe(2);

    const [early] = mailsTo(people.early.email);
    expect(mailsTo(people.early.email)).toHaveLength(1);
    expect(early?.subject).toBe("Rappel : votre formation dans 7 jours — Pratiques d'accompagnement vers le numérique");
    const text = early?.text ?? "";
    expect(text).toContain("Bonjour Jean-Éric Lefèvre-Saint-Aubin,");
    expect(text).toContain("commence dans une semaine");
    expect(text).toContain("2 demi-journées");
    expect(text).toContain("09:00 – 12:30");
    expect(text).toContain("13:30 – 17:00");
    expect(text).toContain("8 rue Saint-Jérôme");
    expect(text).toContain("Métro B, arrêt Saxe-Gambetta");
    expect(text).toContain("Formatrice ou formateur : Maëlys Le Goff");
    expect(text).toMatch(/http:\/\/[^\s]+\/mon-espace(\s|$)/);
    expect(text).toContain(`/mon-espace/inscriptions/${people.early.enrolmentId}`);
    expect(early?.html).toContain("Maëlys Le Goff");
    const ics = early?.attachments.find((a) => a.filename === "convocation.ics");
    expect(ics?.contentType).toMatch(/^text\/calendar/);
    expect(ics?.content.toString("utf8").match(/BEGIN:VEVENT/g)).toHaveLength(2);

    const [remote] = mailsTo(people.remote.email);
    expect(remote?.subject).toMatch(/^Rappel : votre formation commence demain/);
    expect(remote?.text).toContain(`Lien de connexion : ${remoteUrl}`);

    for (const key of ["late", "waiting", "cancelled", "inCancelledSession", "inStartedSession"] as const) {
      expect(mailsTo(people[key].email), key).toHaveLength(0);
    }
    expect(await stamps(people.early.enrolmentId)).toEqual({ reminder7SentAt: now, reminder1SentAt: null });
    expect((await stamps(people.remote.enrolmentId)).reminder1SentAt).toEqual(now);
    expect(await stamps(people.late.enrolmentId)).toEqual({ reminder7SentAt: null, reminder1SentAt: null });
    const audit = await testDb.auditLog.findMany({ where: { action: "enrolment.reminder_sent" }, orderBy: { entityId: "asc" } });
    expect(audit.map((a) => [a.entityId, (a.data as { daysBefore: number }).daysBefore]).sort()).toEqual(
      [
        [people.early.enrolmentId, 7],
        [people.remote.enrolmentId, 1],
      ].sort(),
    );
  });

  it("sends nothing more when run again, now or an hour later", async () => {
    expect(await reminders.sendSessionReminders(now)).toEqual({ sent7: 0, sent1: 0 });
    expect(await reminders.sendSessionReminders(at(HOUR))).toEqual({ sent7: 0, sent1: 0 });
    expect(await deliverAll()).toBe(0);
    expect(mailsTo(people.early.email)).toHaveLength(1);
    expect(mailsTo(people.remote.email)).toHaveLength(1);
  });

  it("sends the 1-day reminder the day before, also to the person who enrolled late", async () => {
    const dayBefore = new Date(start.getTime() - 20 * HOUR);
    expect(await reminders.sendSessionReminders(dayBefore)).toEqual({ sent7: 0, sent1: 2 });
    expect(await reminders.sendSessionReminders(dayBefore)).toEqual({ sent7: 0, sent1: 0 });
    expect(await deliverAll()).toBe(2);
    expect(mailsTo(people.early.email).map((m) => m.subject)).toEqual([
      "Rappel : votre formation dans 7 jours — Pratiques d'accompagnement vers le numérique",
      "Rappel : votre formation commence demain — Pratiques d'accompagnement vers le numérique",
    ]);
    expect(mailsTo(people.late.email).map((m) => m.subject)).toEqual(["Rappel : votre formation commence demain — Pratiques d'accompagnement vers le numérique"]);
    expect(mailsTo(people.waiting.email)).toHaveLength(0);
  });

  it("sends each reminder once when several runs overlap", async () => {
    const module = await createModule(testDb);
    const session = await createSession(testDb, { moduleId: module.id, slots: [{ startsAt: at(3 * DAY), endsAt: at(3 * DAY + 3 * HOUR) }] });
    const emails: string[] = [];
    for (let i = 0; i < 6; i++) {
      const user = await createUser(testDb);
      await createEnrolment(testDb, { sessionId: session.id, userId: user.id, status: "CONFIRMED", confirmedAt: at(-30 * DAY) });
      emails.push(user.email);
    }
    const runs = await Promise.all([reminders.sendSessionReminders(now), reminders.sendSessionReminders(now), reminders.sendSessionReminders(now)]);
    expect(runs.reduce((n, r) => n + r.sent7, 0)).toBe(6);
    expect(runs.reduce((n, r) => n + r.sent1, 0)).toBe(0);
    expect(await testDb.outboxMail.count({ where: { template: "session-reminder", to: { in: emails } } })).toBe(6);
    await deliverAll();
    for (const email of emails) expect(mailsTo(email), email).toHaveLength(1);
  });
});
