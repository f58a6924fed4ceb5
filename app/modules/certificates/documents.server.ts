/**
 * Certificate documents: the PDF of a stored certificate, drawn again from its stored and
 * signed fields (number, holder, title, dates, hours, result, validity) plus the session's
 * place, planned duration, trainer and the module's objectives; the mail that carries them;
 * the lists staff and learners see; the ZIP of a session's certificates.
 */
import { zipSync } from "fflate";
import { attendedMinutes, plannedMinutes, type AttendanceMark } from "~/modules/attendance/attendance.rules";
import { isAdmin, type Actor } from "~/modules/auth/permissions.rules";
import { sessionDates } from "~/modules/enrolment/enrolment.server";
import { enqueueMail, type MailAttachment } from "~/modules/mail/outbox.server";
import { fileSlug } from "~/modules/pdf/layout";
import { placeLine } from "~/modules/training/sessions.rules";
import { db, type Db, type Tx } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { renderCertificates, type CertificatePdfInput } from "./certificate-pdf.server";
import type { OrganisationIdentity, PrintableLogo } from "~/modules/organisation/identity.rules";
import { identityVersion, printableLogo } from "~/modules/organisation/identity.server";
import {
  CERTIFICATE_KIND_LABELS,
  CERTIFICATE_STATUS_LABELS,
  certificateStatus,
  formatAttendedDuration,
  lastValidDay,
  type CertificateKind,
  type CertificateStatus,
} from "./certificate.rules";
import { formatDate } from "~/utils/dates";
import { verificationUrl } from "./issue.server";

type Client = Tx | Db;

/** "ed25519:3f9a1c0b…8d21c21b": enough of the signature to compare a print with the verification page. */
export const signatureFingerprint = (signature: string) => `ed25519:${signature.slice(0, 8)}…${signature.slice(-8)}`;

const sessionContext = {
  format: true,
  venueName: true,
  address: true,
  postcode: true,
  city: true,
  slots: { orderBy: { startsAt: "asc" }, select: { id: true, startsAt: true, endsAt: true } },
  trainer: { select: { name: true } },
  module: { select: { objectives: true } },
} as const;

const certificateForPdf = {
  id: true,
  kind: true,
  number: true,
  verificationCode: true,
  holderName: true,
  moduleTitle: true,
  attendedMinutes: true,
  startsOn: true,
  endsOn: true,
  objectivesReached: true,
  issuedAt: true,
  expiresAt: true,
  signature: true,
  organisationIdentityId: true,
  userId: true,
  enrolmentId: true,
  sessionId: true,
  session: { select: sessionContext },
} as const;

type CertificateForPdf = Awaited<ReturnType<typeof loadCertificatesForPdf>>[number];

const loadCertificatesForPdf = (client: Client, ids: string[]) =>
  client.certificate.findMany({ where: { id: { in: ids } }, select: certificateForPdf, orderBy: [{ holderName: "asc" }, { number: "asc" }] });

function pdfInput(c: CertificateForPdf, organisation: OrganisationIdentity, logo: PrintableLogo | null): CertificatePdfInput {
  return {
    kind: c.kind,
    number: c.number,
    verificationUrl: verificationUrl(c.verificationCode),
    learnerName: c.holderName,
    moduleTitle: c.moduleTitle,
    startsOn: c.startsOn,
    endsOn: c.endsOn,
    place: placeLine(c.session),
    plannedMinutes: plannedMinutes(c.session.slots),
    attendedMinutes: c.attendedMinutes,
    objectives: c.session.module.objectives.split("\n").map((l) => l.trim()).filter(Boolean),
    objectivesReached: c.objectivesReached,
    trainerName: c.session.trainer?.name ?? "Équipe Maillon",
    issuedAt: c.issuedAt,
    expiresAt: c.expiresAt,
    fingerprint: signatureFingerprint(c.signature),
    organisation,
    logo,
  };
}

/** "certificat-de-realisation-MAI-2026-000042.pdf" */
export const certificateFileName = (c: { kind: CertificateKind; number: string }) => `${fileSlug(CERTIFICATE_KIND_LABELS[c.kind])}-${c.number}.pdf`;

