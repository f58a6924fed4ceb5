import { action, composeMail, note, paragraph, type MailContent } from "./layout";

/** Every change of a relay application's status, told to the person who applied. */
export type RelayApplicationStatusData = {
  name: string;
  structureName: string;
  status: "SUBMITTED" | "CHANGES_REQUESTED" | "APPROVED" | "REJECTED" | "WITHDRAWN";
  /** Staff's message (changes requested) or reason (rejection). */
  message: string | null;
  url: string;
  /** On approval: whether the relay is already active (enough of its staff were certified). */
  relayActive?: boolean;
};

const APPROVED_ACTIVE_LEAD =
  "Bonne nouvelle : votre candidature est acceptée, et votre relais est déjà actif : assez de membres de votre équipe sont certifiés. La convention de partenariat, jointe à ce message, est à accepter en ligne dans l'espace relais.";

const CONTENT: Record<RelayApplicationStatusData["status"], { subject: string; lead: string; action: string }> = {
  SUBMITTED: {
    subject: "Candidature Relais Numérique reçue",
    lead: "Nous avons bien reçu votre candidature. L'équipe de l'association l'examine et vous répond, en général sous deux semaines.",
    action: "Suivre ma candidature",
  },
  CHANGES_REQUESTED: {
    subject: "Candidature Relais Numérique : des modifications sont demandées",
    lead: "L'équipe de l'association a examiné votre candidature et vous demande de la compléter avant de poursuivre.",
    action: "Modifier ma candidature",
  },
  APPROVED: {
    subject: "Candidature Relais Numérique acceptée",
    lead: "Bonne nouvelle : votre candidature est acceptée. La convention de partenariat, jointe à ce message, est à accepter en ligne dans l'espace relais ; le relais deviendra actif dès que votre équipe sera certifiée.",
    action: "Ouvrir l'espace relais",
  },
  REJECTED: {
    subject: "Candidature Relais Numérique refusée",
    lead: "Après examen, l'équipe de l'association n'a pas retenu votre candidature.",
    action: "Voir ma candidature",
  },
  WITHDRAWN: {
    subject: "Candidature Relais Numérique retirée",
    lead: "Votre candidature a bien été retirée. Vous pouvez en déposer une nouvelle quand vous le souhaitez.",
    action: "Voir mes candidatures",
  },
};

export function renderRelayApplicationStatus(d: RelayApplicationStatusData): MailContent {
  const content = CONTENT[d.status];
  return composeMail({
    subject: `${content.subject} — ${d.structureName}`,
    blocks: [
      paragraph(`Bonjour ${d.name},`),
      paragraph(`Structure : ${d.structureName}.`),
      paragraph(d.status === "APPROVED" && d.relayActive ? APPROVED_ACTIVE_LEAD : content.lead),
      ...(d.message ? [paragraph(`${d.status === "REJECTED" ? "Motif" : "Message de l'équipe"} : ${d.message}`)] : []),
      action(content.action, d.url),
      note("Vous recevez ce message parce que vous avez déposé cette candidature sur Maillon."),
    ],
  });
}
