/**
 * Attendance sheets on a real database (SQLite, or PostgreSQL with TEST_DATABASE=postgresql):
 * signing each way (typed name, drawn image, code shown in the room, QR token), every
 * refusal (twice, someone else's line, not enrolled, locked, future, a code that rotated or
 * belongs to another slot), marking late and absent, the countersignature that locks, the
 * staff's correction with its audit row, and the consistency flags computed from rows.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openTestDatabase } from "../support/database";
import { signatureDataUrl } from "../support/png";
import { createEnrolment, createModule, createSession, createUser, VENUES } from "../factories";
import { parisInstant } from "~/modules/training/sessions.rules";
import type { Db } from "~/utils/db.server";
import type { SignInput } from "~/modules/attendance/attendance.schema";

let attendance: typeof import("~/modules/attendance/attendance.server");
let codes: typeof import("~/modules/attendance/slot-code.server");
let testDb: Db;
let closeDb: (() => Promise<void>) | undefined;

beforeAll(async () => {
  vi.stubEnv("LOG_LEVEL", "silent");
  ({ testDb, close: closeDb } = await openTestDatabase("attendance"));
  attendance = await import("~/modules/attendance/attendance.server");
  codes = await import("~/modules/attendance/slot-code.server");
});

afterAll(async () => {
  await closeDb?.();
});

const at = (date: string, time: string) => parisInstant(date, time)!;
const later = (d: Date, minutes: number) => new Date(d.getTime() + minutes * 60_000);
type Person = { id: string; name: string; roles: ("LEARNER" | "TRAINER" | "ADMIN")[]; memberships: [] };
const person = async (name: string, role: "LEARNER" | "TRAINER" | "ADMIN" = "LEARNER"): Promise<Person> => {
  const u = await createUser(testDb, { name, roles: [role] });
  return { id: u.id, name: u.name, roles: [role], memberships: [] };
};
const sign = (over: Partial<SignInput>): SignInput => ({ method: "TYPED", enrolmentId: "", typedName: "", signature: "", code: "", token: "", ...over });

/** A session on Monday 2 March 2026 (09:00–12:30 and 13:30–17:00 Paris) with three confirmed learners. */
async function sheetFixture(options: { capacity?: number; date?: string; venue?: keyof typeof VENUES } = {}) {
  const date = options.date ?? "2026-03-02";
  const trainer = await person("Amélie Rousseau-Lefèvre", "TRAINER");
  const module = await createModule(testDb, { title: "Sensibilisation et compréhension de l'inclusion numérique" });
  const session = await createSession(testDb, {
    moduleId: module.id,
    trainerId: trainer.id,
    capacity: options.capacity ?? 12,
    venue: VENUES[options.venue ?? "lyon"],
    slots: [
      { startsAt: at(date, "09:00"), endsAt: at(date, "12:30") },
      { startsAt: at(date, "13:30"), endsAt: at(date, "17:00") },
    ],
  });
  const learners = await Promise.all(["Nguyễn Thị Minh Khai", "Ольга Петрова", "Zoë O'Brien-Dupont"].map((n) => person(n)));
  const enrolments = [];
  for (const l of learners) enrolments.push(await createEnrolment(testDb, { sessionId: session.id, userId: l.id, status: "CONFIRMED" }));
  const [morning, afternoon] = session.slots as [(typeof session.slots)[0], (typeof session.slots)[0]];
  return { trainer, session, morning, afternoon, learners, enrolments };
}