export type RenderedCertificate = { id: string; kind: CertificateKind; number: string; enrolmentId: string; fileName: string; pdf: Uint8Array };

/** The PDFs of these certificates, drawn in one document (fonts embedded once), in holder then number order. */
export async function renderStoredCertificates(client: Client, ids: string[], now = new Date()): Promise<RenderedCertificate[]> {
  if (ids.length === 0) return [];
  const rows = await loadCertificatesForPdf(client, ids);
  const identities = new Map<string | null, { identity: OrganisationIdentity; logo: PrintableLogo | null }>();
  for (const id of new Set(rows.map((c) => c.organisationIdentityId))) {
    const identity = await identityVersion(id, client);
    identities.set(id, { identity, logo: await printableLogo(identity, client) });
  }
  const { documents } = await renderCertificates(
    rows.map((c) => {
      const { identity, logo } = identities.get(c.organisationIdentityId)!;
      return pdfInput(c, identity, logo);
    }),
    now,
  );
  return rows.map((c, i) => ({ id: c.id, kind: c.kind, number: c.number, enrolmentId: c.enrolmentId, fileName: certificateFileName(c), pdf: documents[i]! }));
}

/**
 * Queues, in `tx`, one mail to the holder with these (already rendered) certificates of one
 * enrolment attached, and notes it in the enrolment's journal.
 */
export async function queueCertificatesMail(
  tx: Tx,
  input: { enrolmentId: string; documents: RenderedCertificate[]; reissued: boolean; now: Date; actorId: string | null },
): Promise<void> {
  const enrolment = await tx.enrolment.findUniqueOrThrow({
    where: { id: input.enrolmentId },
    select: { user: { select: { email: true, name: true } }, session: { select: { module: { select: { title: true } }, slots: { orderBy: { startsAt: "asc" }, select: { startsAt: true, endsAt: true } } } } },
  });
  const attachments: MailAttachment[] = input.documents.map((d) => ({ filename: d.fileName, contentType: "application/pdf", content: Buffer.from(d.pdf) }));
  await enqueueMail(
    tx,
    {
      template: "certificates-issued",
      to: enrolment.user.email,
      data: {
        name: enrolment.user.name,
        moduleTitle: enrolment.session.module.title,
        dates: sessionDates(enrolment.session.slots),
        documents: input.documents.map((d) => `${CERTIFICATE_KIND_LABELS[d.kind]} n° ${d.number}`),
        reissued: input.reissued,
        url: `${getEnv().APP_URL}/mon-espace#certificats`,
      },
    },
    { attachments },
  );
  await tx.auditLog.create({
    data: {
      actorId: input.actorId,
      action: "enrolment.certificates_sent",
      entityType: "Enrolment",
      entityId: input.enrolmentId,
      data: { numbers: input.documents.map((d) => d.number) },
      createdAt: input.now,
    },
  });
}

/** Minutes each enrolment of the session attended, from its attendance marks (Signature rows). */
export async function attendedMinutesByEnrolment(client: Client, sessionId: string): Promise<Map<string, number>> {
  const session = await client.session.findUniqueOrThrow({
    where: { id: sessionId },
    select: { slots: { select: { id: true, startsAt: true, endsAt: true, signatures: { select: { enrolmentId: true, status: true, minutesLate: true } } } } },
  });
  const marks = new Map<string, AttendanceMark[]>();
  for (const slot of session.slots) {
    for (const s of slot.signatures) marks.set(s.enrolmentId, [...(marks.get(s.enrolmentId) ?? []), { slotId: slot.id, status: s.status, minutesLate: s.minutesLate }]);
  }
  return new Map([...marks].map(([enrolmentId, m]) => [enrolmentId, attendedMinutes(session.slots, m)]));
}

// ───────────────────────── Reading ─────────────────────────

export type CertificateListItem = {
  id: string;
  kind: CertificateKind;
  number: string;
  verificationCode: string;
  holderName: string;
  moduleTitle: string;
  attendedMinutes: number;
  issuedAt: Date;
  expiresAt: Date | null;
  revokedReason: string | null;
  status: CertificateStatus;
  /** Shown as is by pages (the rules module stays out of browser bundles). */
  kindLabel: string;
  statusLabel: string;
  duration: string;
  validity: string;
};

