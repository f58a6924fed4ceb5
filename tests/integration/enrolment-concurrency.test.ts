/**
 * 50 people enrol at the same instant for the last 5 seats: exactly 5 get a seat, 45 join
 * the waiting list with distinct ranks, and nobody holds two rows. On SQLite (writers take
 * turns; busy errors are retried) and on PostgreSQL (the session row lock queues them).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../support/database";
import { createModule, createSession, createUser } from "../factories";
import type { Db } from "~/utils/db.server";

let enrolment: typeof import("~/modules/enrolment/enrolment.server");
let testDb: Db;
let closeDb: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ testDb, close: closeDb } = await openTestDatabase("enrolment_concurrency"));
  enrolment = await import("~/modules/enrolment/enrolment.server");
});

afterAll(async () => {
  await closeDb?.();
});

describe("enrolment under load", () => {
  it("fills exactly the capacity when 50 people enrol at once, and queues the rest in distinct ranks", async () => {
    const module = await createModule(testDb);
    const session = await createSession(testDb, { moduleId: module.id, capacity: 5 });
    const people = [];
    for (let i = 0; i < 50; i++) people.push(await createUser(testDb, { email: `charge.${i}.${session.id}@exemple.test` }));

    const results = await Promise.all(
      people.map((p) => enrolment.enrolSelf({ user: { id: p.id, email: p.email, name: p.name }, sessionId: session.id, funding: "OPCO" })),
    );
    expect(results.filter((r) => !r.ok)).toEqual([]);

    const rows = await testDb.enrolment.findMany({ where: { sessionId: session.id } });
    expect(rows).toHaveLength(50);
    expect(new Set(rows.map((r) => r.userId)).size).toBe(50);
    expect(rows.filter((r) => r.status === "CONFIRMED")).toHaveLength(5);
    const waiting = rows.filter((r) => r.status === "WAITLISTED");
    expect(waiting).toHaveLength(45);
    const ranks = waiting.map((r) => r.waitlistRank);
    expect(ranks.every((r) => typeof r === "number")).toBe(true);
    expect(new Set(ranks).size).toBe(45);
    expect((await testDb.session.findUniqueOrThrow({ where: { id: session.id } })).seatsTaken).toBe(5);
    expect(await testDb.outboxMail.count({ where: { template: "convocation", to: { in: people.map((p) => p.email) } } })).toBe(5);
    expect(await testDb.outboxMail.count({ where: { template: "waitlist-joined", to: { in: people.map((p) => p.email) } } })).toBe(45);

    // The same 50 click again, twice each, at once: nobody gets a second row or seat.
    const again = await Promise.all(
      [...people, ...people].map((p) => enrolment.enrolSelf({ user: { id: p.id, email: p.email, name: p.name }, sessionId: session.id, funding: "OPCO" })),
    );
    expect(again.every((r) => !r.ok)).toBe(true);
    expect(await testDb.enrolment.count({ where: { sessionId: session.id } })).toBe(50);
    expect((await testDb.session.findUniqueOrThrow({ where: { id: session.id } })).seatsTaken).toBe(5);
  });
});