describe("learners sign", () => {
  it("signs by typed name, drawn image, code and QR token, each on its own line", async () => {
    const { morning, learners, enrolments } = await sheetFixture();
    const now = later(morning.startsAt, 5);
    const [khai, olga, zoe] = learners as [Person, Person, Person];

    expect(await attendance.signSheet({ signer: khai, slotId: morning.id, data: sign({ typedName: "nguyen thi minh khai" }), now })).toMatchObject({ ok: true });
    const drawn = signatureDataUrl(1);
    expect(await attendance.signSheet({ signer: olga, slotId: morning.id, data: sign({ method: "DRAWN", typedName: "Ольга Петрова", signature: drawn }), now })).toMatchObject({ ok: true });
    const code = codes.currentSlotCode(morning.id, now);
    expect(await attendance.signSheet({ signer: zoe, slotId: morning.id, data: sign({ method: "CODE", code: `${code.digits.slice(0, 3)} ${code.digits.slice(3)}` }), now })).toMatchObject({ ok: true });

    const rows = await testDb.signature.findMany({ where: { slotId: morning.id }, orderBy: { method: "asc" } });
    expect(rows.map((r) => [r.enrolmentId, r.method, r.status])).toEqual(
      expect.arrayContaining([
        [enrolments[0]!.id, "TYPED", "PRESENT"],
        [enrolments[1]!.id, "DRAWN", "PRESENT"],
        [enrolments[2]!.id, "CODE", "PRESENT"],
      ]),
    );
    const drawnRow = rows.find((r) => r.method === "DRAWN")!;
    expect(drawnRow.imageData).toBe(drawn);
    expect(drawnRow.imageHash).toMatch(/^[0-9a-f]{64}$/);
    expect(drawnRow.signedAt.getTime()).toBe(now.getTime());
  });

  it("accepts the QR token of the current or previous step, and refuses it once it has rotated further", async () => {
    const { afternoon, learners } = await sheetFixture();
    const shownAt = later(afternoon.startsAt, 10);
    const { token } = codes.currentSlotCode(afternoon.id, shownAt);
    const replay = await attendance.signSheet({ signer: learners[0]!, slotId: afternoon.id, data: sign({ method: "QR", token }), now: later(shownAt, 2) });
    expect(replay).toMatchObject({ ok: false, code: "EXPIRED", status: 400 });
    if (!replay.ok) expect(replay.message).toContain("a déjà changé");
    expect(await attendance.signSheet({ signer: learners[0]!, slotId: afternoon.id, data: sign({ method: "QR", token }), now: new Date(shownAt.getTime() + 25_000) })).toMatchObject({ ok: true });
    expect(await testDb.signature.findFirst({ where: { slotId: afternoon.id } })).toMatchObject({ method: "QR", status: "PRESENT" });
  });

  it("refuses a code of another slot, a wrong name, and a drawn image that is not one", async () => {
    const { morning, afternoon, learners } = await sheetFixture();
    const now = later(afternoon.startsAt, 1);
    const otherSlotCode = codes.currentSlotCode(morning.id, now).digits;
    expect(await attendance.signSheet({ signer: learners[0]!, slotId: afternoon.id, data: sign({ method: "CODE", code: otherSlotCode }), now })).toMatchObject({ ok: false, code: "EXPIRED" });
    expect(await attendance.signSheet({ signer: learners[0]!, slotId: afternoon.id, data: sign({ typedName: "Quelqu'un d'autre" }), now })).toMatchObject({ ok: false, code: "NAME_MISMATCH" });
    expect(
      await attendance.signSheet({ signer: learners[0]!, slotId: afternoon.id, data: sign({ method: "DRAWN", typedName: learners[0]!.name, signature: "data:image/png;base64,!!!" }), now }),
    ).toMatchObject({ ok: false, code: "BAD_IMAGE" });
    expect(await testDb.signature.count({ where: { slotId: afternoon.id } })).toBe(0);
  });

  it("refuses signing twice, someone else's line, without enrolment, before the sheet opens, and after it is locked", async () => {
    const { morning, afternoon, learners, enrolments, trainer } = await sheetFixture({ capacity: 3 });
    const [khai, olga] = learners as [Person, Person, Person];
    const now = later(morning.startsAt, 20);
    await attendance.signSheet({ signer: khai, slotId: morning.id, data: sign({ typedName: khai.name }), now });

    const twice = await attendance.signSheet({ signer: khai, slotId: morning.id, data: sign({ typedName: khai.name }), now });
    expect(twice).toMatchObject({ ok: false, code: "ALREADY_SIGNED", status: 400 });
    if (!twice.ok) expect(twice.message).toBe("Vous avez déjà signé pour ce créneau : une seule signature par demi-journée.");

    const othersLine = await attendance.signSheet({ signer: khai, slotId: morning.id, data: sign({ enrolmentId: enrolments[1]!.id, typedName: khai.name }), now });
    expect(othersLine).toMatchObject({ ok: false, code: "NOT_YOUR_LINE", status: 403 });

    const stranger = await person("Jean-Baptiste Lefèvre");
    expect(await attendance.signSheet({ signer: stranger, slotId: morning.id, data: sign({ typedName: stranger.name }), now })).toMatchObject({ ok: false, code: "NOT_ENROLLED", status: 403 });

    const early = await attendance.signSheet({ signer: olga, slotId: afternoon.id, data: sign({ typedName: olga.name }), now });
    expect(early).toMatchObject({ ok: false, code: "FUTURE" });
    if (!early.ok) expect(early.message).toContain("n'est pas encore ouvert : il ouvrira le lundi 2 mars 2026 à 13:15");

    for (const e of enrolments.slice(1)) await attendance.markAttendance({ actor: trainer, slotId: morning.id, data: { enrolmentId: e.id, status: "ABSENT" }, now });
    expect(await attendance.countersignSheet({ actor: trainer, slotId: morning.id, typedName: trainer.name, signature: "", now: later(morning.endsAt, -10) })).toEqual({ ok: true });
    const locked = await attendance.signSheet({ signer: olga, slotId: morning.id, data: sign({ typedName: olga.name }), now: later(morning.endsAt, -5) });
    expect(locked).toMatchObject({ ok: false, code: "LOCKED" });
    expect(await testDb.signature.count({ where: { slotId: morning.id, method: { not: "TRAINER" } } })).toBe(1);
  });
});

