import { action, composeMail, note, paragraph, type MailContent } from "./layout";

export type SessionCancelledData = {
  name: string;
  moduleTitle: string;
  /** "Le 2 mars 2026" or "Du 2 mars 2026 au 3 mars 2026", Paris time. */
  dates: string;
  /** Where it was to take place ("Lyon", "À distance"). */
  place: string;
  reason: string;
  /** Where to find another session. */
  catalogueUrl: string;
};

export function renderSessionCancelled({ name, moduleTitle, dates, place, reason, catalogueUrl }: SessionCancelledData): MailContent {
  return composeMail({
    subject: `Session annulée : ${moduleTitle}`,
    blocks: [
      paragraph(`Bonjour ${name},`),
      paragraph(`La session « ${moduleTitle} » prévue ${dates.charAt(0).toLowerCase()}${dates.slice(1)} (${place}) est annulée. Votre inscription est annulée elle aussi.`),
      paragraph(`Raison : ${reason}`),
      paragraph("Nous sommes désolés pour ce contretemps. Vous pouvez vous inscrire à une autre session de ce module."),
      action("Voir les prochaines sessions", catalogueUrl),
      note("Si vous aviez payé votre place, elle vous sera remboursée. Pour toute question, écrivez-nous depuis la page Contact."),
    ],
  });
}
