/**
 * The staff's session functions against a real database (SQLite, or PostgreSQL with
 * TEST_DATABASE=postgresql), migrated like production. Same pattern as
 * app/modules/structures/invitations.test.ts: the code under test is imported after
 * DATABASE_URL points at the fresh database; a second client (`testDb`) arranges and checks.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyPendingMigrations } from "../../../server/schema-engine";
import { testDatabaseUrl } from "../../../tests/support/database";
import { createEnrolment, createModule, createSession, createStructure, createUser, parisDateTime } from "../../../tests/factories";
import type { Db } from "~/utils/db.server";
import type { SessionInput } from "./sessions.schema";

type SessionsAdmin = typeof import("./sessions-admin.server");
let admin: SessionsAdmin;
let testDb: Db;

beforeAll(async () => {
  const url = testDatabaseUrl("sessions_admin");
  await applyPendingMigrations(url);
  process.env.DATABASE_URL = url;
  const { createDb, configureSqlite } = await import("~/utils/db.server");
  const { providerOf } = await import("~/utils/db-adapter.server");
  testDb = createDb(url);
  if (providerOf(url) === "sqlite") {
    await configureSqlite(testDb);
    const { db } = await import("~/utils/db.server");
    await configureSqlite(db);
  }
  admin = await import("./sessions-admin.server");
});

afterAll(async () => {
  await testDb?.$disconnect();
  const { db } = await import("~/utils/db.server");
  await db.$disconnect();
});

const NOW = new Date("2026-03-01T10:00:00Z");
const day = (d: string) => {
  const [year, month, dd] = d.split("-").map(Number);
  return { year: year!, month: month!, day: dd! };
};
/** A slot on Paris clocks, with its form row. */
const slot = (date: string, start: string, end: string, row = 0) => ({ row, startsAt: parisDateTime(day(date), start), endsAt: parisDateTime(day(date), end) });

/** The same, as a stored slot (for the factory). */
const stored = (date: string, start: string, end: string) => ({ startsAt: parisDateTime(day(date), start), endsAt: parisDateTime(day(date), end) });

const actorOf = (user: { id: string }, roles: ("LEARNER" | "TRAINER" | "ADMIN")[]) => ({ id: user.id, roles, memberships: [] });

async function setting() {
  const staff = await createUser(testDb, { name: "Sophie Martin-Lefèvre", roles: ["ADMIN"] });
  const trainer = await createUser(testDb, { name: "Karim Benali", roles: ["TRAINER"] });
  const module = await createModule(testDb);
  return { staff: actorOf(staff, ["ADMIN"]), trainer, module };
}

function input(moduleId: string, trainerId: string | null, change: Partial<SessionInput> = {}): SessionInput {
  return {
    moduleId,
    kind: "INTER",
    structureId: null,
    format: "IN_PERSON",
    venueName: "Maillon Lyon — point d'accueil de la Guillotière",
    address: "8 rue Saint-Jérôme",
    postcode: "69007",
    city: "Lyon",
    accessInfo: "Métro B, arrêt Saxe-Gambetta.",
    remoteUrl: null,
    capacity: 12,
    trainerId,
    priceCents: 25_050,
    isFree: false,
    slots: [slot("2026-04-07", "09:00", "12:30", 0), slot("2026-04-07", "13:30", "17:00", 1)],
    ...change,
  };
}

