/**
 * The yearly report (BPF figures and Qualiopi rates) against a real database (SQLite, or
 * PostgreSQL with TEST_DATABASE=postgresql): sessions of two modules, mixed funding, partial
 * attendance and late arrivals, a session across New Year, one not yet closed, and sessions of
 * other years that must stay out. Then the CSV of the same year, parsed back.
 */
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../support/database";
import { createEnrolment, createModule, createSession, createUser, halfDaySlots, markAttendance, parisDateTime } from "../factories";
import type { Db } from "~/utils/db.server";

let testDb: Db;
let close: () => Promise<void>;
let reports: typeof import("~/modules/reports/annual-report.server");
let rules: typeof import("~/modules/reports/annual-report.rules");

type Mark = "PRESENT" | "LATE" | "ABSENT";
type Funding = "CARD" | "STRUCTURE" | "OPCO" | "FREE";

beforeAll(async () => {
  ({ testDb, close } = await openTestDatabase("annual_report"));
  reports = await import("~/modules/reports/annual-report.server");
  rules = await import("~/modules/reports/annual-report.rules");

  const a = await createModule(testDb, { number: 1, title: "Sensibilisation et compréhension de l'inclusion numérique" });
  const b = await createModule(testDb, { number: 2, title: "Pratiques d'accompagnement vers le numérique" });
  const closed = (day: string) => ({ status: "CLOSED" as const, closedAt: new Date(`${day}T18:00:00Z`) });
  const day = (year: number, month: number, d: number) => ({ year, month, day: d });

  // Module 1, 3–4 March 2025: four half-days of 3 h 30.
  const a1 = await createSession(testDb, { moduleId: a.id, ...closed("2025-03-04"), slots: halfDaySlots([day(2025, 3, 3), day(2025, 3, 4)]) });
  // Module 2, 14 October 2025, remote.
  const b1 = await createSession(testDb, { moduleId: b.id, format: "REMOTE", ...closed("2025-10-14"), slots: halfDaySlots([day(2025, 10, 14)]) });
  // Module 2 across New Year: the morning of 31 December 2025, the whole of 2 January 2026.
  const b2 = await createSession(testDb, {
    moduleId: b.id,
    ...closed("2026-01-02"),
    slots: [{ startsAt: parisDateTime(day(2025, 12, 31), "09:00"), endsAt: parisDateTime(day(2025, 12, 31), "12:30") }, ...halfDaySlots([day(2026, 1, 2)])],
  });
  // Module 2, 20 November 2025, held but not closed yet: its hours count, its rates wait.
  const b3 = await createSession(testDb, { moduleId: b.id, slots: halfDaySlots([day(2025, 11, 20)]) });
  // Module 1 in 2024: another year.
  const a0 = await createSession(testDb, { moduleId: a.id, ...closed("2024-05-14"), slots: halfDaySlots([day(2024, 5, 14)]) });

  const enrol = async (
    session: { id: string; slots: { id: string }[] },
    funding: Funding,
    marks: Mark[],
    extra: { objectivesReached?: boolean; hot?: number; status?: "CANCELLED" } = {},
  ) => {
    const user = await createUser(testDb);
    const e = await createEnrolment(testDb, { sessionId: session.id, userId: user.id, funding, status: extra.status, objectivesReached: extra.objectivesReached ?? null });
    for (const [i, status] of marks.entries()) await markAttendance(testDb, { slotId: session.slots[i]!.id, enrolmentId: e.id, status });
    if (extra.hot !== undefined)
      await testDb.surveyResponse.create({
        data: { enrolmentId: e.id, kind: "HOT", tokenHash: `hash-${e.id}`, sentAt: new Date("2025-12-01T10:00:00Z"), respondedAt: new Date("2025-12-01T11:00:00Z"), satisfaction: extra.hot },
      });
  };
  const all = (n: number): Mark[] => Array(n).fill("PRESENT");
  await enrol(a1, "STRUCTURE", all(4), { objectivesReached: true, hot: 5 }); // 14 h
  await enrol(a1, "OPCO", ["PRESENT", "PRESENT", "ABSENT", "ABSENT"], { objectivesReached: false, hot: 3 }); // 7 h
  await enrol(a1, "CARD", ["LATE", "PRESENT", "PRESENT", "PRESENT"]); // 14 h: a late arrival counts the half-day
  await enrol(a1, "FREE", ["ABSENT", "ABSENT", "ABSENT", "ABSENT"]); // no hour: not a trainee, but did not complete
  await enrol(a1, "CARD", [], { status: "CANCELLED", hot: 5 }); // cancelled: nowhere
  await enrol(b1, "STRUCTURE", all(2)); // 7 h
  await enrol(b1, "FREE", all(2), { hot: 4 }); // 7 h
  await enrol(b2, "OPCO", all(3), { objectivesReached: true }); // 3 h 30 in 2025, 7 h in 2026
  await enrol(b3, "CARD", ["PRESENT", "ABSENT"]); // 3 h 30
  await enrol(a0, "STRUCTURE", all(2), { hot: 1, objectivesReached: false }); // 2024
});

