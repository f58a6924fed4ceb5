/**
 * Enrolment, waiting list and convocation against a real database (SQLite, or PostgreSQL
 * with TEST_DATABASE=postgresql), migrated like production. See
 * app/modules/structures/invitations.test.ts for why the code under test is imported late.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../support/database";
import { addDays, createEnrolment, createMembership, createModule, createSession, createStructure, createUser, parisDay } from "../factories";
import type { Db } from "~/utils/db.server";

type Enrolment = typeof import("~/modules/enrolment/enrolment.server");
type Waitlist = typeof import("~/modules/enrolment/waitlist.server");
let enrolment: Enrolment;
let waitlist: Waitlist;
let readStoredAttachments: typeof import("~/modules/mail/outbox.server").readStoredAttachments;
let testDb: Db;
let closeDb: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ testDb, close: closeDb } = await openTestDatabase("enrolment_flow"));
  enrolment = await import("~/modules/enrolment/enrolment.server");
  waitlist = await import("~/modules/enrolment/waitlist.server");
  ({ readStoredAttachments } = await import("~/modules/mail/outbox.server"));
});

afterAll(async () => {
  await closeDb?.();
});

const person = async (name?: string) => {
  const u = await createUser(testDb, name ? { name } : {});
  return { id: u.id, email: u.email, name: u.name };
};
const newSession = async (over: Partial<Parameters<typeof createSession>[1]> = {}) => {
  const module = await createModule(testDb);
  return createSession(testDb, { moduleId: module.id, ...over });
};
const seatsOf = async (sessionId: string) => (await testDb.session.findUniqueOrThrow({ where: { id: sessionId } })).seatsTaken;
const mailsTo = (to: string) => testDb.outboxMail.findMany({ where: { to }, orderBy: { createdAt: "asc" } });
const rowOf = (id: string) => testDb.enrolment.findUniqueOrThrow({ where: { id } });

describe("enrolSelf", () => {
  it("confirms a seat, counts it, and sends the convocation with one VEVENT per half-day", async () => {
    const trainer = await createUser(testDb, { roles: ["TRAINER"], name: "Maëlys Le Goff" });
    const session = await newSession({ days: 2, trainerId: trainer.id, capacity: 3 });
    const learner = await person("Jean-Éric Lefèvre-Saint-Aubin");
    const result = await enrolment.enrolSelf({ user: learner, sessionId: session.id, funding: "OPCO" });
    expect(result).toMatchObject({ ok: true, status: "CONFIRMED" });
    if (!result.ok) return;
    const row = await rowOf(result.enrolmentId);
    expect(row).toMatchObject({ status: "CONFIRMED", funding: "OPCO", paymentStatus: "PENDING", amountCents: session.priceCents, enrolledById: learner.id });
    expect(await seatsOf(session.id)).toBe(1);

    const [mail] = await mailsTo(learner.email);
    expect(mail?.template).toBe("convocation");
    expect(mail?.text).toContain("Maëlys Le Goff");
    expect(mail?.text).toContain("09:00 – 12:30");
    expect(mail?.text).toContain("8 rue Saint-Jérôme");
    const [ics] = readStoredAttachments(mail?.attachments);
    expect(ics?.filename).toBe("convocation.ics");
    expect(ics?.contentType).toBe("text/calendar; charset=utf-8; method=REQUEST");
    const body = ics!.content.toString("utf8");
    expect(body).toContain("BEGIN:VCALENDAR");
    expect(body).toContain("METHOD:REQUEST");
    expect(body).toMatch(/ORGANIZER;CN="[^"]+":mailto:/);
    expect(body).toContain("SEQUENCE:0");
    expect(body.match(/BEGIN:VEVENT/g)).toHaveLength(4);
    expect(await testDb.auditLog.count({ where: { entityId: result.enrolmentId, action: "enrolment.confirmed" } })).toBe(1);
  });

  it("forces FREE on a free session, whatever was posted", async () => {
    const session = await newSession({ isFree: true });
    const result = await enrolment.enrolSelf({ user: await person(), sessionId: session.id, funding: "STRUCTURE" });
    if (!result.ok) throw new Error(result.message);
    expect(await rowOf(result.enrolmentId)).toMatchObject({ funding: "FREE", paymentStatus: "NOT_REQUIRED", amountCents: 0 });
  });

  it.each([
    ["a cancelled session", { status: "CANCELLED" as const }, /annulée/],
    ["a closed session", { status: "CLOSED" as const }, /terminée/],
    ["a past session", { startsOn: addDays(parisDay(new Date()), -10) }, /déjà commencé/],
  ])("refuses %s and writes nothing", async (_label, over, message) => {
    const session = await newSession(over);
    const learner = await person();
    const result = await enrolment.enrolSelf({ user: learner, sessionId: session.id, funding: "OPCO" });
    expect(result.ok ? "" : result.message).toMatch(message);
    expect(await testDb.enrolment.count({ where: { sessionId: session.id } })).toBe(0);
    expect(await mailsTo(learner.email)).toHaveLength(0);
    expect(await seatsOf(session.id)).toBe(0);
  });

  it("refuses an intra session of another structure, accepts its own members", async () => {
    const mine = await createStructure(testDb);
    const other = await createStructure(testDb);
    const session = await newSession({ kind: "INTRA", structureId: mine.id });
    const outsider = await person();
    await createMembership(testDb, { userId: outsider.id, structureId: other.id });
    const refused = await enrolment.enrolSelf({ user: outsider, sessionId: session.id, funding: "STRUCTURE" });
    expect(refused.ok ? "" : refused.message).toMatch(/réservée/);
    const insider = await person();
    await createMembership(testDb, { userId: insider.id, structureId: mine.id });
    const accepted = await enrolment.enrolSelf({ user: insider, sessionId: session.id, funding: "STRUCTURE" });
    if (!accepted.ok) throw new Error(accepted.message);
    expect((await rowOf(accepted.enrolmentId)).structureId).toBe(mine.id);
  });

  it("refuses a second seat for the same person, even at the same instant, and reuses a cancelled row", async () => {
    const session = await newSession();
    const learner = await person();
    const both = await Promise.all([1, 2].map(() => enrolment.enrolSelf({ user: learner, sessionId: session.id, funding: "OPCO" })));
    expect(both.filter((r) => r.ok)).toHaveLength(1);
    expect(both.find((r) => !r.ok)).toMatchObject({ ok: false, message: "Vous êtes déjà inscrit·e à cette session." });
    expect(await seatsOf(session.id)).toBe(1);

    const id = (both.find((r) => r.ok) as { enrolmentId: string }).enrolmentId;
    expect(await enrolment.cancelEnrolment({ actor: { id: learner.id, roles: ["LEARNER"] }, enrolmentId: id })).toEqual({ ok: true });
    expect(await seatsOf(session.id)).toBe(0);
    const again = await enrolment.enrolSelf({ user: learner, sessionId: session.id, funding: "STRUCTURE" });
    expect(again).toMatchObject({ ok: true, status: "CONFIRMED", enrolmentId: id });
    expect(await rowOf(id)).toMatchObject({ status: "CONFIRMED", funding: "STRUCTURE", cancelledAt: null });
  });
});

describe("waiting list", () => {
  it("puts people on the list in order when the session is full", async () => {
    const session = await newSession({ capacity: 1 });
    const [a, b, c] = [await person(), await person(), await person()];
    expect(await enrolment.enrolSelf({ user: a, sessionId: session.id, funding: "OPCO" })).toMatchObject({ status: "CONFIRMED" });
    expect(await enrolment.enrolSelf({ user: b, sessionId: session.id, funding: "OPCO" })).toMatchObject({ status: "WAITLISTED", position: 1 });
    expect(await enrolment.enrolSelf({ user: c, sessionId: session.id, funding: "OPCO" })).toMatchObject({ status: "WAITLISTED", position: 2 });
    expect(await seatsOf(session.id)).toBe(1);
    const [joined] = await mailsTo(c.email);
    expect(joined?.template).toBe("waitlist-joined");
    expect(joined?.text).toContain("au rang 2");
    const again = await enrolment.enrolSelf({ user: b, sessionId: session.id, funding: "OPCO" });
    expect(again.ok ? "" : again.message).toMatch(/déjà sur la liste d'attente/);
  });

  it("cancel → the head of the list is offered the seat → confirms and gets the convocation", async () => {
    const session = await newSession({ capacity: 1 });
    const [a, b, c] = [await person(), await person(), await person()];
    const ra = await enrolment.enrolSelf({ user: a, sessionId: session.id, funding: "OPCO" });
    const rb = await enrolment.enrolSelf({ user: b, sessionId: session.id, funding: "STRUCTURE" });
    await enrolment.enrolSelf({ user: c, sessionId: session.id, funding: "OPCO" });
    if (!ra.ok || !rb.ok) throw new Error("setup");
    const now = new Date();
    expect(await enrolment.cancelEnrolment({ actor: { id: a.id, roles: ["LEARNER"] }, enrolmentId: ra.enrolmentId, now })).toEqual({ ok: true });
    expect((await mailsTo(a.email)).at(-1)?.template).toBe("enrolment-cancelled");
    const offered = await rowOf(rb.enrolmentId);
    expect(offered.status).toBe("OFFERED");
    expect(offered.offerExpiresAt?.getTime()).toBe(now.getTime() + 48 * 3600_000);
    expect(await seatsOf(session.id)).toBe(1);
    const offerMail = (await mailsTo(b.email)).at(-1);
    expect(offerMail?.template).toBe("waitlist-offer");
    expect(offerMail?.text).toContain("/mon-espace");

    expect(await waitlist.confirmOffer({ user: c, enrolmentId: rb.enrolmentId })).toMatchObject({ ok: false });
    expect(await waitlist.confirmOffer({ user: b, enrolmentId: rb.enrolmentId })).toEqual({ ok: true });
    expect(await rowOf(rb.enrolmentId)).toMatchObject({ status: "CONFIRMED", paymentStatus: "PENDING", offerExpiresAt: null });
    expect((await mailsTo(b.email)).at(-1)?.template).toBe("convocation");
    expect(await seatsOf(session.id)).toBe(1);
    // Invoice rows (issued, credited) are counted apart: this journal is the enrolment's own.
    expect(await testDb.auditLog.count({ where: { entityId: { in: [ra.enrolmentId, rb.enrolmentId] }, NOT: { action: { startsWith: "invoice." } } } })).toBe(5);
    expect(await testDb.auditLog.count({ where: { entityId: { in: [ra.enrolmentId, rb.enrolmentId] }, action: { startsWith: "invoice." } } })).toBe(3);
  });

  it("an offer that lapses goes back to CANCELLED and the seat moves to the next person", async () => {
    const session = await newSession({ capacity: 1 });
    const [a, b, c] = [await person(), await person(), await person()];
    const ra = await enrolment.enrolSelf({ user: a, sessionId: session.id, funding: "OPCO" });
    const rb = await enrolment.enrolSelf({ user: b, sessionId: session.id, funding: "OPCO" });
    const rc = await enrolment.enrolSelf({ user: c, sessionId: session.id, funding: "OPCO" });
    if (!ra.ok || !rb.ok || !rc.ok) throw new Error("setup");
    const t0 = new Date();
    await enrolment.cancelEnrolment({ actor: { id: a.id, roles: ["LEARNER"] }, enrolmentId: ra.enrolmentId, now: t0 });
    expect(await waitlist.expireOffers(new Date(t0.getTime() + 47 * 3600_000))).toBe(0);
    const later = new Date(t0.getTime() + 49 * 3600_000);
    expect(await waitlist.expireOffers(later)).toBeGreaterThanOrEqual(1);
    expect(await rowOf(rb.enrolmentId)).toMatchObject({ status: "CANCELLED", cancelReason: "offre expirée" });
    expect(await rowOf(rc.enrolmentId)).toMatchObject({ status: "OFFERED" });
    expect(await seatsOf(session.id)).toBe(1);
    const late = await waitlist.confirmOffer({ user: b, enrolmentId: rb.enrolmentId, now: later });
    expect(late.ok).toBe(false);
  });

  it("leaving the list gives no seat back and keeps the order of the others", async () => {
    const session = await newSession({ capacity: 1 });
    const [a, b, c] = [await person(), await person(), await person()];
    await enrolment.enrolSelf({ user: a, sessionId: session.id, funding: "OPCO" });
    const rb = await enrolment.enrolSelf({ user: b, sessionId: session.id, funding: "OPCO" });
    await enrolment.enrolSelf({ user: c, sessionId: session.id, funding: "OPCO" });
    if (!rb.ok) throw new Error("setup");
    expect(await waitlist.leaveWaitlist({ user: b, enrolmentId: rb.enrolmentId })).toEqual({ ok: true });
    expect(await waitlist.leaveWaitlist({ user: b, enrolmentId: rb.enrolmentId })).toMatchObject({ ok: false });
    expect(await seatsOf(session.id)).toBe(1);
    const mine = await enrolment.listMyEnrolments(c.id);
    expect(mine.find((e) => e.sessionId === session.id)).toMatchObject({ status: "WAITLISTED", position: 1 });
  });
});

describe("cancelEnrolment", () => {
  it("lets the learner cancel until 7 days before, then sends them to the association; staff may, with a reason", async () => {
    const session = await newSession({ startsOn: addDays(parisDay(new Date()), 3) });
    const learner = await person();
    const admin = await createUser(testDb, { roles: ["ADMIN"] });
    const enrolled = await createEnrolment(testDb, { sessionId: session.id, userId: learner.id });
    expect(await seatsOf(session.id)).toBe(1);
    const late = await enrolment.cancelEnrolment({ actor: { id: learner.id, roles: ["LEARNER"] }, enrolmentId: enrolled.id });
    expect(late.ok ? "" : late.message).toMatch(/Contactez l'association/);
    const other = await person();
    const foreign = await enrolment.cancelEnrolment({ actor: { id: other.id, roles: ["LEARNER"] }, enrolmentId: enrolled.id });
    expect(foreign).toMatchObject({ ok: false, message: "Cette inscription n'existe pas." });
    const noReason = await enrolment.cancelEnrolment({ actor: { id: admin.id, roles: ["ADMIN"] }, enrolmentId: enrolled.id });
    expect(noReason.ok).toBe(false);
    expect(await enrolment.cancelEnrolment({ actor: { id: admin.id, roles: ["ADMIN"] }, enrolmentId: enrolled.id, reason: "Arrêt maladie" })).toEqual({ ok: true });
    expect(await rowOf(enrolled.id)).toMatchObject({ status: "CANCELLED", cancelReason: "Arrêt maladie" });
    expect(await seatsOf(session.id)).toBe(0);
    const audit = await testDb.auditLog.findFirstOrThrow({ where: { entityId: enrolled.id, action: "enrolment.cancelled" } });
    expect(audit).toMatchObject({ actorId: admin.id, reason: "Arrêt maladie" });
    expect((await mailsTo(learner.email)).at(-1)?.text).toContain("Arrêt maladie");
  });
});

describe("enrolColleagues", () => {
  it("enrols several members of the referent's structure, one convocation each, and refuses outsiders", async () => {
    const structure = await createStructure(testDb);
    const referent = await person();
    await createMembership(testDb, { userId: referent.id, structureId: structure.id, role: "REFERENT" });
    const colleagues = [await person(), await person(), await person()];
    for (const c of colleagues) await createMembership(testDb, { userId: c.id, structureId: structure.id });
    const session = await newSession({ capacity: 2 });
    const outsider = await person();

    const refused = await enrolment.enrolColleagues({ referent, structureId: structure.id, sessionId: session.id, userIds: [colleagues[0]!.id, outsider.id], funding: "STRUCTURE" });
    expect(refused.ok).toBe(false);
    const notReferent = await enrolment.enrolColleagues({ referent: colleagues[0]!, structureId: structure.id, sessionId: session.id, userIds: [colleagues[1]!.id], funding: "STRUCTURE" });
    expect(notReferent.ok).toBe(false);
    expect(await testDb.enrolment.count({ where: { sessionId: session.id } })).toBe(0);

    const done = await enrolment.enrolColleagues({ referent, structureId: structure.id, sessionId: session.id, userIds: colleagues.map((c) => c.id), funding: "STRUCTURE" });
    if (!done.ok) throw new Error(done.message);
    expect(done.results.map((r) => r.result.ok && r.result.status).sort()).toEqual(["CONFIRMED", "CONFIRMED", "WAITLISTED"]);
    const rows = await testDb.enrolment.findMany({ where: { sessionId: session.id } });
    expect(rows.every((r) => r.enrolledById === referent.id && r.structureId === structure.id)).toBe(true);
    for (const c of colleagues) expect(await mailsTo(c.email)).toHaveLength(1);
    expect(await seatsOf(session.id)).toBe(2);
  });
});

describe("retries", () => {
  it.each([
    [{ code: "P2034" }, true],
    [{ code: "P2028" }, true],
    [{ code: "SQLITE_BUSY" }, true],
    [new Error("SqliteError: database is locked"), true],
    [{ message: "outer", cause: { code: "40001" } }, true],
    [{ code: "P2002" }, false],
    [new Error("boom"), false],
    [null, false],
  ])("isRetryable(%j) is %s", (error, expected) => {
    expect(enrolment.isRetryable(error)).toBe(expected);
  });
});