describe("createSession", () => {
  it("creates the session with its half-days and an audit row", async () => {
    const { staff, trainer, module } = await setting();
    const result = await admin.createSession({ actor: staff, data: input(module.id, trainer.id), now: NOW });
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    const session = await testDb.session.findUniqueOrThrow({ where: { id: result.sessionId }, include: { slots: { orderBy: { startsAt: "asc" } } } });
    expect(session).toMatchObject({ capacity: 12, priceCents: 25_050, trainerId: trainer.id, seatsTaken: 0, status: "SCHEDULED", city: "Lyon" });
    expect(session.slots.map((s) => s.startsAt.toISOString())).toEqual(["2026-04-07T07:00:00.000Z", "2026-04-07T11:30:00.000Z"]);
    const audit = await testDb.auditLog.findMany({ where: { entityType: "Session", entityId: session.id } });
    expect(audit.map((a) => [a.action, a.actorId])).toEqual([["session.created", staff.id]]);
  });

  it("refuses a trainer already booked on an overlapping slot, naming the slot row, and writes nothing", async () => {
    const { staff, trainer, module } = await setting();
    await createSession(testDb, { moduleId: module.id, trainerId: trainer.id, slots: [stored("2026-04-08", "09:00", "12:30")] });
    const before = await testDb.session.count();
    const result = await admin.createSession({
      actor: staff,
      data: input(module.id, trainer.id, { slots: [slot("2026-04-08", "13:30", "17:00", 0), slot("2026-04-08", "11:00", "12:00", 4)] }),
      now: NOW,
    });
    expect(result).toEqual({ ok: false, errors: { slot4: expect.stringContaining("anime déjà une autre session") } });
    expect(await testDb.session.count()).toBe(before);
  });

  it("does not count a cancelled session of the trainer, nor another trainer's sessions", async () => {
    const { staff, trainer, module } = await setting();
    const other = await createUser(testDb, { roles: ["TRAINER"] });
    await createSession(testDb, { moduleId: module.id, trainerId: trainer.id, status: "CANCELLED", slots: [stored("2026-04-09", "09:00", "12:30")] });
    await createSession(testDb, { moduleId: module.id, trainerId: other.id, slots: [stored("2026-04-09", "09:00", "12:30")] });
    const result = await admin.createSession({ actor: staff, data: input(module.id, trainer.id, { slots: [slot("2026-04-09", "09:00", "12:30")] }), now: NOW });
    expect(result.ok).toBe(true);
  });

  it.each([
    ["a slot in the past", { slots: [slot("2026-02-20", "09:00", "12:30")] }, "slot0"],
    ["a module that does not exist", { moduleId: "nope" }, "moduleId"],
  ])("refuses %s", async (_label, change, field) => {
    const { staff, trainer, module } = await setting();
    const result = await admin.createSession({ actor: staff, data: { ...input(module.id, trainer.id), ...change }, now: NOW });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.errors)).toEqual([field]);
  });

  it("refuses a person who is not a trainer as the trainer", async () => {
    const { staff, module } = await setting();
    const learner = await createUser(testDb, { roles: ["LEARNER"] });
    const result = await admin.createSession({ actor: staff, data: input(module.id, learner.id), now: NOW });
    expect(result.ok ? [] : Object.keys(result.errors)).toEqual(["trainerId"]);
  });

  it("refuses anyone but staff", async () => {
    const { trainer, module } = await setting();
    const result = await admin.createSession({ actor: actorOf(trainer, ["TRAINER"]), data: input(module.id, trainer.id), now: NOW });
    expect(result.ok).toBe(false);
  });
});

async function sessionWithPeople() {
  const { staff, trainer, module } = await setting();
  const created = await admin.createSession({ actor: staff, data: input(module.id, trainer.id, { slots: [slot("2026-05-12", "09:00", "12:30")] }), now: NOW });
  if (!created.ok) throw new Error("setup failed");
  const sessionId = created.sessionId;
  const structure = await createStructure(testDb);
  const people = await Promise.all(["Aïcha Benali", "Jean-Éric Lefèvre", "王秀英", "Maëlys Le Goff", "Thomas N'Diaye"].map((name) => createUser(testDb, { name })));
  const [confirmed, offered, waitlisted, cancelled, paying] = people as [(typeof people)[number], ...typeof people];
  const enrolments = {
    confirmed: await createEnrolment(testDb, { sessionId, userId: confirmed.id, structureId: structure.id, status: "CONFIRMED", funding: "OPCO", amountCents: 25_050 }),
    offered: await createEnrolment(testDb, { sessionId, userId: offered!.id, status: "OFFERED", funding: "FREE" }),
    waitlisted: await createEnrolment(testDb, { sessionId, userId: waitlisted!.id, status: "WAITLISTED", funding: "STRUCTURE", waitlistRank: 1 }),
    cancelled: await createEnrolment(testDb, { sessionId, userId: cancelled!.id, status: "CANCELLED", funding: "FREE" }),
    paying: await createEnrolment(testDb, { sessionId, userId: paying!.id, status: "PENDING_PAYMENT", funding: "CARD", amountCents: 25_050 }),
  };
  await testDb.session.update({ where: { id: sessionId }, data: { seatsTaken: 3 } });
  return { staff, trainer, module, sessionId, people: { confirmed, offered, waitlisted, cancelled, paying } as Record<keyof typeof enrolments, (typeof people)[number]>, enrolments };
}

