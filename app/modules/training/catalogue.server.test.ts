/**
 * The public catalogue against a real database (SQLite, or PostgreSQL with
 * TEST_DATABASE=postgresql), migrated like production. Same pattern as
 * app/modules/structures/invitations.test.ts. Each test builds its own module(s) and
 * only looks at those: the database is shared by the file's tests.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyPendingMigrations } from "../../../server/schema-engine";
import {
  addDays,
  createEnrolment,
  createMembership,
  createModule,
  createSession,
  createStructure,
  createUser,
  markAttendance,
  parisDay,
  VENUES,
} from "../../../tests/factories";
import { testDatabaseUrl } from "../../../tests/support/database";
import type { Db } from "~/utils/db.server";

type Catalogue = typeof import("./catalogue.server");
let catalogue: Catalogue;
let testDb: Db;
let parisMonthKey: (date: Date) => string;

beforeAll(async () => {
  const url = testDatabaseUrl("catalogue");
  await applyPendingMigrations(url);
  process.env.DATABASE_URL = url;
  const { createDb, configureSqlite, connectDb } = await import("~/utils/db.server");
  const { providerOf } = await import("~/utils/db-adapter.server");
  testDb = createDb(url);
  if (providerOf(url) === "sqlite") await configureSqlite(testDb);
  await connectDb();
  catalogue = await import("./catalogue.server");
  ({ parisMonthKey } = await import("~/utils/dates"));
});

afterAll(async () => {
  await testDb?.$disconnect();
  const { db } = await import("~/utils/db.server");
  await db.$disconnect();
});

const now = new Date();
const inDays = (days: number) => addDays(parisDay(now), days);
const hoursFromNow = (hours: number) => new Date(now.getTime() + hours * 3600_000);

async function listed(slug: string, filters = {}) {
  const result = await catalogue.listCatalogue({ filters, now });
  return { result, module: result.modules.find((m) => m.slug === slug) };
}

describe("listCatalogue", () => {
  it("lists only scheduled inter sessions whose first half-day is ahead, soonest first", async () => {
    const module = await createModule(testDb);
    const later = await createSession(testDb, { moduleId: module.id, startsOn: inDays(60) });
    const sooner = await createSession(testDb, { moduleId: module.id, format: "REMOTE", startsOn: inDays(20) });
    // Not listed: past, already begun, cancelled, closed, intra, no half-day at all.
    await createSession(testDb, { moduleId: module.id, slots: [{ startsAt: hoursFromNow(-240), endsAt: hoursFromNow(-236) }] });
    await createSession(testDb, {
      moduleId: module.id,
      slots: [
        { startsAt: hoursFromNow(-2), endsAt: hoursFromNow(1) },
        { startsAt: hoursFromNow(22), endsAt: hoursFromNow(25) },
      ],
    });
    await createSession(testDb, { moduleId: module.id, status: "CANCELLED", startsOn: inDays(25) });
    await createSession(testDb, { moduleId: module.id, status: "CLOSED", startsOn: inDays(25) });
    const structure = await createStructure(testDb);
    await createSession(testDb, { moduleId: module.id, kind: "INTRA", structureId: structure.id, startsOn: inDays(25) });
    await createSession(testDb, { moduleId: module.id, slots: [] });

    const { module: found } = await listed(module.slug);

    expect(found?.sessions.map((s) => s.id)).toEqual([sooner.id, later.id]);
    expect(found?.sessions[0]).toMatchObject({ format: "REMOTE", city: null, halfDays: 2, seatsLeft: 12, capacity: 12 });
    expect(found?.sessions[1]?.startsAt).toEqual(later.slots[0]?.startsAt);
    expect(found?.sessions[1]?.endsAt).toEqual(later.slots.at(-1)?.endsAt);
    expect(found).toMatchObject({ title: module.title, summary: module.summary, durationMinutes: 420, priceCents: 25_000 });
  });

  it("leaves out unpublished modules, and keeps modules without a session", async () => {
    const hidden = await createModule(testDb, { published: false });
    await createSession(testDb, { moduleId: hidden.id, startsOn: inDays(20) });
    const empty = await createModule(testDb);

    expect((await listed(hidden.slug)).module).toBeUndefined();
    expect((await listed(empty.slug)).module?.sessions).toEqual([]);
  });

  it("filters by city (any case and accents), by month in Paris time, and by format", async () => {
    const module = await createModule(testDb);
    const lyon = await createSession(testDb, { moduleId: module.id, venue: VENUES.lyon, startsOn: inDays(15) });
    const lille = await createSession(testDb, { moduleId: module.id, venue: { ...VENUES.lille, city: "Lille-Hellemmes" }, startsOn: inDays(60) });
    const remote = await createSession(testDb, { moduleId: module.id, format: "REMOTE", startsOn: inDays(60) });
    const ids = async (filters: object) => (await listed(module.slug, filters)).module?.sessions.map((s) => s.id);
    const lilleMonth = parisMonthKey(lille.slots[0]!.startsAt);

    expect(await ids({ city: "lille hellemmes" })).toEqual([lille.id]);
    expect(await ids({ city: "LYON" })).toEqual([lyon.id]);
    expect(await ids({ month: lilleMonth })).toEqual(expect.arrayContaining([lille.id, remote.id]));
    expect(await ids({ month: lilleMonth })).not.toContain(lyon.id);
    expect(await ids({ format: "REMOTE" })).toEqual([remote.id]);
    expect(await ids({ format: "IN_PERSON", month: lilleMonth })).toEqual([lille.id]);
    expect(await ids({ city: "Lyon", format: "REMOTE" })).toEqual([]);

    const { result } = await listed(module.slug, { city: "Lyon" });
    // The form's choices come from every upcoming session, whatever the filters.
    expect(result.cities).toEqual(expect.arrayContaining(["Lyon", "Lille-Hellemmes"]));
    expect(result.months).toEqual(expect.arrayContaining([lilleMonth, parisMonthKey(lyon.slots[0]!.startsAt)]));
    expect(result.matchingSessions).toBeGreaterThanOrEqual(1);
  });

  it("shows a full session as full, with no seat left", async () => {
    const module = await createModule(testDb);
    const session = await createSession(testDb, { moduleId: module.id, capacity: 4, startsOn: inDays(30) });
    await testDb.session.update({ where: { id: session.id }, data: { seatsTaken: 4 } });
    const { module: found } = await listed(module.slug);
    expect(found?.sessions).toEqual([expect.objectContaining({ id: session.id, seatsLeft: 0, capacity: 4 })]);
  });
});

async function survey(enrolmentId: string, kind: "HOT" | "COLD", satisfaction: number) {
  await testDb.surveyResponse.create({
    data: { enrolmentId, kind, tokenHash: randomBytes(16).toString("hex"), sentAt: hoursFromNow(-100), respondedAt: hoursFromNow(-90), satisfaction },
  });
}

describe("getModulePage", () => {
  it("publishes everything a training offer must, and no results before data exists", async () => {
    const module = await createModule(testDb);
    const session = await createSession(testDb, { moduleId: module.id, startsOn: inDays(30) });

    const page = await catalogue.getModulePage(module.slug, now);

    expect(page).toMatchObject({
      title: module.title,
      objectives: module.objectives,
      programme: module.programme,
      durationMinutes: module.durationMinutes,
      prerequisites: module.prerequisites,
      audience: module.audience,
      methods: module.methods,
      assessment: module.assessment,
      accessLeadTime: module.accessLeadTime,
      priceCents: module.priceCents,
      accessibility: module.accessibility,
      contact: module.contact,
      results: { satisfaction: null, completion: null, objectives: null },
    });
    expect(page?.sessions.map((s) => s.id)).toEqual([session.id]);
  });

  it("publishes the satisfaction, completion and objectives rates once closed sessions have data", async () => {
    const module = await createModule(testDb);
    const closed = await createSession(testDb, {
      moduleId: module.id,
      status: "CLOSED",
      closedAt: hoursFromNow(-480),
      slots: [
        { startsAt: hoursFromNow(-500), endsAt: hoursFromNow(-496.5) },
        { startsAt: hoursFromNow(-495.5), endsAt: hoursFromNow(-492) },
      ],
    });
    const people = await Promise.all([1, 2, 3, 4].map(() => createUser(testDb)));
    const [a, b, c] = await Promise.all(
      people.slice(0, 3).map((p, i) => createEnrolment(testDb, { sessionId: closed.id, userId: p.id, objectivesReached: [true, false, null][i] })),
    );
    const cancelled = await createEnrolment(testDb, { sessionId: closed.id, userId: people[3]!.id, status: "CANCELLED", objectivesReached: true });
    const [morning, afternoon] = closed.slots;
    // a: both half-days; b: late in the afternoon (still complete); c: absent in the afternoon.
    for (const [e, slot, status] of [
      [a!, morning!, "PRESENT"],
      [a!, afternoon!, "PRESENT"],
      [b!, morning!, "PRESENT"],
      [b!, afternoon!, "LATE"],
      [c!, morning!, "PRESENT"],
      [c!, afternoon!, "ABSENT"],
      [cancelled, morning!, "PRESENT"], // not a confirmed enrolment
      [cancelled, afternoon!, "PRESENT"],
    ] as const)
      await markAttendance(testDb, { slotId: slot.id, enrolmentId: e.id, status });
    await survey(a!.id, "HOT", 5);
    await survey(b!.id, "HOT", 4);
    await survey(c!.id, "HOT", 2);
    await survey(cancelled.id, "HOT", 5); // not a confirmed enrolment
    await survey(a!.id, "COLD", 1); // the follow-up survey is not the satisfaction rate

    // Another module's data does not leak in.
    const other = await createModule(testDb);
    const otherSession = await createSession(testDb, { moduleId: other.id, status: "CLOSED", slots: [{ startsAt: hoursFromNow(-300), endsAt: hoursFromNow(-296) }] });
    const stranger = await createEnrolment(testDb, { sessionId: otherSession.id, userId: (await createUser(testDb)).id });
    await survey(stranger.id, "HOT", 1);

    const page = await catalogue.getModulePage(module.slug, now);

    expect(page?.results.satisfaction).toMatchObject({ count: 2, total: 3 });
    expect(page?.results.satisfaction?.rate).toBeCloseTo(2 / 3);
    expect(page?.results.satisfaction?.average).toBeCloseTo(11 / 3);
    expect(page?.results.completion).toEqual({ rate: 2 / 3, count: 2, total: 3 });
    expect(page?.results.objectives).toEqual({ rate: 1 / 2, count: 1, total: 2 });
    expect((await catalogue.getModulePage(other.slug, now))?.results).toMatchObject({
      satisfaction: { count: 0, total: 1 },
      completion: { count: 0, total: 1 },
      objectives: null,
    });
  });

  it("publishes nothing from a session not yet closed", async () => {
    const module = await createModule(testDb);
    const session = await createSession(testDb, { moduleId: module.id, slots: [{ startsAt: hoursFromNow(-30), endsAt: hoursFromNow(-26) }] });
    const enrolment = await createEnrolment(testDb, { sessionId: session.id, userId: (await createUser(testDb)).id, objectivesReached: true });
    await markAttendance(testDb, { slotId: session.slots[0]!.id, enrolmentId: enrolment.id });
    await survey(enrolment.id, "HOT", 5);
    expect((await catalogue.getModulePage(module.slug, now))?.results).toMatchObject({ satisfaction: null, completion: null, objectives: null });
  });

  it("answers null for an unknown or unpublished module", async () => {
    const hidden = await createModule(testDb, { published: false });
    expect(await catalogue.getModulePage("cette-formation-n-existe-pas", now)).toBeNull();
    expect(await catalogue.getModulePage(hidden.slug, now)).toBeNull();
  });
});

describe("getSessionPage", () => {
  it("shows a session's details, without its remote link, and the viewer's own enrolment", async () => {
    const module = await createModule(testDb);
    const trainer = await createUser(testDb, { name: "Maëlys Le Goff", roles: ["TRAINER"] });
    const session = await createSession(testDb, { moduleId: module.id, format: "REMOTE", trainerId: trainer.id, startsOn: inDays(30), isFree: true });
    const learner = await createUser(testDb);
    await createEnrolment(testDb, { sessionId: session.id, userId: learner.id, status: "WAITLISTED", waitlistRank: 1 });

    const anonymous = await catalogue.getSessionPage({ id: session.id, viewer: null, now });
    expect(anonymous).toMatchObject({ openness: "open", trainerName: "Maëlys Le Goff", format: "REMOTE", isFree: true, seatsLeft: 12, myEnrolment: null });
    expect(JSON.stringify(anonymous)).not.toContain("visio.maillon");
    expect(anonymous?.slots).toHaveLength(2);

    const mine = await catalogue.getSessionPage({ id: session.id, viewer: { id: learner.id, roles: ["LEARNER"], memberships: [] }, now });
    expect(mine?.myEnrolment).toEqual({ status: "WAITLISTED", waitlistRank: 1 });
  });

  it("shows an intra session only to its structure, its trainer and staff", async () => {
    const module = await createModule(testDb);
    const structure = await createStructure(testDb);
    const trainer = await createUser(testDb, { roles: ["TRAINER"] });
    const session = await createSession(testDb, { moduleId: module.id, kind: "INTRA", structureId: structure.id, trainerId: trainer.id, startsOn: inDays(30) });
    const member = await createUser(testDb);
    await createMembership(testDb, { userId: member.id, structureId: structure.id });
    const outsider = await createUser(testDb);
    const viewer = (id: string, roles: string[] = ["LEARNER"], memberships: { structureId: string }[] = []) => ({ id, roles, memberships });

    expect(await catalogue.getSessionPage({ id: session.id, viewer: null, now })).toBeNull();
    expect(await catalogue.getSessionPage({ id: session.id, viewer: viewer(outsider.id), now })).toBeNull();
    expect(await catalogue.getSessionPage({ id: session.id, viewer: viewer(member.id, ["LEARNER"], [{ structureId: structure.id }]), now })).toMatchObject({
      kind: "INTRA",
      structureName: structure.name,
    });
    expect(await catalogue.getSessionPage({ id: session.id, viewer: viewer(trainer.id, ["TRAINER"]), now })).not.toBeNull();
    expect(await catalogue.getSessionPage({ id: session.id, viewer: viewer(outsider.id, ["ADMIN"]), now })).not.toBeNull();
  });

  it("tells a cancelled or past session apart, and answers null for an unknown id", async () => {
    const module = await createModule(testDb);
    const cancelled = await createSession(testDb, { moduleId: module.id, status: "CANCELLED", startsOn: inDays(30) });
    await testDb.session.update({ where: { id: cancelled.id }, data: { cancelReason: "Formatrice malade", cancelledAt: now } });
    const past = await createSession(testDb, { moduleId: module.id, slots: [{ startsAt: hoursFromNow(-48), endsAt: hoursFromNow(-44) }] });

    expect(await catalogue.getSessionPage({ id: cancelled.id, viewer: null, now })).toMatchObject({ openness: "cancelled", cancelReason: "Formatrice malade" });
    expect(await catalogue.getSessionPage({ id: past.id, viewer: null, now })).toMatchObject({ openness: "past" });
    expect(await catalogue.getSessionPage({ id: "inconnue", viewer: null, now })).toBeNull();
  });
});
