import { action, composeMail, note, paragraph, type MailContent } from "./layout";

/** Sent three months after a session, to each trainee who attended: the follow-up survey (à froid). */
export type SurveyColdData = { name: string; moduleTitle: string; dates: string; url: string; /** The one reminder, a few days later. */ reminder?: boolean };

export function renderSurveyCold(d: SurveyColdData): MailContent {
  return composeMail({
    subject: `${d.reminder ? "Rappel : " : ""}Trois mois après : que retenez-vous de « ${d.moduleTitle} » ?`,
    blocks: [
      paragraph(`Bonjour ${d.name},`),
      ...(d.reminder ? [paragraph("Vous n'avez pas encore répondu à ce questionnaire : ce rappel est le seul que vous recevrez.")] : []),
      paragraph(`Il y a trois mois, vous suiviez la formation « ${d.moduleTitle} » (${d.dates}).`),
      paragraph("Avec le recul, qu'en utilisez-vous dans votre pratique ? Quelques questions suffisent ; vos réponses nous aident à faire évoluer la formation."),
      action("Répondre au questionnaire", d.url),
      note("Ce lien est personnel : il permet une seule réponse, sans avoir à vous connecter."),
    ],
  });
}