const listSelect = {
  id: true,
  kind: true,
  number: true,
  verificationCode: true,
  holderName: true,
  moduleTitle: true,
  attendedMinutes: true,
  issuedAt: true,
  expiresAt: true,
  revokedAt: true,
  revokedReason: true,
  supersededAt: true,
} as const;

type ListRow = { revokedAt: Date | null; supersededAt: Date | null } & Omit<CertificateListItem, "status" | "kindLabel" | "statusLabel" | "duration" | "validity">;

const withStatus = (now: Date) => (c: ListRow): CertificateListItem => {
  const { revokedAt, supersededAt, ...rest } = c;
  const status = certificateStatus({ issuedAt: c.issuedAt, expiresAt: c.expiresAt, revokedAt, supersededAt }, now);
  return {
    ...rest,
    status,
    kindLabel: CERTIFICATE_KIND_LABELS[c.kind],
    statusLabel: CERTIFICATE_STATUS_LABELS[status],
    duration: formatAttendedDuration(c.attendedMinutes),
    validity: c.expiresAt ? `jusqu'au ${formatDate(new Date(`${lastValidDay(c.expiresAt)}T12:00:00Z`))}` : "Sans limite",
  };
};

/** Every certificate of a session, for staff (the caller checks `admin.access`). */
export async function listSessionCertificates(sessionId: string, now = new Date()): Promise<CertificateListItem[]> {
  const rows = await db.certificate.findMany({ where: { sessionId }, select: listSelect, orderBy: [{ holderName: "asc" }, { number: "asc" }] });
  return rows.map(withStatus(now));
}

/** A learner's own certificates, newest first; superseded ones are left out (the newer one replaces them). */
export async function listMyCertificates(userId: string, now = new Date()): Promise<CertificateListItem[]> {
  const rows = await db.certificate.findMany({ where: { userId, supersededAt: null }, select: listSelect, orderBy: [{ issuedAt: "desc" }, { number: "desc" }] });
  return rows.map(withStatus(now));
}

/** One certificate as staff manage it (re-issue, revoke). */
export async function getCertificateForStaff(id: string, now = new Date()) {
  const row = await db.certificate.findUnique({ where: { id }, select: { ...listSelect, sessionId: true, enrolmentId: true } });
  return row ? { ...withStatus(now)(row), sessionId: row.sessionId, enrolmentId: row.enrolmentId } : null;
}

export type CertificatePdfResult = { ok: true; pdf: Uint8Array; fileName: string } | { ok: false; status: 403 | 404; message: string };

/** A certificate's PDF for its holder or staff; anyone else is told it does not exist. */
export async function getCertificatePdf(input: { actor: Actor; id: string; now?: Date }): Promise<CertificatePdfResult> {
  const { actor, id } = input;
  const row = await db.certificate.findUnique({ where: { id }, select: { userId: true } });
  if (!row || !actor || (row.userId !== actor.id && !isAdmin(actor))) return { ok: false, status: 404, message: "Ce certificat n'existe pas." };
  const [rendered] = await renderStoredCertificates(db, [id], input.now);
  return { ok: true, pdf: rendered!.pdf, fileName: rendered!.fileName };
}

/** The session's valid certificates (not revoked, not superseded, not expired) as one ZIP of PDFs; null when there is none. */
export async function sessionCertificatesZip(sessionId: string, now = new Date()): Promise<{ zip: Uint8Array; fileName: string } | null> {
  const rows = await db.certificate.findMany({
    where: { sessionId, revokedAt: null, supersededAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    select: { id: true, moduleTitle: true },
  });
  if (rows.length === 0) return null;
  const rendered = await renderStoredCertificates(db, rows.map((r) => r.id), now);
  const entries = Object.fromEntries(rendered.map((r) => [r.fileName, [r.pdf, { level: 0 }] as [Uint8Array, { level: 0 }]]));
  return { zip: zipSync(entries, { mtime: now }), fileName: `certificats-${fileSlug(rows[0]!.moduleTitle, 40)}-${sessionId}.zip` };
}
