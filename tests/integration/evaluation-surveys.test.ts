/**
 * The evaluation surveys against a real database (SQLite, or PostgreSQL with
 * TEST_DATABASE=postgresql) with fixed clocks: who gets the end-of-session and the
 * three-month surveys, that running the job again (or twice at once) sends nothing more, and
 * the one answer a link allows. Mails go through the real worker to the in-process SMTP
 * server. The code under test is imported late: it reads DATABASE_URL when first used.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openTestDatabase } from "../support/database";
import { openMailDelivery, type MailDelivery } from "../support/mail-delivery";
import { extractLink, type ParsedMail } from "../support/smtp";
import { createEnrolment, createModule, createSession, createUser, halfDaySlots, markAttendance } from "../factories";
import type { Db } from "~/utils/db.server";

type Surveys = typeof import("~/modules/evaluations/surveys.server");
let surveys: Surveys;
let testDb: Db;
let closeDb: (() => Promise<void>) | undefined;
let mail: MailDelivery;

beforeAll(async () => {
  vi.stubEnv("LOG_LEVEL", "silent");
  ({ testDb, close: closeDb } = await openTestDatabase("evaluation_surveys"));
  surveys = await import("~/modules/evaluations/surveys.server");
  mail = await openMailDelivery();
});

afterAll(async () => {
  await mail?.close();
  await closeDb?.();
});

const deliverAll = () => mail.deliverAll();
const mailsTo = (email: string): ParsedMail[] => mail.mailsTo(email);
const tokenOf = (mail: ParsedMail) => new URL(extractLink(mail, "/questionnaire/")).pathname.split("/")[2]!;

type Person = { email: string; enrolmentId: string };

describe("evaluation surveys", () => {
  // A two-day session on Monday 2 and Tuesday 3 March 2026 (four half-days), closed on the Wednesday.
  const slots = halfDaySlots([
    { year: 2026, month: 3, day: 2 },
    { year: 2026, month: 3, day: 3 },
  ]);
  const closedAt = new Date("2026-03-04T09:00:00Z");
  const endsAt = slots.at(-1)!.endsAt; // Tuesday 3 March, 17:00 Paris
  const people = {} as Record<"full" | "partial" | "late" | "absent" | "unmarked" | "cancelled" | "waitlisted" | "notClosed" | "longAgo", Person>;

  beforeAll(async () => {
    const module = await createModule(testDb, { title: "Pratiques d'accompagnement vers le numérique" });
    const session = await createSession(testDb, { moduleId: module.id, status: "CLOSED", closedAt, slots });
    const notClosed = await createSession(testDb, { moduleId: module.id, slots: halfDaySlots([{ year: 2026, month: 3, day: 2 }]) });
    const longAgo = await createSession(testDb, {
      moduleId: module.id,
      status: "CLOSED",
      closedAt: new Date("2025-06-20T09:00:00Z"),
      slots: halfDaySlots([{ year: 2025, month: 6, day: 19 }]),
    });
    const enrol = async (key: keyof typeof people, name: string, s: { id: string; slots: { id: string }[] }, marks: ("PRESENT" | "LATE" | "ABSENT")[], over = {}) => {
      const user = await createUser(testDb, { name });
      const e = await createEnrolment(testDb, { sessionId: s.id, userId: user.id, ...over });
      for (const [i, status] of marks.entries()) await markAttendance(testDb, { slotId: s.slots[i]!.id, enrolmentId: e.id, status });
      people[key] = { email: user.email, enrolmentId: e.id };
    };
    await enrol("full", "Jean-Éric Lefèvre-Saint-Aubin", session, ["PRESENT", "PRESENT", "PRESENT", "PRESENT"]);
    await enrol("partial", "Nguyễn Thị Minh Khai", session, ["PRESENT", "ABSENT", "ABSENT", "ABSENT"]);
    await enrol("late", "Łucja Wiśniewska", session, ["ABSENT", "ABSENT", "ABSENT", "LATE"]);
    await enrol("absent", "Ольга Смирнова", session, ["ABSENT", "ABSENT", "ABSENT", "ABSENT"]);
    await enrol("unmarked", "Thomas N'Diaye", session, []);
    await enrol("cancelled", "Françoise Gauthier", session, ["PRESENT"], { status: "CANCELLED" });
    await enrol("waitlisted", "Maëlys Le Goff", session, [], { status: "WAITLISTED" });
    await enrol("notClosed", "王秀英", notClosed, ["PRESENT", "PRESENT"]);
    await enrol("longAgo", "فاطمة الزهراء", longAgo, ["PRESENT", "PRESENT"]);
  });

  const attendees = () => [people.full, people.partial, people.late];

  it("sends nothing before the session is closed", async () => {
    expect(await surveys.sendDueSurveys(new Date("2026-03-04T08:59:00Z"))).toEqual({ hot: 0, cold: 0 });
    expect(await testDb.surveyResponse.count()).toBe(0);
  });

  it("sends the end-of-session survey once to each trainee who attended part of a half-day, never to absentees", async () => {
    const now = new Date("2026-03-04T10:00:00Z");
    expect(await surveys.sendDueSurveys(now)).toEqual({ hot: 3, cold: 0 });
    expect(await surveys.sendDueSurveys(new Date("2026-03-05T10:00:00Z"))).toEqual({ hot: 0, cold: 0 });
    expect(await deliverAll()).toBe(3);

    for (const person of attendees()) {
      const mails = mailsTo(person.email);
      expect(mails).toHaveLength(1);
      expect(mails[0]!.subject).toBe("Votre avis sur la formation « Pratiques d'accompagnement vers le numérique »");
      expect(mails[0]!.text).toContain("Du 2 mars 2026 au 3 mars 2026");
      const token = tokenOf(mails[0]!);
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      // Only the token's hash is stored.
      const row = await testDb.surveyResponse.findUniqueOrThrow({ where: { enrolmentId_kind: { enrolmentId: person.enrolmentId, kind: "HOT" } } });
      expect(row.tokenHash).toBe(createHash("sha256").update(token).digest("hex"));
      expect(row.sentAt).toEqual(now);
      expect(row.respondedAt).toBeNull();
    }
    for (const person of [people.absent, people.unmarked, people.cancelled, people.waitlisted, people.notClosed, people.longAgo]) {
      expect(mailsTo(person.email)).toHaveLength(0);
      expect(await testDb.surveyResponse.count({ where: { enrolmentId: person.enrolmentId } })).toBe(0);
    }
    const tokens = new Set(attendees().map((p) => tokenOf(mailsTo(p.email)[0]!)));
    expect(tokens.size).toBe(3);
  });

  it("sends the follow-up three months after the last half-day, to the same people, once", async () => {
    const due = new Date(Date.UTC(2026, 5, 3, endsAt.getUTCHours(), endsAt.getUTCMinutes())); // 3 June 2026, same time
    expect(await surveys.sendDueSurveys(new Date(due.getTime() - 60_000))).toEqual({ hot: 0, cold: 0 });
    const [first, second] = await Promise.all([surveys.sendDueSurveys(new Date(due.getTime() + 3600_000)), surveys.sendDueSurveys(new Date(due.getTime() + 3600_000))]);
    expect(first.cold + second.cold).toBe(3);
    expect(first.hot + second.hot).toBe(0);
    expect(await surveys.sendDueSurveys(new Date(due.getTime() + 7 * 86_400_000))).toEqual({ hot: 0, cold: 0 });
    expect(await deliverAll()).toBe(3);
    for (const person of attendees()) {
      const cold = mailsTo(person.email).filter((m) => m.subject?.startsWith("Trois mois après"));
      expect(cold).toHaveLength(1);
      expect(await testDb.surveyResponse.count({ where: { enrolmentId: person.enrolmentId } })).toBe(2);
    }
    expect(mailsTo(people.absent.email)).toHaveLength(0);
  });

  it("takes one answer per link, and says so for a second one or an unknown link", async () => {
    const hotToken = tokenOf(mailsTo(people.full.email).find((m) => m.subject?.startsWith("Votre avis"))!);
    const coldToken = tokenOf(mailsTo(people.full.email).find((m) => m.subject?.startsWith("Trois mois après"))!);
    const answeredAt = new Date("2026-03-04T18:00:00Z");

    expect(await surveys.getSurvey(hotToken)).toEqual({
      kind: "HOT",
      moduleTitle: "Pratiques d'accompagnement vers le numérique",
      dates: "Du 2 mars 2026 au 3 mars 2026",
      respondedAt: null,
    });
    const answer = { satisfaction: 5, recommend: "oui" as const, comment: "Très concret, merci à Maëlys !", practice: "ignoré à chaud" };
    expect(await surveys.answerSurvey(hotToken, answer, answeredAt)).toBe("saved");
    expect(await surveys.answerSurvey(hotToken, { ...answer, satisfaction: 1 }, new Date())).toBe("already-answered");
    const row = await testDb.surveyResponse.findUniqueOrThrow({ where: { enrolmentId_kind: { enrolmentId: people.full.enrolmentId, kind: "HOT" } } });
    expect(row).toMatchObject({ satisfaction: 5, respondedAt: answeredAt, answers: { recommend: true, comment: "Très concret, merci à Maëlys !" } });
    expect(row.answers).not.toHaveProperty("practice");
    expect((await surveys.getSurvey(hotToken))?.respondedAt).toEqual(answeredAt);

    expect(await surveys.answerSurvey(coldToken, { satisfaction: 4, recommend: "non", comment: null, practice: "Le pas-à-pas FranceConnect avec les personnes accueillies." })).toBe("saved");
    const cold = await testDb.surveyResponse.findUniqueOrThrow({ where: { enrolmentId_kind: { enrolmentId: people.full.enrolmentId, kind: "COLD" } } });
    expect(cold.answers).toEqual({ recommend: false, comment: null, practice: "Le pas-à-pas FranceConnect avec les personnes accueillies." });

    const unknown = "A".repeat(43);
    expect(await surveys.getSurvey(unknown)).toBeNull();
    expect(await surveys.answerSurvey(unknown, answer)).toBe("unknown");
    expect(await surveys.getSurvey("pas-un-jeton")).toBeNull();
    expect(await surveys.answerSurvey(row.tokenHash, answer)).toBe("unknown"); // the stored hash is not a key
  });
});
