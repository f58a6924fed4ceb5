import { describe, expect, it } from "vitest";
import { describeAuditEntry, type AuditEntryInput } from "./audit.rules";

describe("describeAuditEntry", () => {
  it.each<[AuditEntryInput, string, string[]]>([
    [{ action: "enrolment.confirmed", reason: null, data: { funding: "OPCO" } }, "Inscription confirmée", ["Financement : Prise en charge par un OPCO"]],
    [{ action: "enrolment.waitlisted", reason: null, data: { waitlistRank: 4 } }, "Inscription sur la liste d'attente", ["Rang d'arrivée : 4"]],
    [
      { action: "enrolment.offered", reason: null, data: { offerExpiresAt: "2026-03-04T13:05:00.000Z" } },
      "Place proposée (liste d'attente)",
      ["À confirmer avant le mercredi 4 mars 2026 à 14:05"],
    ],
    [{ action: "enrolment.cancelled", reason: "Doublon", data: { byStaff: true } }, "Inscription annulée", ["Par l'équipe", "Motif : Doublon"]],
    [{ action: "enrolment.cancelled", reason: null, data: { byStaff: false } }, "Inscription annulée", ["Par la personne"]],
    [{ action: "enrolment.cancelled", reason: "Formateur malade", data: { cause: "session_cancelled" } }, "Inscription annulée", ["Annulation de la session", "Motif : Formateur malade"]],
    [
      { action: "enrolment.waitlist_reordered", reason: "Priorité employeur", data: { from: 3, to: 1, moved: true } },
      "Rang sur la liste d'attente modifié",
      ["Position 3 → 1", "Motif : Priorité employeur"],
    ],
    [
      { action: "enrolment.waitlist_reordered", reason: "Priorité employeur", data: { from: 1, to: 2, moved: false } },
      "Rang sur la liste d'attente modifié",
      ["Position 1 → 2", "Décalage dû au déplacement d'une autre personne", "Motif : Priorité employeur"],
    ],
    [{ action: "enrolment.reminder_sent", reason: null, data: { daysBefore: 1 } }, "Rappel envoyé", ["La veille de la session"]],
    [{ action: "enrolment.payment_received", reason: null, data: null }, "Paiement reçu", []],
    [{ action: "enrolment.objectives_recorded", reason: null, data: { objectivesReached: false } }, "Évaluation des acquis enregistrée", ["Objectifs non atteints"]],
    [{ action: "enrolment.objectives_recorded", reason: null, data: { objectivesReached: null } }, "Évaluation des acquis enregistrée", ["Non évalué"]],
    [
      { action: "enrolment.certificates_sent", reason: null, data: { numbers: ["MAI-2026-000001", "MAI-2026-000002"] } },
      "Certificats envoyés par e-mail",
      ["N° MAI-2026-000001, MAI-2026-000002"],
    ],
    [{ action: "enrolment.offer_expired", reason: "offre expirée", data: "not an object" }, "Place proposée non confirmée dans le délai", ["Motif : offre expirée"]],
    [
      { action: "contract.accepted", reason: null, data: { name: "Anaïs Nguyễn", ip: "203.0.113.7", withdrawalEndsAt: "2026-03-12T23:00:00.000Z" } },
      "Contrat de formation accepté en ligne",
      ["Par Anaïs Nguyễn, adresse IP 203.0.113.7", "Rétractation possible jusqu'au jeudi 12 mars 2026 à 23:59"],
    ],
    [
      { action: "contract.charge_failed", reason: null, data: { kind: "DEPOSIT", graceEndsAt: "2026-03-16T00:05:00.000Z" } },
      "Prélèvement refusé par la carte",
      ["Acompte de 30 %", "Place gardée jusqu'au lundi 16 mars 2026 à 01:05"],
    ],
    [{ action: "contract.withdrawn", reason: "rétractation", data: {} }, "Rétractation (contrat de formation)", ["Motif : rétractation"]],
    [{ action: "enrolment.something_new", reason: null, data: {} }, "enrolment.something_new", []],
  ])("%j", (entry, label, details) => {
    expect(describeAuditEntry(entry)).toEqual({ label, details });
  });
});
