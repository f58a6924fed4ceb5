import type { EnrolmentStatus } from "~/generated/sqlite/enums";
import type { Actor } from "~/modules/auth/permissions.rules";
import { A4_LANDSCAPE, COLORS, PdfFlow } from "~/modules/pdf/document.server";
import { fileSlug } from "~/modules/pdf/layout";
import { formatDate, formatDateRange, formatSlot } from "~/utils/dates";
import type { OrganisationIdentity } from "~/modules/organisation/identity.rules";
import { currentIdentity } from "~/modules/organisation/identity.server";
import { getSessionRoster, type SessionRoster } from "./roster.server";
import { ENROLMENT_STATUS_LABELS, FUNDING_LABELS, PAYMENT_STATUS_LABELS, SESSION_STATUS_LABELS } from "./sessions.schema";
import { parisDateInput, placeLine } from "./sessions.rules";

/** The trainer's printable roster: the session, then one row per person holding a seat. */

const SEATED: readonly EnrolmentStatus[] = ["CONFIRMED", "PENDING_PAYMENT"];

export function rosterSheet(roster: SessionRoster) {
  const trainees = roster.entries.filter((e) => SEATED.includes(e.status));
  return {
    trainees,
    waitlisted: roster.entries.filter((e) => e.status === "WAITLISTED").length,
    offered: roster.entries.filter((e) => e.status === "OFFERED").length,
  };
}

/** "liste-participants-sensibilisation-inclusion-numerique-2026-03-02.pdf" */
export function rosterFileName(roster: Pick<SessionRoster, "moduleTitle" | "slots">): string {
  const first = roster.slots[0];
  return `liste-participants-${fileSlug(roster.moduleTitle, 50)}${first ? `-${parisDateInput(first.startsAt)}` : ""}.pdf`;
}

const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;

export async function renderRosterPdf(roster: SessionRoster, now: Date, organisation: OrganisationIdentity): Promise<Uint8Array> {
  const { trainees, waitlisted, offered } = rosterSheet(roster);
  const pdf = await PdfFlow.create(
    { title: `Liste des participants — ${roster.moduleTitle}`, subject: "Liste des participants", author: organisation.name, now },
    { pageSize: A4_LANDSCAPE, margin: 36 },
  );
  pdf.footerText = `${organisation.name} — liste éditée le ${formatDate(now)} — document confidentiel (données personnelles)`;

  pdf.text("Liste des participants", { size: 16, bold: true, color: COLORS.accent });
  pdf.text(roster.moduleTitle, { size: 13, bold: true });
  pdf.space(4);
  const first = roster.slots[0];
  const last = roster.slots.at(-1);
  pdf.text(`Dates : ${first && last ? formatDateRange(first.startsAt, last.endsAt) : "à venir"}`, { size: 10 });
  for (const slot of roster.slots) pdf.text(`• ${formatSlot(slot)}`, { x: pdf.left + 12, size: 9 });
  pdf.text(`Lieu : ${placeLine(roster)}`, { size: 10 });
  pdf.text(`Formateur·rice : ${roster.trainerName ?? "à désigner"}`, { size: 10 });
  pdf.text(
    [
      `Capacité : ${plural(roster.capacity, "place", "places")}`,
      plural(trainees.length, "participant·e inscrit·e", "participant·es inscrit·es"),
      `liste d'attente : ${plural(waitlisted, "personne", "personnes")}`,
      ...(offered > 0 ? [`${plural(offered, "place proposée", "places proposées")} à la liste d'attente`] : []),
    ].join(" — "),
    { size: 10 },
  );
  if (roster.status !== "SCHEDULED") {
    pdf.text(`Session ${SESSION_STATUS_LABELS[roster.status as keyof typeof SESSION_STATUS_LABELS]?.toLowerCase() ?? roster.status}.`, {
      size: 10,
      bold: true,
    });
  }
  pdf.space(10);

  if (trainees.length === 0) {
    pdf.text("Personne n'a encore de place confirmée.", { size: 10 });
  } else {
    pdf.table(
      [
        { header: "N°", weight: 0.45, align: "right" },
        { header: "Nom", weight: 3 },
        { header: "Structure", weight: 2.4 },
        { header: "Adresse e-mail", weight: 3 },
        { header: "Statut", weight: 1.7 },
        { header: "Financement", weight: 1.2 },
        { header: "Paiement", weight: 1.1 },
      ],
      trainees.map((e, i) => [
        String(i + 1),
        e.name,
        e.structureName ?? "—",
        e.email,
        ENROLMENT_STATUS_LABELS[e.status],
        FUNDING_LABELS[e.funding],
        PAYMENT_STATUS_LABELS[e.paymentStatus],
      ]),
      { size: 9 },
    );
  }
  return pdf.save();
}

/** The printable roster of a session, for its trainer or staff (checked again by getSessionRoster); null otherwise. */
export async function getRosterPdf(input: { actor: Actor; sessionId: string; now?: Date }): Promise<{ pdf: Uint8Array; fileName: string } | null> {
  const roster = await getSessionRoster({ actor: input.actor, sessionId: input.sessionId });
  if (!roster) return null;
  return { pdf: await renderRosterPdf(roster, input.now ?? new Date(), await currentIdentity()), fileName: rosterFileName(roster) };
}