describe("the trainer marks and countersigns", () => {
  it("marks a late arrival with its delay and an absence, and refuses another trainer", async () => {
    const { morning, learners, enrolments, trainer } = await sheetFixture();
    const now = later(morning.startsAt, 40);
    await attendance.signSheet({ signer: learners[0]!, slotId: morning.id, data: sign({ typedName: learners[0]!.name }), now });
    expect(await attendance.markAttendance({ actor: trainer, slotId: morning.id, data: { enrolmentId: enrolments[0]!.id, status: "LATE", minutesLate: 35 }, now })).toEqual({ ok: true });
    expect(await attendance.markAttendance({ actor: trainer, slotId: morning.id, data: { enrolmentId: enrolments[0]!.id, status: "ABSENT" }, now })).toMatchObject({
      ok: false,
      code: "SIGNED_BY_LEARNER",
    });
    expect(await attendance.markAttendance({ actor: trainer, slotId: morning.id, data: { enrolmentId: enrolments[1]!.id, status: "ABSENT" }, now })).toEqual({ ok: true });
    const other = await person("Karim Benali", "TRAINER");
    expect(await attendance.markAttendance({ actor: other, slotId: morning.id, data: { enrolmentId: enrolments[2]!.id, status: "ABSENT" }, now })).toMatchObject({ ok: false, code: "NOT_TRAINER", status: 403 });

    const rows = await testDb.signature.findMany({ where: { slotId: morning.id } });
    expect(rows.find((r) => r.enrolmentId === enrolments[0]!.id)).toMatchObject({ status: "LATE", method: "TYPED", minutesLate: 35 });
    expect(rows.find((r) => r.enrolmentId === enrolments[1]!.id)).toMatchObject({ status: "ABSENT", method: "TRAINER", minutesLate: null });
    expect(rows.some((r) => r.enrolmentId === enrolments[2]!.id)).toBe(false);
  });

  it("countersigns only a complete sheet at the end of the slot, which then refuses every change", async () => {
    const { morning, learners, enrolments, trainer } = await sheetFixture();
    const now = later(morning.startsAt, 10);
    await attendance.signSheet({ signer: learners[0]!, slotId: morning.id, data: sign({ typedName: learners[0]!.name }), now });
    expect(await attendance.countersignSheet({ actor: trainer, slotId: morning.id, typedName: trainer.name, signature: "", now })).toMatchObject({ ok: false, code: "TOO_EARLY" });
    const end = later(morning.endsAt, -5);
    expect(await attendance.countersignSheet({ actor: trainer, slotId: morning.id, typedName: trainer.name, signature: "", now: end })).toMatchObject({ ok: false, code: "INCOMPLETE" });
    for (const e of enrolments.slice(1)) await attendance.markAttendance({ actor: trainer, slotId: morning.id, data: { enrolmentId: e.id, status: "PRESENT" }, now: end });
    expect(await attendance.countersignSheet({ actor: trainer, slotId: morning.id, typedName: "Someone Else", signature: "", now: end })).toMatchObject({ ok: false, code: "NAME_MISMATCH" });
    const drawn = signatureDataUrl(42);
    expect(await attendance.countersignSheet({ actor: trainer, slotId: morning.id, typedName: trainer.name, signature: drawn, now: end })).toEqual({ ok: true });
    expect(await testDb.slot.findUniqueOrThrow({ where: { id: morning.id } })).toMatchObject({ lockedAt: end, trainerSignedAt: end, trainerSignature: drawn });

    expect(await attendance.markAttendance({ actor: trainer, slotId: morning.id, data: { enrolmentId: enrolments[1]!.id, status: "ABSENT" }, now: end })).toMatchObject({ ok: false, code: "LOCKED" });
    expect(await attendance.countersignSheet({ actor: trainer, slotId: morning.id, typedName: trainer.name, signature: "", now: end })).toMatchObject({ ok: false, code: "LOCKED" });
  });
});

