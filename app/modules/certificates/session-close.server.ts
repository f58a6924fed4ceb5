/**
 * The end of a session: the trainer records whether each trainee reached the objectives,
 * then the trainer or staff close it, which issues each attending trainee's certificat de
 * réalisation and attestation de fin de formation and mails them; staff may later issue a
 * certificate again (corrected) or revoke it (issue.server.ts).
 *
 * Closing is ONE transaction (docs/decisions/010): the session's status moves SCHEDULED →
 * CLOSED by a conditional update (so closing twice, even at once, closes once), the
 * certificates are issued (their numbers come from the yearly counter, inside the
 * transaction), their PDFs are drawn (they print the number and the verification code), and
 * the mails are written to the outbox with the PDFs attached. Any failure rolls all of it back.
 */
import { plannedMinutes } from "~/modules/attendance/attendance.rules";
import { can, type Actor } from "~/modules/auth/permissions.rules";
import { withTxRetry } from "~/modules/enrolment/enrolment.server";
import { db, type Tx } from "~/utils/db.server";
import { certificatesDue } from "./certificate.rules";
import { attendedMinutesByEnrolment, queueCertificatesMail, renderStoredCertificates } from "./documents.server";
import { issueCertificate } from "./issue.server";
import { choiceFromObjectives, closeRefusal, objectivesFromChoice, objectivesRefusal, type ObjectivesChoice } from "./session-close.rules";

type Refused = { ok: false; status: 403 | 404 | 400; error: string };
const NOT_FOUND: Refused = { ok: false, status: 404, error: "Cette session n'existe pas." };
const FORBIDDEN: Refused = { ok: false, status: 403, error: "Seuls le formateur de la session et l'équipe Maillon peuvent faire cela." };

const allowed = (actor: Actor, trainerId: string | null) => can(actor, "session.assess", { sessionTrainerId: trainerId });

// ───────────────────────── Overview ─────────────────────────

export type TraineeOutcome = { enrolmentId: string; name: string; attendedMinutes: number; objectives: ObjectivesChoice; getsCertificates: boolean };

export type SessionOutcome = {
  sessionId: string;
  moduleTitle: string;
  status: "SCHEDULED" | "CANCELLED" | "CLOSED";
  closedAt: Date | null;
  plannedMinutes: number;
  trainees: TraineeOutcome[];
  /** Why it cannot be closed now, or null. */
  closeRefusal: string | null;
  objectivesRefusal: string | null;
};

/** What closing would issue, per confirmed trainee: minutes attended, objectives, whether they get certificates. */
export async function getSessionOutcome(input: { actor: Actor; sessionId: string; now?: Date }): Promise<SessionOutcome | null> {
  const now = input.now ?? new Date();
  const session = await db.session.findUnique({
    where: { id: input.sessionId },
    select: {
      id: true,
      status: true,
      closedAt: true,
      trainerId: true,
      module: { select: { title: true } },
      slots: { orderBy: { startsAt: "asc" }, select: { id: true, startsAt: true, endsAt: true, lockedAt: true } },
      enrolments: { where: { status: "CONFIRMED" }, select: { id: true, objectivesReached: true, user: { select: { name: true } } }, orderBy: { user: { name: "asc" } } },
    },
  });
  if (!session || !allowed(input.actor, session.trainerId)) return null;
  const minutes = await attendedMinutesByEnrolment(db, session.id);
  return {
    sessionId: session.id,
    moduleTitle: session.module.title,
    status: session.status,
    closedAt: session.closedAt,
    plannedMinutes: plannedMinutes(session.slots),
    trainees: session.enrolments.map((e) => {
      const attended = minutes.get(e.id) ?? 0;
      return { enrolmentId: e.id, name: e.user.name, attendedMinutes: attended, objectives: choiceFromObjectives(e.objectivesReached), getsCertificates: attended > 0 };
    }),
    closeRefusal: closeRefusal(session, now),
    objectivesRefusal: objectivesRefusal(session.status),
  };
}

// ───────────────────────── Objectives ─────────────────────────

export type ObjectivesResult = { ok: true; changed: number } | Refused;

/** Records the objectives result of each listed confirmed trainee; audited per change. */
export async function recordObjectives(input: { actor: Actor; sessionId: string; choices: Record<string, ObjectivesChoice>; now?: Date }): Promise<ObjectivesResult> {
  const now = input.now ?? new Date();
  return withTxRetry(async (tx): Promise<ObjectivesResult> => {
    const session = await tx.session.findUnique({ where: { id: input.sessionId }, select: { status: true, trainerId: true } });
    if (!session) return NOT_FOUND;
    if (!allowed(input.actor, session.trainerId)) return FORBIDDEN;
    const refusal = objectivesRefusal(session.status);
    if (refusal) return { ok: false, status: 400, error: refusal };
    const enrolments = await tx.enrolment.findMany({
      where: { sessionId: input.sessionId, status: "CONFIRMED", id: { in: Object.keys(input.choices) } },
      select: { id: true, objectivesReached: true },
    });
    let changed = 0;
    for (const e of enrolments) {
      const value = objectivesFromChoice(input.choices[e.id]!);
      if (value === e.objectivesReached) continue;
      await tx.enrolment.update({ where: { id: e.id }, data: { objectivesReached: value } });
      await tx.auditLog.create({
        data: { actorId: input.actor!.id, action: "enrolment.objectives_recorded", entityType: "Enrolment", entityId: e.id, data: { objectivesReached: value }, createdAt: now },
      });
      changed++;
    }
    return { ok: true, changed };
  });
}

// ───────────────────────── Closing ─────────────────────────

