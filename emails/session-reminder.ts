import { action, composeMail, note, paragraph, type MailContent } from "./layout";

/** Sent 7 days and 1 day before a session to each confirmed person; formatted by the sender (Paris time). */
export type SessionReminderData = {
  name: string;
  /** 7 or 1: how many days before the session this reminder is. */
  daysBefore: 7 | 1;
  moduleTitle: string;
  /** "Le 2 mars 2026" or "Du 2 mars 2026 au 3 mars 2026". */
  dates: string;
  /** One line per half-day: "lundi 2 mars 2026, 09:00 – 12:30". */
  slots: string[];
  /** Venue name and address lines; empty for a remote session. */
  place: string[];
  remoteUrl: string | null;
  accessInfo: string | null;
  trainerName: string | null;
  /** The learner space (/mon-espace). */
  url: string;
  /** Where the calendar file can be downloaded again. */
  icsUrl: string;
};

export function renderSessionReminder(d: SessionReminderData): MailContent {
  const when = d.daysBefore === 1 ? "demain" : "dans une semaine";
  const blocks = [
    paragraph(`Bonjour ${d.name},`),
    paragraph(`Petit rappel : votre formation « ${d.moduleTitle} » commence ${when}.`),
    paragraph(`Dates : ${d.dates}.`),
    paragraph(`Horaires (heure de Paris), ${d.slots.length} demi-journée${d.slots.length >= 2 ? "s" : ""} :`),
    ...d.slots.map((s) => paragraph(`• ${s}`)),
  ];
  if (d.remoteUrl) blocks.push(paragraph(`La formation a lieu à distance. Lien de connexion : ${d.remoteUrl}`));
  else if (d.place.length) blocks.push(paragraph(`Lieu : ${d.place.join(", ")}`));
  if (d.accessInfo) blocks.push(paragraph(`Accès : ${d.accessInfo}`));
  if (d.trainerName) blocks.push(paragraph(`Formatrice ou formateur : ${d.trainerName}`));
  blocks.push(
    paragraph(`Le fichier joint (convocation.ics) ajoute chaque demi-journée à votre agenda ; vous pouvez aussi le télécharger ici : ${d.icsUrl}`),
    action("Voir mes inscriptions", d.url),
    note(
      d.daysBefore === 1
        ? "En cas d'empêchement, prévenez l'association au plus vite : votre place peut encore servir à une personne de la liste d'attente."
        : "En cas d'empêchement, prévenez l'association : votre place pourra être proposée à une personne de la liste d'attente.",
    ),
  );
  const subject = d.daysBefore === 1 ? `Rappel : votre formation commence demain — ${d.moduleTitle}` : `Rappel : votre formation dans 7 jours — ${d.moduleTitle}`;
  return composeMail({ subject, blocks });
}