afterAll(async () => {
  await close?.();
});

describe("yearBounds", () => {
  it("follows the Paris calendar", () => {
    expect(reports.yearBounds(2026)).toEqual({ start: new Date("2025-12-31T23:00:00Z"), end: new Date("2026-12-31T23:00:00Z") });
  });
});

describe("loadAnnualReport", () => {
  it("counts the trainees and the hours attended in the year, by funding and by module", async () => {
    const { figures } = await reports.loadAnnualReport(2025);
    const h = 60;
    expect(figures.total).toEqual({ trainees: 7, minutes: 14 * h + 7 * h + 14 * h + 7 * h + 7 * h + 3.5 * h + 3.5 * h });
    expect(figures.byFunding.map((f) => [f.funding, f.trainees, f.minutes / h])).toEqual([
      ["STRUCTURE", 2, 21],
      ["OPCO", 2, 10.5],
      ["CARD", 2, 17.5],
      ["FREE", 1, 7],
    ]);
    expect(figures.byModule.map((m) => [m.number, m.title, m.trainees, m.minutes / h])).toEqual([
      [1, "Sensibilisation et compréhension de l'inclusion numérique", 3, 35],
      [2, "Pratiques d'accompagnement vers le numérique", 4, 21],
    ]);
  });

  it("rates the closed sessions that ended in the year", async () => {
    const { results } = await reports.loadAnnualReport(2025);
    expect(results.satisfaction).toEqual({ rate: 2 / 3, count: 2, total: 3, average: 4 });
    expect(results.completion).toEqual({ rate: 4 / 6, count: 4, total: 6 });
    expect(results.objectives).toEqual({ rate: 1 / 2, count: 1, total: 2 });
    expect(results.hotResponse).toEqual({ rate: 1, count: 3, total: 3, reminded: 0 }); // every survey created here was answered
    expect(results.coldResponse).toBeNull();
  });

  it("keeps each year to its own half-days and sessions", async () => {
    const next = await reports.loadAnnualReport(2026);
    expect(next.figures.total).toEqual({ trainees: 1, minutes: 7 * 60 });
    expect(next.figures.byModule.map((m) => m.number)).toEqual([2]);
    expect(next.results).toEqual({ satisfaction: null, completion: { rate: 1, count: 1, total: 1 }, objectives: { rate: 1, count: 1, total: 1 }, hotResponse: null, coldResponse: null });

    const before = await reports.loadAnnualReport(2024);
    expect(before.figures.total).toEqual({ trainees: 1, minutes: 7 * 60 });
    expect(before.results.satisfaction).toMatchObject({ count: 0, total: 1 });

    const empty = await reports.loadAnnualReport(2019);
    expect(empty.figures.total).toEqual({ trainees: 0, minutes: 0 });
    expect(empty.results).toEqual({ satisfaction: null, completion: null, objectives: null, hotResponse: null, coldResponse: null });
  });

  it("exports the same figures as CSV", async () => {
    const rows: string[][] = parse(rules.annualReportCsv(await reports.loadAnnualReport(2025)), { bom: true, delimiter: ";", relax_column_count: true, skip_empty_lines: true });
    expect(rows.find((r) => r[0] === "Total")).toEqual(["Total", "Année 2025", "7", "56"]);
    expect(rows.find((r) => r[1] === "OPCO")).toEqual(["Financement", "OPCO", "2", "10,5"]);
    expect(rows.find((r) => r[0]?.startsWith("Taux de réalisation"))?.slice(1)).toEqual(["66,7", "4", "6"]);
  });
});
