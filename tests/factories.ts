/**
 * Factories for the tests: the builders the demo seed uses (prisma/builders.ts), plus the
 * test-only ones below.
 */
import type { Db, Tx } from "../app/utils/db.server";

export * from "../prisma/builders";

type Client = Db | Tx;

// ───────────────────────────── Certificates ─────────────────────────────

/**
 * Issues a certificate through the app's own `issueCertificate` (real number, code and
 * signature with the development key unless one is given). Pass a transaction for atomicity.
 */
export async function createCertificate(
  db: Client,
  input: {
    enrolmentId: string;
    kind?: "COMPLETION" | "END_OF_TRAINING";
    issuedAt?: Date;
    attendedMinutes?: number;
    objectivesReached?: boolean | null;
    privateKey?: string;
  },
) {
  const { issueCertificate } = await import("../app/modules/certificates/issue.server");
  const { DEVELOPMENT_SIGNING_KEY } = await import("../app/modules/certificates/signing-key.server");
  return issueCertificate(
    db as Tx,
    {
      enrolmentId: input.enrolmentId,
      kind: input.kind ?? "COMPLETION",
      issuedAt: input.issuedAt ?? new Date(),
      attendedMinutes: input.attendedMinutes ?? 420,
      objectivesReached: input.objectivesReached === undefined ? true : input.objectivesReached,
    },
    { privateKey: input.privateKey ?? DEVELOPMENT_SIGNING_KEY },
  );
}

// ───────────────────────────── Attendance ─────────────────────────────

/** One line of a half-day's sheet: signed (PRESENT), or marked late or absent by the trainer. */
export async function markAttendance(
  db: Client,
  input: { slotId: string; enrolmentId: string; status?: "PRESENT" | "LATE" | "ABSENT"; signedAt?: Date },
) {
  const status = input.status ?? "PRESENT";
  return db.signature.create({
    data: { slotId: input.slotId, enrolmentId: input.enrolmentId, status, method: status === "PRESENT" ? "TYPED" : "TRAINER", signedAt: input.signedAt ?? new Date() },
  });
}