describe("updateSession", () => {
  it("sends confirmed trainees an updated convocation.ics: same UID, SEQUENCE up by one at each change, ORGANIZER set", async () => {
    const ICAL = (await import("ical.js")).default;
    const { staff, trainer, module, sessionId, people, enrolments } = await sessionWithPeople();
    const calendarOf = async (email: string, nth: number) => {
      const mails = await testDb.outboxMail.findMany({ where: { template: "session-changed", to: email }, orderBy: { createdAt: "asc" } });
      const stored = (mails[nth]?.attachments ?? []) as { filename: string; contentType: string; contentBase64: string }[];
      const ics = stored.find((a) => a.filename === "convocation.ics");
      if (!ics) return null;
      expect(ics.contentType).toContain("method=REQUEST");
      const calendar = new ICAL.Component(ICAL.parse(Buffer.from(ics.contentBase64, "base64").toString("utf8")));
      return { method: calendar.getFirstPropertyValue("method"), events: calendar.getAllSubcomponents("vevent").map((v) => ({ event: new ICAL.Event(v), organizer: v.getFirstPropertyValue("organizer") })) };
    };
    await admin.updateSession({ actor: staff, sessionId, data: input(module.id, trainer.id, { slots: [slot("2026-05-19", "13:30", "17:00")] }), now: NOW });
    await admin.updateSession({ actor: staff, sessionId, data: input(module.id, trainer.id, { slots: [slot("2026-05-26", "09:00", "12:30")] }), now: NOW });
    const first = (await calendarOf(people.confirmed.email, 0))!;
    const second = (await calendarOf(people.confirmed.email, 1))!;
    expect(first.method).toBe("REQUEST");
    expect(first.events[0]!.event.uid).toMatch(new RegExp(`^${enrolments.confirmed.id}-1@`));
    expect(second.events[0]!.event.uid).toBe(first.events[0]!.event.uid);
    expect([first.events[0]!.event.sequence, second.events[0]!.event.sequence]).toEqual([1, 2]);
    expect(second.events[0]!.event.startDate.toJSDate().toISOString()).toBe("2026-05-26T07:00:00.000Z");
    expect(String(second.events[0]!.organizer)).toMatch(/^mailto:.+@/);
    // An offered seat never had a convocation: its mail carries no calendar.
    expect(await calendarOf(people.offered.email, 0)).toBeNull();
    expect((await testDb.session.findUniqueOrThrow({ where: { id: sessionId } })).calendarSequence).toBe(2);
  });

  it("refuses a capacity below the seats taken", async () => {
    const { staff, trainer, module, sessionId } = await sessionWithPeople();
    const result = await admin.updateSession({ actor: staff, sessionId, data: input(module.id, trainer.id, { capacity: 2, slots: [slot("2026-05-12", "09:00", "12:30")] }), now: NOW });
    expect(result).toEqual({ ok: false, errors: { capacity: expect.stringContaining("3 places sont déjà prises") } });
    expect((await testDb.session.findUniqueOrThrow({ where: { id: sessionId } })).capacity).toBe(12);
    const ok = await admin.updateSession({ actor: staff, sessionId, data: input(module.id, trainer.id, { capacity: 3, slots: [slot("2026-05-12", "09:00", "12:30")] }), now: NOW });
    expect(ok).toMatchObject({ ok: true, notified: 0 });
  });

  it("tells each seat holder by mail when the date changes, and logs the change", async () => {
    const { staff, trainer, module, sessionId, people } = await sessionWithPeople();
    const result = await admin.updateSession({ actor: staff, sessionId, data: input(module.id, trainer.id, { slots: [slot("2026-05-19", "13:30", "17:00")] }), now: NOW });
    expect(result).toMatchObject({ ok: true, notified: 3 });
    const mails = await testDb.outboxMail.findMany({ where: { template: "session-changed", to: { in: Object.values(people).map((p) => p.email) } } });
    expect(mails.map((m) => m.to).sort()).toEqual([people.confirmed.email, people.offered.email, people.paying.email].sort());
    expect(mails[0]?.text).toContain("mardi 19 mai 2026, 13:30 – 17:00");
    const slots = await testDb.slot.findMany({ where: { sessionId } });
    expect(slots.map((s) => s.startsAt.toISOString())).toEqual(["2026-05-19T11:30:00.000Z"]);
    const audit = await testDb.auditLog.findFirstOrThrow({ where: { entityId: sessionId, action: "session.updated" } });
    expect(audit.data).toMatchObject({ changed: ["slots"], notified: 3 });
  });

  it("does not mail anyone when only the price changes", async () => {
    const { staff, trainer, module, sessionId, people } = await sessionWithPeople();
    const result = await admin.updateSession({ actor: staff, sessionId, data: input(module.id, trainer.id, { priceCents: 0, isFree: true, slots: [slot("2026-05-12", "09:00", "12:30")] }), now: NOW });
    expect(result).toMatchObject({ ok: true, notified: 0 });
    expect(await testDb.outboxMail.count({ where: { to: people.confirmed.email } })).toBe(0);
  });

  it("does not let the trainer clash with their own other sessions when editing, but ignores the session itself", async () => {
    const { staff, trainer, module, sessionId } = await sessionWithPeople();
    await createSession(testDb, { moduleId: module.id, trainerId: trainer.id, slots: [stored("2026-05-13", "09:00", "12:30")] });
    const same = await admin.updateSession({ actor: staff, sessionId, data: input(module.id, trainer.id, { slots: [slot("2026-05-12", "09:00", "12:30")] }), now: NOW });
    expect(same.ok).toBe(true);
    const clash = await admin.updateSession({ actor: staff, sessionId, data: input(module.id, trainer.id, { slots: [slot("2026-05-12", "09:00", "12:30"), slot("2026-05-13", "10:00", "12:00", 1)] }), now: NOW });
    expect(clash.ok ? [] : Object.keys(clash.errors)).toEqual(["slot1"]);
  });
});

