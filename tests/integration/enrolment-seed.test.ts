/**
 * The demo data obeys the enrolment invariants: each session's `seatsTaken` is the number
 * of its enrolments holding a seat, never above capacity, and every waiting-list entry has
 * a rank, distinct within its session.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configureSqlite, createDb, type Db } from "../../app/utils/db.server";
import { providerOf } from "../../app/utils/db-adapter.server";
import { seedDemoData } from "../../prisma/seed";
import { applyPendingMigrations } from "../../server/schema-engine";
import { createEnrolment, createModule, createSession, createUser } from "../factories";
import { testDatabaseUrl } from "../support/database";

const url = testDatabaseUrl("enrolment_seed");
let db: Db;

beforeAll(async () => {
  await applyPendingMigrations(url);
  db = createDb(url);
  if (providerOf(url) === "sqlite") await configureSqlite(db);
  await seedDemoData(db);
});

afterAll(async () => {
  await db?.$disconnect();
});

async function expectConsistentSeats() {
  const sessions = await db.session.findMany({ include: { enrolments: { select: { status: true, waitlistRank: true } } } });
  expect(sessions.length).toBeGreaterThan(0);
  for (const s of sessions) {
    const held = s.enrolments.filter((e) => ["CONFIRMED", "PENDING_PAYMENT", "OFFERED"].includes(e.status)).length;
    expect({ id: s.id, seatsTaken: s.seatsTaken }).toEqual({ id: s.id, seatsTaken: held });
    expect(s.seatsTaken).toBeLessThanOrEqual(s.capacity);
    const ranks = s.enrolments.filter((e) => e.status === "WAITLISTED").map((e) => e.waitlistRank);
    expect(ranks.every((r) => typeof r === "number")).toBe(true);
    expect(new Set(ranks).size).toBe(ranks.length);
  }
}

describe("demo data and factories", () => {
  it("seed: seatsTaken matches the enrolments holding a seat; waiting list ranked", async () => {
    await expectConsistentSeats();
    expect(await db.enrolment.count({ where: { status: "WAITLISTED" } })).toBeGreaterThan(0);
  });

  it("factories: createEnrolment counts the seat and ranks the waiting list", async () => {
    const module = await createModule(db);
    const session = await createSession(db, { moduleId: module.id, capacity: 1 });
    await createEnrolment(db, { sessionId: session.id, userId: (await createUser(db)).id });
    const w1 = await createEnrolment(db, { sessionId: session.id, userId: (await createUser(db)).id, status: "WAITLISTED" });
    const w2 = await createEnrolment(db, { sessionId: session.id, userId: (await createUser(db)).id, status: "WAITLISTED" });
    expect([w1.waitlistRank, w2.waitlistRank]).toEqual([1, 2]);
    expect((await db.session.findUniqueOrThrow({ where: { id: session.id } })).seatsTaken).toBe(1);
    await expectConsistentSeats();
  });
});
