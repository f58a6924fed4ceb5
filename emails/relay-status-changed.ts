import { action, composeMail, note, paragraph, type MailContent } from "./layout";

/** A relay became active, went back to pending certification, was suspended or reinstated. */
export type RelayStatusChangedData = {
  structureName: string;
  status: "PENDING_CERTIFICATION" | "ACTIVE" | "SUSPENDED";
  reason: string | null;
  url: string;
};

const CONTENT: Record<RelayStatusChangedData["status"], { subject: string; lead: string }> = {
  ACTIVE: {
    subject: "Votre Relais Numérique est actif",
    lead: "Votre relais est désormais actif : il apparaît dans l'annuaire public des Relais Numériques et ses membres certifiés peuvent délivrer des recharges.",
  },
  PENDING_CERTIFICATION: {
    subject: "Votre Relais Numérique attend une certification",
    lead: "Votre relais n'a plus assez de membres titulaires d'un certificat valide : il n'est plus actif. Inscrivez des collègues à une prochaine session depuis l'espace relais.",
  },
  SUSPENDED: {
    subject: "Votre Relais Numérique est suspendu",
    lead: "L'association a suspendu votre relais : il n'apparaît plus dans l'annuaire et ne délivre plus de recharges.",
  },
};

export function renderRelayStatusChanged(d: RelayStatusChangedData): MailContent {
  const content = CONTENT[d.status];
  return composeMail({
    subject: `${content.subject} — ${d.structureName}`,
    blocks: [
      paragraph("Bonjour,"),
      paragraph(`Structure : ${d.structureName}.`),
      paragraph(content.lead),
      ...(d.reason ? [paragraph(`Motif : ${d.reason}`)] : []),
      action("Ouvrir l'espace relais", d.url),
      note("Vous recevez ce message parce que vous êtes référent·e de ce relais sur Maillon."),
    ],
  });
}
