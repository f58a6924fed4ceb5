import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "../app/modules/auth/password.server";
import { certificateStatus, normaliseVerificationCode } from "../app/modules/certificates/certificate.rules";
import { loadPrivateKey, loadPublicKey, verifyCertificateSignature } from "../app/modules/certificates/signing";
import { DEVELOPMENT_SIGNING_KEY } from "../app/modules/certificates/signing-key.server";
import { decryptCode } from "../app/modules/recharges/code-crypto.server";
import { configureSqlite, createDb, type Db } from "../app/utils/db.server";
import { providerOf } from "../app/utils/db-adapter.server";
import { DEMO_ACCOUNTS, DEMO_ADMIN_EMAIL, DEMO_PASSWORD, printDemoAccounts, seedDemoData } from "../prisma/seed";
import { applyPendingMigrations } from "../server/schema-engine";
import {
  createEnrolment,
  createMembership,
  createModule,
  createSession,
  createStructure,
  createUser,
  isLuhnValid,
  isWorkingDay,
  parisDay,
} from "./factories";
import { testDatabaseUrl } from "./support/database";

const url = testDatabaseUrl("seed");
let db: Db;

/** Row counts of every table the seed writes. */
async function counts() {
  const [users, roles, structures, memberships, modules, sessions, slots, enrolments, signatures, certificates, relays, codes, balances, ledger] =
    await Promise.all([
      db.user.count(),
      db.userRole.count(),
      db.structure.count(),
      db.membership.count(),
      db.module.count(),
      db.session.count(),
      db.slot.count(),
      db.enrolment.count(),
      db.signature.count(),
      db.certificate.count(),
      db.relay.count(),
      db.rechargeCode.count(),
      db.quotaBalance.count(),
      db.quotaLedgerEntry.count(),
    ]);
  return { users, roles, structures, memberships, modules, sessions, slots, enrolments, signatures, certificates, relays, codes, balances, ledger };
}

beforeAll(async () => {
  await applyPendingMigrations(url);
  db = createDb(url);
  if (providerOf(url) === "sqlite") await configureSqlite(db);
  await seedDemoData(db);
});

afterAll(async () => {
  await db?.$disconnect();
});