describe("cancelSession", () => {
  it("cancels every live enrolment, frees the seats, mails each person once and logs everything", async () => {
    const { staff, sessionId, people, enrolments } = await sessionWithPeople();
    const reason = "Formatrice malade, session reportée à l'automne.";
    const result = await admin.cancelSession({ actor: staff, sessionId, reason, now: NOW });
    expect(result).toEqual({ ok: true, cancelledEnrolments: 4 });

    const session = await testDb.session.findUniqueOrThrow({ where: { id: sessionId } });
    expect(session).toMatchObject({ status: "CANCELLED", seatsTaken: 0, cancelReason: reason });
    const rows = await testDb.enrolment.findMany({ where: { sessionId } });
    expect(rows.every((e) => e.status === "CANCELLED")).toBe(true);
    expect(rows.filter((e) => e.cancelReason === reason)).toHaveLength(4);
    expect((await testDb.enrolment.findUniqueOrThrow({ where: { id: enrolments.waitlisted.id } })).waitlistRank).toBeNull();

    const mails = await testDb.outboxMail.findMany({ where: { template: "session-cancelled", to: { in: Object.values(people).map((p) => p.email) } } });
    expect(mails.map((m) => m.to).sort()).toEqual([people.confirmed.email, people.offered.email, people.waitlisted.email, people.paying.email].sort());
    expect(mails[0]?.text).toContain(reason);

    const audit = await testDb.auditLog.findMany({ where: { OR: [{ entityId: sessionId }, { entityId: { in: Object.values(enrolments).map((e) => e.id) } }] } });
    expect(audit.filter((a) => a.action === "enrolment.cancelled")).toHaveLength(4);
    expect(audit.filter((a) => a.action === "enrolment.cancelled").every((a) => a.reason === reason && a.actorId === staff.id)).toBe(true);
    expect(audit.filter((a) => a.action === "session.cancelled")).toHaveLength(1);

    const again = await admin.cancelSession({ actor: staff, sessionId, reason, now: NOW });
    expect(again.ok).toBe(false);
    expect(await testDb.outboxMail.count({ where: { template: "session-cancelled", to: people.confirmed.email } })).toBe(1);
  });

  it("refuses anyone but staff and changes nothing", async () => {
    const { trainer, sessionId } = await sessionWithPeople();
    const result = await admin.cancelSession({ actor: actorOf(trainer, ["TRAINER"]), sessionId, reason: "Je ne peux pas venir." });
    expect(result.ok).toBe(false);
    expect((await testDb.session.findUniqueOrThrow({ where: { id: sessionId } })).status).toBe("SCHEDULED");
  });
});

