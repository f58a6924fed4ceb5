/**
 * The staff's module functions against a real database (SQLite, or PostgreSQL with
 * TEST_DATABASE=postgresql), migrated like production: permission, uniqueness when several
 * saves race, and the unpublish warning. The HTTP side is in tests/integration/modules-admin-http.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyPendingMigrations } from "../../../server/schema-engine";
import { testDatabaseUrl } from "../../../tests/support/database";
import { createEnrolment, createModule, createSession, createUser, parisDay, addDays } from "../../../tests/factories";
import type { Db } from "~/utils/db.server";
import type { ModuleInput } from "./modules.schema";

type ModulesAdmin = typeof import("./modules-admin.server");
let admin: ModulesAdmin;
let testDb: Db;

beforeAll(async () => {
  const url = testDatabaseUrl("modules_admin");
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
  admin = await import("./modules-admin.server");
});

afterAll(async () => {
  await testDb?.$disconnect();
  const { db } = await import("~/utils/db.server");
  await db.$disconnect();
});

const actorOf = (user: { id: string }, roles: ("LEARNER" | "TRAINER" | "ADMIN")[]) => ({ id: user.id, roles, memberships: [] });

let nextNumber = 500;
function input(change: Partial<ModuleInput> = {}): ModuleInput {
  const number = nextNumber++;
  return {
    number,
    slug: `ateliers-cle-en-main-${number}`,
    title: `Ateliers clé en main ${number}`,
    summary: "Animer un atelier numérique avec un public éloigné.",
    objectives: "Animer un atelier de deux heures\nAdapter un support au public",
    programme: "Préparer\nAnimer\nÉvaluer",
    durationMinutes: 840,
    prerequisites: "Avoir suivi le module 1.",
    audience: "Travailleurs sociaux.",
    methods: "Mises en situation.",
    assessment: "Animation observée.",
    accessLeadTime: "Deux semaines.",
    priceCents: 45_000,
    accessibility: "Salle accessible.",
    contact: "formation@maillon.localhost",
    certificateValidityMonths: 36,
    nsfCode: "332",
    published: true,
    ...change,
  };
}

describe("createCatalogueModule and updateCatalogueModule", () => {
  it("refuse anyone but staff", async () => {
    const trainer = await createUser(testDb, { roles: ["TRAINER"] });
    const data = input();
    expect(await admin.createCatalogueModule({ actor: actorOf(trainer, ["TRAINER"]), data })).toMatchObject({ ok: false, errors: { form: expect.any(String) } });
    const module = await createModule(testDb);
    expect(await admin.updateCatalogueModule({ actor: actorOf(trainer, ["LEARNER", "TRAINER"]), moduleId: module.id, data })).toMatchObject({ ok: false });
    expect(await testDb.module.count({ where: { number: data.number } })).toBe(0);
    expect(await testDb.auditLog.count({ where: { actorId: trainer.id } })).toBe(0);
  });

  it.each(["number", "slug"] as const)("let exactly one of several simultaneous saves take the same %s; the others get an error on that field", async (field) => {
    const staff = actorOf(await createUser(testDb, { roles: ["ADMIN"] }), ["ADMIN"]);
    const shared = input();
    const attempts = Array.from({ length: 6 }, () => input({ [field]: shared[field] }));
    const results = await Promise.all(attempts.map((data) => admin.createCatalogueModule({ actor: staff, data })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const r of results.filter((r) => !r.ok)) expect(Object.keys((r as { errors: object }).errors)).toEqual([field]);
    expect(await testDb.module.count({ where: { [field]: shared[field] } })).toBe(1);
    expect(await testDb.auditLog.count({ where: { actorId: staff.id, action: "module.created" } })).toBe(1);
  });

  it("refuse an edit that takes another module's slug, changing nothing", async () => {
    const staff = actorOf(await createUser(testDb, { roles: ["ADMIN"] }), ["ADMIN"]);
    const [a, b] = [await createModule(testDb), await createModule(testDb)];
    const result = await admin.updateCatalogueModule({ actor: staff, moduleId: a.id, data: input({ number: a.number, slug: b.slug, title: "Nouveau titre" }) });
    expect(result).toEqual({ ok: false, errors: { slug: expect.stringMatching(/déjà celle d'un autre module/) } });
    expect((await testDb.module.findUniqueOrThrow({ where: { id: a.id } })).title).toBe(a.title);
    expect(await testDb.auditLog.count({ where: { entityId: a.id } })).toBe(0);
  });

  it("report, when unpublishing, the upcoming sessions that hold confirmed enrolments (not past, cancelled or waiting ones)", async () => {
    const staff = actorOf(await createUser(testDb, { roles: ["ADMIN"] }), ["ADMIN"]);
    const data = input();
    const created = await admin.createCatalogueModule({ actor: staff, data });
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    const moduleId = created.moduleId;
    const today = parisDay(new Date());
    const upcoming = await createSession(testDb, { moduleId, startsOn: addDays(today, 20) });
    const another = await createSession(testDb, { moduleId, startsOn: addDays(today, 40) });
    const past = await createSession(testDb, { moduleId, startsOn: addDays(today, -20), status: "CLOSED" });
    const cancelled = await createSession(testDb, { moduleId, startsOn: addDays(today, 30), status: "CANCELLED" });
    const enrol = async (sessionId: string, status: "CONFIRMED" | "WAITLISTED") =>
      createEnrolment(testDb, { sessionId, userId: (await createUser(testDb)).id, status });
    await enrol(upcoming.id, "CONFIRMED");
    await enrol(upcoming.id, "CONFIRMED");
    await enrol(another.id, "WAITLISTED");
    await enrol(past.id, "CONFIRMED");
    await enrol(cancelled.id, "CONFIRMED");

    const rowBefore = (await admin.listAdminModules()).find((m) => m.id === moduleId);
    expect(rowBefore).toMatchObject({ upcomingSessions: 2, published: true, hiddenWithEnrolments: null });

    const result = await admin.updateCatalogueModule({ actor: staff, moduleId, data: { ...data, published: false } });
    expect(result).toEqual({ ok: true, moduleId, changed: ["published"], unpublishedWithEnrolments: { sessions: 1, enrolments: 2 } });
    const row = (await admin.listAdminModules()).find((m) => m.id === moduleId);
    expect(row).toMatchObject({ upcomingSessions: 2, published: false, hiddenWithEnrolments: { sessions: 1, enrolments: 2 } });

    const again = await admin.updateCatalogueModule({ actor: staff, moduleId, data: { ...data, published: true } });
    expect(again).toMatchObject({ ok: true, changed: ["published"], unpublishedWithEnrolments: null });
    expect((await admin.listAdminModules()).find((m) => m.id === moduleId)?.hiddenWithEnrolments).toBeNull();
  });
});