describe("demo seed", () => {
  it("loads the catalogue, sessions, people, structures and recharges", async () => {
    expect(await counts()).toMatchObject({ modules: 3, structures: 3, relays: 1, codes: 30, balances: 2, ledger: 2 });
  });

  it("is idempotent: a second run adds nothing", async () => {
    const before = await counts();
    await seedDemoData(db);
    expect(await counts()).toEqual(before);
  });

  it("publishes every required field of the three modules", async () => {
    const modules = await db.module.findMany({ orderBy: { number: "asc" } });
    expect(modules.map((m) => [m.number, m.title, m.durationMinutes])).toEqual([
      [1, "Sensibilisation et compréhension de l'inclusion numérique", 420],
      [2, "Pratiques d'accompagnement vers le numérique", 840],
      [3, "Transmission d'ateliers clé en main", 420],
    ]);
    expect(modules[0]!.certificateValidityMonths).toBe(36);
    for (const m of modules) {
      for (const field of ["summary", "objectives", "programme", "prerequisites", "audience", "methods", "assessment", "accessLeadTime", "accessibility", "contact"] as const)
        expect(m[field].trim(), `${m.title}: ${field}`).not.toBe("");
      expect(m.objectives.split("\n").length).toBeGreaterThanOrEqual(3);
      expect(m.priceCents).toBeGreaterThan(0);
    }
  });

  it("keeps names in every script exactly as written", async () => {
    for (const name of ["Nguyễn Thị Minh Khai", "Łucja Wiśniewska", "Ольга Смирнова", "فاطمة الزهراء", "王秀英", "Jean-Éric Lefèvre-Saint-Aubin"]) {
      const user = await db.user.findFirst({ where: { name } });
      expect(user?.name).toBe(name);
      expect(user?.emailVerifiedAt).not.toBeNull();
    }
  });

  it("gives every demo account the demo password and the right role", async () => {
    const admin = await db.user.findUniqueOrThrow({ where: { email: DEMO_ADMIN_EMAIL }, include: { roles: true } });
    expect(admin.roles.map((r) => r.role)).toEqual(["ADMIN"]);
    expect(await verifyPassword(DEMO_PASSWORD, admin.passwordHash!)).toBe(true);
    expect(await verifyPassword("Maillon-demo-2025!", admin.passwordHash!)).toBe(false);
    const trainer = await db.user.findUniqueOrThrow({ where: { email: "formatrice@maillon.localhost" }, include: { roles: true } });
    expect(trainer.roles.map((r) => r.role)).toEqual(["TRAINER"]);
    const hashes = await db.user.findMany({ where: { email: { in: DEMO_ACCOUNTS.map((a) => a.email) } }, select: { passwordHash: true } });
    expect(hashes).toHaveLength(DEMO_ACCOUNTS.length);
    expect(new Set(hashes.map((h) => h.passwordHash)).size).toBe(1);
  });

  it("identifies structures by a Luhn-valid SIRET or an RNA number", async () => {
    const structures = await db.structure.findMany();
    for (const s of structures) {
      if (s.siret) expect(isLuhnValid(s.siret) && isLuhnValid(s.siret.slice(0, 9)), s.name).toBe(true);
      else expect(s.rna).toMatch(/^W\d{9}$/);
    }
    const referent = await db.membership.findFirstOrThrow({ where: { role: "REFERENT", user: { email: "referente@maillon.localhost" } }, include: { structure: true } });
    expect(referent.structure.type).toBe("CCAS");
  });

  it("makes the CCAS an active relay with a member certified on the required module", async () => {
    const relay = await db.relay.findFirstOrThrow({ include: { structure: { include: { memberships: true } }, requiredModule: true } });
    expect(relay.status).toBe("ACTIVE");
    expect(relay.requiredModule.number).toBe(1);
    const memberIds = relay.structure.memberships.map((m) => m.userId);
    const certificate = await db.certificate.findFirstOrThrow({
      where: { userId: { in: memberIds }, moduleId: relay.requiredModuleId, revokedAt: null, kind: "COMPLETION" },
      include: { enrolment: { include: { signatures: true, session: { include: { slots: true } } } } },
    });
    expect(certificate.number).toMatch(/^MAI-\d{4}-\d{6}$/);
    expect(certificate.expiresAt!.getTime()).toBeGreaterThan(Date.now());
    expect(certificate.verificationCode).toMatch(/^[\w-]{16,}$/);
    const { enrolment } = certificate;
    expect(enrolment.status).toBe("CONFIRMED");
    expect(enrolment.session.status).toBe("CLOSED");
    expect(enrolment.signatures).toHaveLength(enrolment.session.slots.length);
    expect(enrolment.session.slots.every((s) => s.trainerSignedAt && s.lockedAt)).toBe(true);
    const counter = await db.certificateCounter.findUniqueOrThrow({ where: { year: Number(certificate.number.slice(4, 8)) } });
    expect(counter.last).toBe(await db.certificate.count());
  });

  it("issues the demo certificates as the app does: signed, so the verification page says valid", async () => {
    const certificates = await db.certificate.findMany();
    expect(certificates.map((c) => c.kind).sort()).toEqual(["COMPLETION", "COMPLETION", "END_OF_TRAINING", "END_OF_TRAINING"]);
    const publicKey = loadPublicKey(loadPrivateKey(DEVELOPMENT_SIGNING_KEY));
    for (const c of certificates) {
      expect(normaliseVerificationCode(c.verificationCode)).toBe(c.verificationCode);
      expect(verifyCertificateSignature(c, c.signature, publicKey), c.number).toBe(true);
      expect(certificateStatus(c, new Date())).toBe("VALID");
    }
  });

  it("plans half-days on working days, never two at once for the trainer", async () => {
    const slots = await db.slot.findMany({ orderBy: { startsAt: "asc" }, include: { session: true } });
    const now = Date.now();
    expect(slots.some((s) => s.endsAt.getTime() < now)).toBe(true);
    expect(slots.some((s) => s.startsAt.getTime() > now)).toBe(true);
    for (const [i, slot] of slots.entries()) {
      expect(isWorkingDay(parisDay(slot.startsAt))).toBe(true);
      expect(slot.endsAt.getTime() - slot.startsAt.getTime()).toBe(210 * 60_000);
      const previous = slots[i - 1];
      if (previous) expect(slot.startsAt.getTime()).toBeGreaterThanOrEqual(previous.endsAt.getTime());
    }
    const cities = await db.session.findMany({ select: { city: true, format: true, kind: true } });
    expect(new Set(cities.map((c) => c.city))).toEqual(new Set(["Lyon", "Lille", "Marseille", "Bordeaux", null]));
    expect(cities.filter((c) => c.format === "REMOTE")).toHaveLength(1);
    expect(cities.filter((c) => c.kind === "INTRA")).toHaveLength(1);
  });

  it("fills one upcoming session and puts the next person on its waiting list", async () => {
    const waitlisted = await db.enrolment.findFirstOrThrow({ where: { status: "WAITLISTED" }, include: { session: true } });
    const confirmed = await db.enrolment.count({ where: { sessionId: waitlisted.sessionId, status: "CONFIRMED" } });
    expect(confirmed).toBe(waitlisted.session.capacity);
    expect(waitlisted.waitlistRank).toBe(1);
  });

  it("stores recharge codes encrypted, and allocates this month's quota through the ledger", async () => {
    const codes = await db.rechargeCode.findMany();
    for (const code of codes) {
      const pin = decryptCode(code.codeEncrypted);
      expect(pin).toMatch(/^\d{14}$/);
      expect(code.last4).toBe(pin.slice(-4));
      expect(code.codeEncrypted).not.toContain(pin);
      expect(code.issuedAt).toBeNull();
    }
    const balances = await db.quotaBalance.findMany();
    const ledger = await db.quotaLedgerEntry.findMany();
    for (const b of balances) {
      const entries = ledger.filter((e) => e.relayId === b.relayId && e.productId === b.productId && e.period === b.period);
      expect(entries.every((e) => e.kind === "ALLOCATION")).toBe(true);
      expect(entries.reduce((sum, e) => sum + e.delta, 0)).toBe(b.balance);
      expect(b.period).toMatch(/^\d{4}-\d{2}$/);
    }
  });

  it("keeps the demo relay as the activation rule sees it, and a submitted application in the staff queue", async () => {
    const { certifiedStaffIds, relayStatusFor } = await import("../app/modules/relays/activation.rules");
    const relay = await db.relay.findFirstOrThrow({ include: { structure: { include: { memberships: { include: { user: { include: { certificates: true } } } } } } } });
    const staff = relay.structure.memberships.map((m) => ({ userId: m.userId, certificates: m.user.certificates }));
    const certifiedCount = certifiedStaffIds(staff, relay.requiredModuleId, new Date()).length;
    expect(certifiedCount).toBeGreaterThanOrEqual(relay.requiredCertifiedStaff);
    expect(relayStatusFor({ current: relay.status, certifiedCount, requiredCertifiedStaff: relay.requiredCertifiedStaff })).toBe(relay.status);
    const submitted = await db.relayApplication.findFirstOrThrow({ where: { status: "SUBMITTED" }, include: { structure: true } });
    expect(submitted.structure?.rna).toBe(submitted.rna);
    expect([submitted.charterAccepted, submitted.dpoInformed]).toEqual([true, true]);
  });

  it("prints the demo accounts in French", async () => {
    const lines: string[] = [];
    const original = console.log;
    console.log = (...args: unknown[]) => void lines.push(args.join(" "));
    try {
      await printDemoAccounts(db);
    } finally {
      console.log = original;
    }
    const text = lines.join("\n");
    expect(text).toContain("Comptes de démonstration");
    expect(text).toContain(DEMO_ADMIN_EMAIL);
    expect(text).toContain("formatrice@maillon.localhost");
    expect(text).toContain(DEMO_PASSWORD);
  });
});