describe("markEnrolmentPaid", () => {
  it("marks a pending invoiced payment as paid, once, with an audit row", async () => {
    const { staff, sessionId, enrolments } = await sessionWithPeople();
    const result = await admin.markEnrolmentPaid({ actor: staff, sessionId, enrolmentId: enrolments.confirmed.id, now: NOW });
    expect(result).toEqual({ ok: true });
    expect((await testDb.enrolment.findUniqueOrThrow({ where: { id: enrolments.confirmed.id } })).paymentStatus).toBe("PAID");
    const audit = await testDb.auditLog.findMany({ where: { entityType: "Enrolment", entityId: enrolments.confirmed.id } });
    expect(audit.map((a) => [a.action, a.actorId])).toEqual([["enrolment.payment_received", staff.id]]);
    expect((await admin.markEnrolmentPaid({ actor: staff, sessionId, enrolmentId: enrolments.confirmed.id, now: NOW })).ok).toBe(false);
  });

  it.each(["paying", "offered"] as const)("refuses the %s enrolment (card payment, or nothing to pay)", async (which) => {
    const { staff, sessionId, enrolments } = await sessionWithPeople();
    const result = await admin.markEnrolmentPaid({ actor: staff, sessionId, enrolmentId: enrolments[which].id, now: NOW });
    expect(result.ok).toBe(false);
    expect((await testDb.enrolment.findUniqueOrThrow({ where: { id: enrolments[which].id } })).paymentStatus).not.toBe("PAID");
  });
});

describe("listAdminSessions", () => {
  it("finds sessions by trainer name or city, ignoring accents and case", async () => {
    const { staff, module } = await setting();
    const trainer = await createUser(testDb, { name: "Hélène Ørsted-Dupré", roles: ["TRAINER"] });
    const created = await admin.createSession({ actor: staff, data: input(module.id, trainer.id, { city: "Saint-Étienne-du-Rouvray", postcode: "76800", slots: [slot("2026-06-02", "09:00", "12:30")] }), now: NOW });
    if (!created.ok) throw new Error("setup failed");
    for (const q of ["helene ørsted", "SAINT-ETIENNE"]) {
      const rows = await admin.listAdminSessions({ q, status: "", when: "upcoming" }, NOW);
      expect(rows.map((r) => r.id)).toContain(created.sessionId);
    }
    expect((await admin.listAdminSessions({ q: "helene ørsted", status: "", when: "past" }, NOW)).map((r) => r.id)).not.toContain(created.sessionId);
    expect((await admin.listAdminSessions({ q: "helene ørsted", status: "CANCELLED", when: "all" }, NOW)).map((r) => r.id)).not.toContain(created.sessionId);
  });
});
