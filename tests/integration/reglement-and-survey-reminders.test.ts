/**
 * Issue 15, points 4 and 8, against a real database (TEST_DATABASE): règlement intérieur
 * versions (numbering, stale forms, two publishes at once), the version delivered with a
 * convocation recorded on the enrolment, and the one survey reminder, even when the job runs
 * twice or on two clients at once.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openTestDatabase } from "../support/database";
import { createEnrolment, createModule, createSession, createUser } from "../factories";
import { hashToken } from "../../app/modules/auth/tokens.server";
import type { Db } from "~/utils/db.server";

let testDb: Db;
let closeDb: (() => Promise<void>) | undefined;
let rules: typeof import("~/modules/internal-rules/internal-rules.server");
let surveys: typeof import("~/modules/evaluations/surveys.server");
let enrolment: typeof import("~/modules/enrolment/enrolment.server");

const DAY = 24 * 3600_000;
const TEXT = (n: number) => `# Règlement intérieur, texte ${n}\n\n${"Les stagiaires respectent les consignes d'hygiène et de sécurité. ".repeat(5)}`;

beforeAll(async () => {
  vi.stubEnv("LOG_LEVEL", "silent");
  ({ testDb, close: closeDb } = await openTestDatabase("reglement_and_survey_reminders"));
  rules = await import("~/modules/internal-rules/internal-rules.server");
  surveys = await import("~/modules/evaluations/surveys.server");
  enrolment = await import("~/modules/enrolment/enrolment.server");
}, 120_000);

afterAll(async () => {
  await closeDb?.();
});

describe("règlement intérieur versions and delivery", () => {
  it("numbers versions, refuses a stale form, lets one of two simultaneous publishes win, and records the version each convocation delivered", async () => {
    const staff = { ...(await createUser(testDb, { roles: ["ADMIN"], name: "Aïcha Benali" })), roles: ["ADMIN" as const], memberships: [] };
    const learner = await createUser(testDb, { roles: ["LEARNER"] });
    expect(await rules.publishRules({ staff: { ...learner, roles: ["LEARNER"], memberships: [] }, body: TEXT(0), baseNumber: 0 })).toMatchObject({ ok: false });
    expect(await rules.publishRules({ staff, body: TEXT(1), baseNumber: 0 })).toEqual({ ok: true, number: 1 });
    const stale = await rules.publishRules({ staff, body: TEXT(2), baseNumber: 0 });
    expect(stale).toMatchObject({ ok: false, error: expect.stringContaining("La version 1 a été enregistrée par Aïcha Benali") });
    const both = await Promise.all([rules.publishRules({ staff, body: TEXT(3), baseNumber: 1 }), rules.publishRules({ staff, body: TEXT(4), baseNumber: 1 })]);
    expect(both.filter((r) => r.ok)).toEqual([{ ok: true, number: 2 }]);
    expect((await testDb.internalRulesVersion.findMany({ orderBy: { number: "asc" } })).map((v) => v.number)).toEqual([1, 2]);

    const module = await createModule(testDb, {});
    const session = await createSession(testDb, { moduleId: module.id, priceCents: 0 });
    const result = await enrolment.enrolSelf({ user: learner, sessionId: session.id, funding: "FREE" as never });
    expect(result).toMatchObject({ ok: true, status: "CONFIRMED" });
    const row = await testDb.enrolment.findFirstOrThrow({ where: { userId: learner.id }, include: { rulesVersion: true } });
    expect(row.rulesVersion?.number).toBe(2);
    const mail = await testDb.outboxMail.findFirstOrThrow({ where: { template: "convocation", to: learner.email } });
    expect(mail.text).toContain("/mon-espace/reglement-interieur?version=2");
    expect(mail.text).toContain("version 2 du");

    const view = await rules.learnerRules({ userId: learner.id, number: 1 });
    expect(view.refused).toBe(true); // version 1 was never delivered to them and is not in force
    expect((await rules.learnerRules({ userId: learner.id, number: 2 })).shown?.number).toBe(2);
  });
});

describe("survey reminders", () => {
  it("sends one reminder per unanswered survey after the delay, never twice, even run twice or on two clients at once", async () => {
    const now = new Date();
    const module = await createModule(testDb, {});
    const session = await createSession(testDb, { moduleId: module.id, status: "CLOSED" });
    const people = await Promise.all([0, 1, 2, 3].map(() => createUser(testDb, { roles: ["LEARNER"] })));
    const made = [];
    for (const [i, p] of people.entries()) {
      const e = await createEnrolment(testDb, { sessionId: session.id, userId: p.id, status: "CONFIRMED", funding: "FREE" });
      made.push(
        await testDb.surveyResponse.create({
          data: {
            enrolmentId: e.id,
            kind: i === 3 ? "COLD" : "HOT",
            tokenHash: hashToken(`token-${i}-${now.getTime()}`),
            // 0: due (6 days); 1: answered; 2: too recent (2 days); 3: cold, due
            sentAt: new Date(now.getTime() - (i === 2 ? 2 : 6) * DAY),
            respondedAt: i === 1 ? now : null,
          },
        }),
      );
    }
    // Two runs at once (the second through another client on the same database), then a third later.
    const [a, b] = await Promise.all([surveys.sendSurveyReminders(now, 5), surveys.sendSurveyReminders(now, 5)]);
    const again = await surveys.sendSurveyReminders(new Date(now.getTime() + DAY), 5);
    expect(a.hotReminders + b.hotReminders).toBe(1);
    expect(a.coldReminders + b.coldReminders).toBe(1);
    expect(again).toEqual({ hotReminders: 0, coldReminders: 0 });
    const reminders = await testDb.outboxMail.findMany({ where: { to: { in: people.map((p) => p.email) } } });
    expect(reminders.map((m) => m.to).sort()).toEqual([people[0]!.email, people[3]!.email].sort());
    expect(reminders.every((m) => m.subject.startsWith("Rappel : "))).toBe(true);
    const link = /\/questionnaire\/([A-Za-z0-9_-]{43})/.exec(reminders.find((m) => m.to === people[0]!.email)!.text)![1]!;
    // The reminder's link answers the same survey, once.
    expect(await surveys.getSurvey(link)).toMatchObject({ kind: "HOT", respondedAt: null });
    expect(await surveys.answerSurvey(link, { satisfaction: 5, recommend: "oui", comment: "" } as never)).toBe("saved");
    expect((await testDb.surveyResponse.findUniqueOrThrow({ where: { id: made[0]!.id } })).respondedAt).not.toBeNull();
  });
});