export type CloseResult = { ok: true; certified: number; withoutCertificate: number } | Refused;

type Issue = { enrolmentId: string; kind: "COMPLETION" | "END_OF_TRAINING"; attendedMinutes: number; objectivesReached: boolean | null };

/**
 * Issues these certificates inside `tx`, draws them all in one PDF document (fonts embedded
 * once: the bench's per-certificate cost), and queues one mail per enrolment with its PDFs.
 */
async function issueAndMail(tx: Tx, issues: Issue[], context: { now: Date; actorId: string | null; reissued: boolean }) {
  const ids: string[] = [];
  for (const item of issues) ids.push((await issueCertificate(tx, { ...item, issuedAt: context.now, actorId: context.actorId })).id);
  const documents = await renderStoredCertificates(tx, ids, context.now);
  const byEnrolment = new Map<string, typeof documents>();
  for (const d of documents) byEnrolment.set(d.enrolmentId, [...(byEnrolment.get(d.enrolmentId) ?? []), d]);
  for (const [enrolmentId, mine] of byEnrolment) await queueCertificatesMail(tx, { enrolmentId, documents: mine, ...context });
  return ids;
}

export async function closeSession(input: { actor: Actor; sessionId: string; now?: Date }): Promise<CloseResult> {
  const now = input.now ?? new Date();
  const actorId = input.actor?.id ?? null;
  return withTxRetry(async (tx): Promise<CloseResult> => {
    const session = await tx.session.findUnique({
      where: { id: input.sessionId },
      select: { status: true, trainerId: true, slots: { select: { endsAt: true, lockedAt: true } } },
    });
    if (!session) return NOT_FOUND;
    if (!allowed(input.actor, session.trainerId)) return FORBIDDEN;
    const refusal = closeRefusal(session, now);
    if (refusal) return { ok: false, status: 400, error: refusal };
    // Of two closings at once, one only matches.
    const { count } = await tx.session.updateMany({ where: { id: input.sessionId, status: "SCHEDULED" }, data: { status: "CLOSED", closedAt: now } });
    if (count !== 1) return { ok: false, status: 400, error: closeRefusal({ ...session, status: "CLOSED" }, now)! };

    const minutes = await attendedMinutesByEnrolment(tx, input.sessionId);
    const enrolments = await tx.enrolment.findMany({ where: { sessionId: input.sessionId, status: "CONFIRMED" }, select: { id: true, status: true, objectivesReached: true } });
    const issues = enrolments.flatMap((e) =>
      certificatesDue({ sessionStatus: "CLOSED", enrolmentStatus: e.status, attendedMinutes: minutes.get(e.id) ?? 0, objectivesReached: e.objectivesReached }).map((due) => ({
        enrolmentId: e.id,
        ...due,
      })),
    );
    if (issues.length > 0) await issueAndMail(tx, issues, { now, actorId, reissued: false });
    const certified = new Set(issues.map((i) => i.enrolmentId)).size;
    await tx.auditLog.create({
      data: { actorId, action: "session.closed", entityType: "Session", entityId: input.sessionId, data: { certified, withoutCertificate: enrolments.length - certified }, createdAt: now },
    });
    return { ok: true, certified, withoutCertificate: enrolments.length - certified };
  });
}

// ───────────────────────── Issuing again ─────────────────────────

export type ReissueResult = { ok: true; id: string; number: string } | Refused;

/**
 * Staff issue a certificate again: a new number and code, the hours and objectives as they
 * stand now (after a correction of the attendance sheet or of the assessment), the old
 * certificate marked superseded, and the new PDF mailed to the holder. A revoked
 * certificate is not issued again: its revocation stands.
 */
export async function reissueCertificate(input: { actor: Actor; id: string; now?: Date }): Promise<ReissueResult> {
  const now = input.now ?? new Date();
  if (!input.actor || !can(input.actor, "admin.access")) return { ok: false, status: 403, error: "Seule l'équipe Maillon peut délivrer à nouveau un certificat." };
  const actorId = input.actor.id;
  return withTxRetry(async (tx): Promise<ReissueResult> => {
    const old = await tx.certificate.findUnique({
      where: { id: input.id },
      select: { kind: true, enrolmentId: true, sessionId: true, revokedAt: true, supersededAt: true, enrolment: { select: { objectivesReached: true } } },
    });
    if (!old) return { ok: false, status: 404, error: "Ce certificat n'existe pas." };
    if (old.revokedAt) return { ok: false, status: 400, error: "Ce certificat est révoqué : il ne peut pas être délivré à nouveau." };
    if (old.supersededAt) return { ok: false, status: 400, error: "Ce certificat a déjà été remplacé : délivrez à nouveau le plus récent." };
    const attended = (await attendedMinutesByEnrolment(tx, old.sessionId)).get(old.enrolmentId) ?? 0;
    if (attended <= 0) return { ok: false, status: 400, error: "Selon les feuilles d'émargement, cette personne n'a assisté à aucune demi-journée : révoquez plutôt ce certificat." };
    const [id] = await issueAndMail(tx, [{ enrolmentId: old.enrolmentId, kind: old.kind, attendedMinutes: attended, objectivesReached: old.enrolment.objectivesReached }], {
      now,
      actorId,
      reissued: true,
    });
    const created = await tx.certificate.findUniqueOrThrow({ where: { id: id! }, select: { id: true, number: true } });
    await tx.auditLog.create({
      data: { actorId, action: "certificate.reissued", entityType: "Certificate", entityId: input.id, data: { replacedBy: created.number }, createdAt: now },
    });
    return { ok: true, id: created.id, number: created.number };
  });
}