describe("staff correct a locked sheet", () => {
  it("records the change with its reason and the line before and after; refuses without staff role or reason", async () => {
    const { morning, enrolments, trainer } = await sheetFixture();
    const end = later(morning.endsAt, -5);
    for (const e of enrolments) await attendance.markAttendance({ actor: trainer, slotId: morning.id, data: { enrolmentId: e.id, status: "ABSENT" }, now: end });
    await attendance.countersignSheet({ actor: trainer, slotId: morning.id, typedName: trainer.name, signature: "", now: end });

    const reason = "Présence confirmée par le formateur par écrit le lendemain.";
    expect(await attendance.correctSheet({ actor: trainer, slotId: morning.id, data: { enrolmentId: enrolments[0]!.id, status: "PRESENT", reason } })).toMatchObject({ ok: false, code: "NOT_STAFF", status: 403 });
    const staff = await person("Sophie Martin", "ADMIN");
    expect(await attendance.correctSheet({ actor: staff, slotId: morning.id, data: { enrolmentId: enrolments[0]!.id, status: "PRESENT", reason: "oubli" } })).toMatchObject({ ok: false, code: "REASON_REQUIRED" });

    const when = later(morning.endsAt, 24 * 60);
    expect(await attendance.correctSheet({ actor: staff, slotId: morning.id, data: { enrolmentId: enrolments[0]!.id, status: "LATE", minutesLate: 20, reason }, now: when })).toEqual({ ok: true });
    expect(await testDb.signature.findUniqueOrThrow({ where: { slotId_enrolmentId: { slotId: morning.id, enrolmentId: enrolments[0]!.id } } })).toMatchObject({ status: "LATE", minutesLate: 20 });
    const audit = await testDb.auditLog.findMany({ where: { entityType: "Slot", entityId: morning.id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: staff.id, action: "attendance.corrected", reason });
    expect(audit[0]!.data).toEqual({
      enrolmentId: enrolments[0]!.id,
      before: { status: "ABSENT", method: "TRAINER", minutesLate: null, signedAt: end.toISOString() },
      after: { status: "LATE", method: "TRAINER", minutesLate: 20, signedAt: end.toISOString() },
    });
    expect((await attendance.listSheetCorrections(morning.id))[0]).toMatchObject({ actorName: "Sophie Martin", reason });
  });
});

describe("consistency flags from real rows", () => {
  it("flags a holiday signature, a reused image, a trainer in two places and more signers than seats, linking each to its sheet", async () => {
    // Tuesday 14 July 2026 (Fête nationale), one seat for three learners.
    const holiday = await sheetFixture({ date: "2026-07-14", capacity: 1 });
    const now = later(holiday.morning.startsAt, 5);
    const image = signatureDataUrl(7);
    for (const l of holiday.learners) {
      const result = await attendance.signSheet({ signer: l, slotId: holiday.morning.id, data: sign({ method: "DRAWN", typedName: l.name, signature: image }), now });
      expect(result).toMatchObject({ ok: true });
    }
    // The same trainer countersigns an overlapping slot of another session in Marseille.
    const module = await createModule(testDb, { title: "Transmission d'ateliers clé en main" });
    const elsewhere = await createSession(testDb, {
      moduleId: module.id,
      trainerId: holiday.trainer.id,
      venue: VENUES.marseille,
      slots: [{ startsAt: at("2026-07-14", "10:00"), endsAt: at("2026-07-14", "12:00"), trainerSignedAt: at("2026-07-14", "11:50"), lockedAt: at("2026-07-14", "11:50") }],
    });
    await testDb.slot.update({ where: { id: holiday.morning.id }, data: { trainerSignedAt: later(holiday.morning.endsAt, -5), lockedAt: later(holiday.morning.endsAt, -5) } });

    const flags = await attendance.recentAttendanceFlags(later(holiday.morning.endsAt, 60));
    const mine = flags.filter((f) => f.sheets.some((s) => s.href.includes(holiday.morning.id)));
    expect(mine.map((f) => f.kind).sort()).toEqual(["OVER_CAPACITY", "PUBLIC_HOLIDAY", "SIGNATURE_REUSED", "TRAINER_DOUBLE_BOOKED"]);
    const byKind = Object.fromEntries(mine.map((f) => [f.kind, f]));
    expect(byKind.PUBLIC_HOLIDAY!.label).toContain("Fête nationale");
    expect(byKind.OVER_CAPACITY!.label).toContain("3 signatures pour 1 place");
    expect(byKind.SIGNATURE_REUSED!.label).toContain("3 fois (3 personnes");
    expect(byKind.TRAINER_DOUBLE_BOOKED!.sheets.map((s) => s.href)).toEqual(
      expect.arrayContaining([`/admin/sessions/${holiday.session.id}/emargement/${holiday.morning.id}`, `/admin/sessions/${elsewhere.id}/emargement/${elsewhere.slots[0]!.id}`]),
    );
    expect(byKind.OVER_CAPACITY!.sheets[0]!.text).toContain("Sensibilisation et compréhension de l'inclusion numérique — 14 juillet 2026");
  });

  it("flags a mark made outside the slot's hours", async () => {
    const { morning, enrolments, trainer } = await sheetFixture({ date: "2026-03-09" });
    await attendance.markAttendance({ actor: trainer, slotId: morning.id, data: { enrolmentId: enrolments[0]!.id, status: "PRESENT" }, now: later(morning.endsAt, 180) });
    const flags = await attendance.recentAttendanceFlags(later(morning.endsAt, 240));
    const outside = flags.filter((f) => f.kind === "OUTSIDE_HOURS" && f.sheets[0]!.href.endsWith(morning.id));
    expect(outside).toHaveLength(1);
    expect(outside[0]!.label).toContain("hors du créneau du lundi 9 mars 2026 (09:00–12:30)");
  });
});
