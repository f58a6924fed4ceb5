/**
 * How an enrolment's journal (AuditLog rows) reads for staff, in French. Pure, tested as a
 * table (audit.rules.test.ts); an action it does not know is shown by its code.
 */
import { formatDateTime, FUNDING_LABELS, type Funding } from "./enrolment.rules";

export type AuditEntryInput = { action: string; reason: string | null; data: unknown };
export type AuditEntryView = { label: string; details: string[] };

const LABELS: Record<string, string> = {
  "enrolment.confirmed": "Inscription confirmée",
  "enrolment.waitlisted": "Inscription sur la liste d'attente",
  "enrolment.offered": "Place proposée (liste d'attente)",
  "enrolment.offer_confirmed": "Place acceptée par la personne",
  "enrolment.offer_expired": "Place proposée non confirmée dans le délai",
  "enrolment.left_waitlist": "Retrait de la liste d'attente",
  "enrolment.cancelled": "Inscription annulée",
  "enrolment.payment_received": "Paiement reçu",
  "invoice.issued": "Facture émise",
  "invoice.credited": "Avoir émis",
  "invoice.reminder_sent": "Relance de facture envoyée",
  "enrolment.waitlist_reordered": "Rang sur la liste d'attente modifié",
  "enrolment.reminder_sent": "Rappel envoyé",
  "enrolment.objectives_recorded": "Évaluation des acquis enregistrée",
  "enrolment.certificates_sent": "Certificats envoyés par e-mail",
  "enrolment.payment_pending": "Place retenue pour un paiement par carte",
  "enrolment.hold_expired": "Place libérée : paiement par carte non finalisé dans le délai",
  "enrolment.confirmed_after_hold": "Inscription confirmée par un paiement arrivé après le délai",
  "payment.checkout_started": "Paiement par carte commencé (Stripe)",
  "payment.checkout_failed": "Échec de l'ouverture du paiement par carte (Stripe injoignable)",
  "payment.refund_due": "Paiement reçu sans place : remboursement dû",
  "payment.stray_payment": "Paiement en double : remboursement dû",
  "payment.refunded": "Paiement par carte remboursé",
  "payment.refund_failed": "Échec de la demande de remboursement à Stripe",
  "payment.succeeded": "Paiement par carte reçu",
  "contract.issued": "Contrat de formation établi",
  "contract.accepted": "Contrat de formation accepté en ligne",
  "contract.card_setup_started": "Enregistrement de la carte commencé (Stripe)",
  "contract.card_setup_failed": "Échec de l'ouverture de l'enregistrement de la carte (Stripe injoignable)",
  "contract.card_replaced": "Nouvelle carte enregistrée : prélèvement relancé",
  "contract.card_saved_late": "Carte enregistrée après la libération de la place",
  "contract.withdrawn": "Rétractation (contrat de formation)",
  "contract.charged": "Prélèvement effectué (contrat de formation)",
  "contract.charge_failed": "Prélèvement refusé par la carte",
  "contract.seat_released_unpaid": "Place libérée : prélèvement non régularisé",
  "contract.unpaid": "Prélèvement non régularisé : somme à recouvrer",
};

const record = (data: unknown): Record<string, unknown> => (data && typeof data === "object" && !Array.isArray(data) ? (data as Record<string, unknown>) : {});
const isFunding = (v: unknown): v is Funding => typeof v === "string" && v in FUNDING_LABELS;

export function describeAuditEntry(entry: AuditEntryInput): AuditEntryView {
  const data = record(entry.data);
  const details: string[] = [];
  switch (entry.action) {
    case "enrolment.confirmed":
      if (isFunding(data.funding)) details.push(`Financement : ${FUNDING_LABELS[data.funding]}`);
      break;
    case "enrolment.waitlisted":
      if (typeof data.waitlistRank === "number") details.push(`Rang d'arrivée : ${data.waitlistRank}`);
      break;
    case "enrolment.offered":
      if (typeof data.offerExpiresAt === "string") details.push(`À confirmer avant le ${formatDateTime(new Date(data.offerExpiresAt))}`);
      break;
    case "enrolment.cancelled":
      if (data.cause === "session_cancelled") details.push("Annulation de la session");
      else if (data.byStaff === true) details.push("Par l'équipe");
      else if (data.byStaff === false) details.push("Par la personne");
      break;
    case "enrolment.waitlist_reordered":
      if (typeof data.from === "number" && typeof data.to === "number") details.push(`Position ${data.from} → ${data.to}`);
      if (data.moved === false) details.push("Décalage dû au déplacement d'une autre personne");
      break;
    case "enrolment.objectives_recorded":
      details.push(data.objectivesReached === true ? "Objectifs atteints" : data.objectivesReached === false ? "Objectifs non atteints" : "Non évalué");
      break;
    case "enrolment.certificates_sent":
      if (Array.isArray(data.numbers)) details.push(`N° ${data.numbers.filter((n): n is string => typeof n === "string").join(", ")}`);
      break;
    case "contract.accepted":
      if (typeof data.name === "string") details.push(`Par ${data.name}${typeof data.ip === "string" ? `, adresse IP ${data.ip}` : ""}`);
      if (typeof data.withdrawalEndsAt === "string") details.push(`Rétractation possible jusqu'au ${formatDateTime(new Date(new Date(data.withdrawalEndsAt).getTime() - 1))}`);
      break;
    case "contract.charged":
    case "contract.charge_failed":
      if (data.kind === "DEPOSIT" || data.kind === "BALANCE") details.push(data.kind === "DEPOSIT" ? "Acompte de 30 %" : "Solde");
      if (typeof data.graceEndsAt === "string") details.push(`Place gardée jusqu'au ${formatDateTime(new Date(data.graceEndsAt))}`);
      break;
    case "enrolment.reminder_sent":
      if (data.daysBefore === 7 || data.daysBefore === 1) details.push(data.daysBefore === 7 ? "7 jours avant la session" : "La veille de la session");
      break;
  }
  if (entry.reason) details.push(`Motif : ${entry.reason}`);
  return { label: LABELS[entry.action] ?? entry.action, details };
}
