import { action, composeMail, note, paragraph, type MailContent } from "./layout";

/** Sent once, a month before a certificate expires. */
export type RecertificationReminderData = {
  name: string;
  moduleTitle: string;
  number: string;
  /** Last day of validity, "31 mars 2028". */
  validUntil: string;
  /** The module's page, to enrol in a new session. */
  moduleUrl: string;
};

export function renderRecertificationReminder(d: RecertificationReminderData): MailContent {
  return composeMail({
    subject: `Votre certificat « ${d.moduleTitle} » expire bientôt`,
    blocks: [
      paragraph(`Bonjour ${d.name},`),
      paragraph(`Votre certificat n° ${d.number} pour la formation « ${d.moduleTitle} » est valable jusqu'au ${d.validUntil}.`),
      paragraph("Pour le renouveler, inscrivez-vous à une prochaine session de cette formation."),
      action("Voir les prochaines sessions", d.moduleUrl),
      note("Vous recevez ce message une seule fois, un mois avant l'expiration."),
    ],
  });
}