describe("factories", () => {
  const factoryUrl = testDatabaseUrl("factories");
  let fdb: Db;

  beforeAll(async () => {
    await applyPendingMigrations(factoryUrl);
    fdb = createDb(factoryUrl);
    if (providerOf(factoryUrl) === "sqlite") await configureSqlite(fdb);
  });

  afterAll(async () => {
    await fdb?.$disconnect();
  });

  it("build a coherent set of rows with unique defaults", async () => {
    const [a, b] = [await createUser(fdb), await createUser(fdb, { roles: ["TRAINER"], verified: false, password: null })];
    expect(a.email).not.toBe(b.email);
    expect(a.email).toBe(a.email.toLowerCase());
    expect(a.emailVerifiedAt).not.toBeNull();
    expect(b.emailVerifiedAt).toBeNull();
    expect(b.passwordHash).toBeNull();
    expect(await fdb.userRole.findMany({ where: { userId: b.id }, select: { role: true } })).toEqual([{ role: "TRAINER" }]);

    const structure = await createStructure(fdb);
    expect(isLuhnValid(structure.siret!)).toBe(true);
    const association = await createStructure(fdb, { type: "ASSOCIATION", rna: "W751234567" });
    expect(association.siret).toBeNull();
    await createMembership(fdb, { userId: a.id, structureId: structure.id, role: "REFERENT" });

    const module = await createModule(fdb);
    const session = await createSession(fdb, { moduleId: module.id, trainerId: b.id, days: 2 });
    expect(session.priceCents).toBe(module.priceCents);
    expect(session.slots).toHaveLength(4);
    expect(session.slots[0]!.startsAt.getTime()).toBeGreaterThan(Date.now());
    const enrolment = await createEnrolment(fdb, { sessionId: session.id, userId: a.id, structureId: structure.id });
    expect(enrolment).toMatchObject({ status: "CONFIRMED", enrolledById: a.id, paymentStatus: "NOT_REQUIRED" });
  });
});
