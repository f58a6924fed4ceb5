/**
 * Every change of an enrolment leaves a journal row, and the staff's view of one enrolment
 * reads them back newest first; the staff's waiting-list reorder drives who is offered the
 * next seat. Real database (SQLite, or PostgreSQL with TEST_DATABASE=postgresql); the code
 * under test is imported late (it reads DATABASE_URL when first used).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openTestDatabase } from "../support/database";
import { createModule, createSession, createUser } from "../factories";
import type { Db } from "~/utils/db.server";

let enrolment: typeof import("~/modules/enrolment/enrolment.server");
let waitlist: typeof import("~/modules/enrolment/waitlist.server");
let staff: typeof import("~/modules/enrolment/staff.server");
let sessionsAdmin: typeof import("~/modules/training/sessions-admin.server");
let testDb: Db;
let closeDb: (() => Promise<void>) | undefined;

beforeAll(async () => {
  vi.stubEnv("LOG_LEVEL", "silent");
  ({ testDb, close: closeDb } = await openTestDatabase("enrolment_audit"));
  enrolment = await import("~/modules/enrolment/enrolment.server");
  waitlist = await import("~/modules/enrolment/waitlist.server");
  staff = await import("~/modules/enrolment/staff.server");
  sessionsAdmin = await import("~/modules/training/sessions-admin.server");
});

afterAll(async () => {
  await closeDb?.();
});

const t0 = new Date();
const minute = (n: number) => new Date(t0.getTime() + n * 60_000);
const person = async (name: string) => {
  const u = await createUser(testDb, { name });
  return { id: u.id, email: u.email, name: u.name };
};
const actionsOf = async (enrolmentId: string) =>
  (await testDb.auditLog.findMany({ where: { entityType: "Enrolment", entityId: enrolmentId }, orderBy: { createdAt: "asc" } }))
    .map((r) => r.action)
    .filter((action) => !action.startsWith("invoice.")); // the seat's journal; invoicing has its own tests
const waitingOrder = async (sessionId: string) =>
  (await testDb.enrolment.findMany({ where: { sessionId, status: "WAITLISTED" }, orderBy: { waitlistRank: "asc" }, select: { id: true, waitlistRank: true } })).map(
    (e) => [e.id, e.waitlistRank],
  );

describe("the journal of an enrolment's life", () => {
  it("records enrol, reorder, cancel, offer, confirm, payment, leave, expiry — and the staff view reads it newest first", async () => {
    const admin = { id: (await createUser(testDb, { roles: ["ADMIN"], name: "Hélène Dupré" })).id, roles: ["ADMIN"] as const, memberships: [] };
    const learnerActor = (id: string) => ({ id, roles: ["LEARNER"] as const, memberships: [] });
    const module = await createModule(testDb);
    const session = await createSession(testDb, { moduleId: module.id, capacity: 1 });
    const [anna, bruno, chloe, dimitri, eve] = await Promise.all(
      ["Anna Łukasik", "Bruno Lefèvre", "Chloé N'Diaye", "Dimitri Смирнов", "Ève Nguyễn"].map((n) => person(n)),
    );
    const enrol = async (p: typeof anna, n: number) => {
      const r = await enrolment.enrolSelf({ user: p!, sessionId: session.id, funding: "OPCO", now: minute(n) });
      if (!r.ok) throw new Error(r.message);
      return r;
    };
    const a = await enrol(anna, 1);
    const b = await enrol(bruno, 2);
    const c = await enrol(chloe, 3);
    const d = await enrol(dimitri, 4);
    expect([a.status, b.status, c.status, d.status]).toEqual(["CONFIRMED", "WAITLISTED", "WAITLISTED", "WAITLISTED"]);

    // Refused: not staff, no reason, out of range. Nothing changes, nothing is logged.
    const before = await waitingOrder(session.id);
    const move = { kind: "position" as const, position: 1 };
    expect(await staff.reorderWaitlist({ actor: learnerActor(bruno!.id), sessionId: session.id, enrolmentId: d.enrolmentId, move, reason: "Moi d'abord" })).toMatchObject({ ok: false });
    expect(await staff.reorderWaitlist({ actor: admin, sessionId: session.id, enrolmentId: d.enrolmentId, move, reason: "  " })).toMatchObject({
      ok: false,
      errors: { reason: expect.stringMatching(/motif/) },
    });
    expect(
      await staff.reorderWaitlist({ actor: admin, sessionId: session.id, enrolmentId: d.enrolmentId, move: { kind: "position", position: 9 }, reason: "Test" }),
    ).toMatchObject({ ok: false, errors: { position: "Indiquez un rang entre 1 et 3." } });
    expect(await waitingOrder(session.id)).toEqual(before);
    expect(await testDb.auditLog.count({ where: { action: "enrolment.waitlist_reordered" } })).toBe(0);

    // Dimitri goes to the head: ranks become 1..3 in the new order, three journal rows.
    const moved = await staff.reorderWaitlist({ actor: admin, sessionId: session.id, enrolmentId: d.enrolmentId, move, reason: "Priorité employeur (CCAS)", now: minute(5) });
    expect(moved).toEqual({ ok: true, name: "Dimitri Смирнов", from: 3, to: 1 });
    expect(await waitingOrder(session.id)).toEqual([
      [d.enrolmentId, 1],
      [b.enrolmentId, 2],
      [c.enrolmentId, 3],
    ]);
    const reorderRows = await testDb.auditLog.findMany({ where: { action: "enrolment.waitlist_reordered" } });
    expect(reorderRows.map((r) => [r.entityId, r.actorId, r.reason, (r.data as { from: number }).from, (r.data as { to: number }).to]).sort()).toEqual(
      [
        [d.enrolmentId, admin.id, "Priorité employeur (CCAS)", 3, 1],
        [b.enrolmentId, admin.id, "Priorité employeur (CCAS)", 1, 2],
        [c.enrolmentId, admin.id, "Priorité employeur (CCAS)", 2, 3],
      ].sort(),
    );

    // A newcomer still joins at the end.
    const e = await enrol(eve, 6);
    expect(e).toMatchObject({ status: "WAITLISTED", position: 4 });

    // Anna cancels: the seat goes to Dimitri, the new head.
    expect(await enrolment.cancelEnrolment({ actor: learnerActor(anna!.id), enrolmentId: a.enrolmentId, now: minute(7) })).toEqual({ ok: true });
    expect((await testDb.enrolment.findUniqueOrThrow({ where: { id: d.enrolmentId } })).status).toBe("OFFERED");
    expect(await waitlist.confirmOffer({ user: dimitri!, enrolmentId: d.enrolmentId, now: minute(8) })).toEqual({ ok: true });
    expect(await sessionsAdmin.markEnrolmentPaid({ actor: admin, sessionId: session.id, enrolmentId: d.enrolmentId, now: minute(9) })).toEqual({ ok: true });
    expect(await waitlist.leaveWaitlist({ user: bruno!, enrolmentId: b.enrolmentId, now: minute(10) })).toEqual({ ok: true });
    // Staff cancel Dimitri: Chloé is offered the seat, lets the offer lapse, and it moves to Ève.
    expect(await enrolment.cancelEnrolment({ actor: admin, enrolmentId: d.enrolmentId, reason: "Inscription en double", now: minute(11) })).toEqual({ ok: true });
    expect(await waitlist.expireOffers(minute(12 + 48 * 60))).toBe(1);

    expect(await actionsOf(a.enrolmentId)).toEqual(["enrolment.confirmed", "enrolment.cancelled"]);
    expect(await actionsOf(b.enrolmentId)).toEqual(["enrolment.waitlisted", "enrolment.waitlist_reordered", "enrolment.left_waitlist"]);
    expect(await actionsOf(c.enrolmentId)).toEqual(["enrolment.waitlisted", "enrolment.waitlist_reordered", "enrolment.offered", "enrolment.offer_expired"]);
    expect(await actionsOf(e.enrolmentId)).toEqual(["enrolment.waitlisted", "enrolment.offered"]);

    const view = await staff.getStaffEnrolment(admin, d.enrolmentId);
    expect(view?.history.map((h) => h.label)).toEqual([
      "Inscription annulée",
      "Avoir émis",
      "Paiement reçu",
      "Place acceptée par la personne",
      "Facture émise",
      "Place proposée (liste d'attente)",
      "Rang sur la liste d'attente modifié",
      "Inscription sur la liste d'attente",
    ]);
    expect(view?.history[0]).toMatchObject({ actorName: "Hélène Dupré", details: ["Par l'équipe", "Motif : Inscription en double"] });
    expect(view?.history[6]).toMatchObject({ details: ["Position 3 → 1", "Motif : Priorité employeur (CCAS)"] });
    expect(view?.history[5]?.actorName).toBeNull();
    expect(await staff.getStaffEnrolment(learnerActor(anna!.id), d.enrolmentId)).toBeNull();
  });

  it("logs each enrolment cancelled with its session", async () => {
    const admin = { id: (await createUser(testDb, { roles: ["ADMIN"] })).id, roles: ["ADMIN"] as const, memberships: [] };
    const module = await createModule(testDb);
    const session = await createSession(testDb, { moduleId: module.id, capacity: 1 });
    const first = await enrolment.enrolSelf({ user: await person("Zoé Martin"), sessionId: session.id, funding: "STRUCTURE" });
    const second = await enrolment.enrolSelf({ user: await person("Yanis Benali"), sessionId: session.id, funding: "STRUCTURE" });
    expect(await sessionsAdmin.cancelSession({ actor: admin, sessionId: session.id, reason: "Formatrice indisponible" })).toMatchObject({ ok: true });
    for (const r of [first, second]) {
      if (!r.ok) throw new Error(r.message);
      expect((await actionsOf(r.enrolmentId)).at(-1)).toBe("enrolment.cancelled");
    }
  });
});
