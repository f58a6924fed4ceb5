/**
 * Certificates in the database (TEST_DATABASE: SQLite or PostgreSQL): numbers allocated
 * under concurrency, revocation (who, why, audit), and tamper detection from stored fields.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../support/database";
import { createEnrolment, createModule, createSession, createUser } from "../factories";
import type { Db } from "~/utils/db.server";

let issue: typeof import("~/modules/certificates/issue.server");
let rules: typeof import("~/modules/certificates/certificate.rules");
let testDb: Db;
let closeDb: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ testDb, close: closeDb } = await openTestDatabase("certificates"));
  issue = await import("~/modules/certificates/issue.server");
  rules = await import("~/modules/certificates/certificate.rules");
});

afterAll(async () => {
  await closeDb?.();
});

async function confirmedLearners(count: number, validityMonths: number | null = 24) {
  const module = await createModule(testDb, { certificateValidityMonths: validityMonths });
  const session = await createSession(testDb, { moduleId: module.id, capacity: count + 1 });
  const enrolments = [];
  for (let i = 0; i < count; i++) {
    const user = await createUser(testDb);
    enrolments.push(await createEnrolment(testDb, { sessionId: session.id, userId: user.id, status: "CONFIRMED" }));
  }
  return { module, session, enrolments };
}

describe("issueCertificate", () => {
  it("gives 20 concurrent issues 20 distinct, consecutive numbers of the year", async () => {
    const { enrolments } = await confirmedLearners(20);
    // A year of its own, so other tests' certificates do not interleave.
    const issuedAt = new Date("2031-06-15T10:00:00Z");
    const { withTxRetry } = await import("~/modules/enrolment/enrolment.server");
    const issued = await Promise.all(
      enrolments.map((e) =>
        withTxRetry((tx) => issue.issueCertificate(tx, { enrolmentId: e.id, kind: "COMPLETION", issuedAt, attendedMinutes: 420, objectivesReached: true })),
      ),
    );
    const sequences = issued.map((c) => rules.parseCertificateNumber(c.number)!.sequence).sort((a, b) => a - b);
    expect(sequences).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(issued.map((c) => c.verificationCode)).size).toBe(20);
    expect((await testDb.certificateCounter.findUniqueOrThrow({ where: { year: 2031 } })).last).toBe(20);
    for (const c of issued) expect(c.number).toMatch(/^MAI-2031-0000\d\d$/);
  });

  it("stores a signature that verifies, and fails once any stored field is changed", async () => {
    const { enrolments } = await confirmedLearners(1);
    const cert = await issue.issueCertificate(testDb as never, {
      enrolmentId: enrolments[0]!.id,
      kind: "END_OF_TRAINING",
      issuedAt: new Date(),
      attendedMinutes: 390,
      objectivesReached: false,
    });
    const before = await issue.findCertificateForVerification(cert.verificationCode.toLowerCase());
    expect(before.kind).toBe("found");
    if (before.kind !== "found") return;
    expect(before.certificate.signatureValid).toBe(true);
    expect(before.certificate.status).toBe("VALID");
    expect(before.certificate.objectivesReached).toBe(false);

    await testDb.certificate.update({ where: { id: cert.id }, data: { attendedMinutes: 420 } });
    const after = await issue.findCertificateForVerification(cert.verificationCode);
    expect(after.kind === "found" && after.certificate.signatureValid).toBe(false);
    await testDb.certificate.update({ where: { id: cert.id }, data: { attendedMinutes: 390, holderName: `${cert.holderName} ` } });
    const renamed = await issue.findCertificateForVerification(cert.verificationCode);
    expect(renamed.kind === "found" && renamed.certificate.signatureValid).toBe(false);
    await testDb.certificate.update({ where: { id: cert.id }, data: { holderName: cert.holderName } });
    const restored = await issue.findCertificateForVerification(cert.verificationCode);
    expect(restored.kind === "found" && restored.certificate.signatureValid).toBe(true);
  });

  it("supersedes the earlier certificate of the same kind when issued again", async () => {
    const { enrolments } = await confirmedLearners(1);
    const first = await issue.issueCertificate(testDb as never, { enrolmentId: enrolments[0]!.id, kind: "COMPLETION", issuedAt: new Date(Date.now() - 60_000), attendedMinutes: 200, objectivesReached: null });
    const second = await issue.issueCertificate(testDb as never, { enrolmentId: enrolments[0]!.id, kind: "COMPLETION", issuedAt: new Date(), attendedMinutes: 420, objectivesReached: null });
    const old = await issue.findCertificateForVerification(first.verificationCode);
    const fresh = await issue.findCertificateForVerification(second.verificationCode);
    expect(old.kind === "found" && old.certificate.status).toBe("SUPERSEDED");
    expect(fresh.kind === "found" && fresh.certificate.status).toBe("VALID");
  });

  it("tells unknown codes from malformed ones", async () => {
    expect((await issue.findCertificateForVerification("pas un code")).kind).toBe("malformed");
    expect((await issue.findCertificateForVerification("0000-0000-0000-0000")).kind).toBe("unknown");
  });
});

describe("revokeCertificate", () => {
  it("is for staff only, needs a reason, writes once and audits", async () => {
    const { enrolments } = await confirmedLearners(1);
    const cert = await issue.issueCertificate(testDb as never, { enrolmentId: enrolments[0]!.id, kind: "COMPLETION", issuedAt: new Date(), attendedMinutes: 420, objectivesReached: null });
    const admin = await createUser(testDb, { roles: ["ADMIN"] });
    const trainer = await createUser(testDb, { roles: ["TRAINER"] });
    const asActor = (u: { id: string }, roles: ("ADMIN" | "TRAINER")[]) => ({ id: u.id, roles, memberships: [] });
    const reason = "Feuilles d'émargement falsifiées, constaté lors du contrôle qualité.";

    expect(await issue.revokeCertificate({ actor: null, id: cert.id, reason })).toMatchObject({ ok: false, status: 403 });
    expect(await issue.revokeCertificate({ actor: asActor(trainer, ["TRAINER"]), id: cert.id, reason })).toMatchObject({ ok: false, status: 403 });
    expect(await issue.revokeCertificate({ actor: asActor(admin, ["ADMIN"]), id: cert.id, reason: "  erreur " })).toMatchObject({ ok: false, status: 400 });
    expect(await issue.revokeCertificate({ actor: asActor(admin, ["ADMIN"]), id: "nope", reason })).toMatchObject({ ok: false, status: 404 });
    expect(await testDb.auditLog.count({ where: { entityId: cert.id, action: "certificate.revoked" } })).toBe(0);

    const results = await Promise.all([1, 2, 3].map(() => issue.revokeCertificate({ actor: asActor(admin, ["ADMIN"]), id: cert.id, reason })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const audit = await testDb.auditLog.findMany({ where: { entityId: cert.id, action: "certificate.revoked" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: admin.id, entityType: "Certificate", reason });
    const found = await issue.findCertificateForVerification(cert.verificationCode);
    expect(found.kind === "found" && [found.certificate.status, found.certificate.revokedReason, found.certificate.signatureValid]).toEqual(["REVOKED", reason, true]);
  });
});
