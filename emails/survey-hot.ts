import { action, composeMail, note, paragraph, type MailContent } from "./layout";

/** Sent when a session is closed, to each trainee who attended: the end-of-session survey (à chaud). */
export type SurveyHotData = { name: string; moduleTitle: string; dates: string; url: string; /** The one reminder, a few days later. */ reminder?: boolean };

export function renderSurveyHot(d: SurveyHotData): MailContent {
  return composeMail({
    subject: `${d.reminder ? "Rappel : " : ""}Votre avis sur la formation « ${d.moduleTitle} »`,
    blocks: [
      paragraph(`Bonjour ${d.name},`),
      ...(d.reminder ? [paragraph("Vous n'avez pas encore répondu à ce questionnaire : ce rappel est le seul que vous recevrez.")] : []),
      paragraph(`Merci d'avoir suivi la formation « ${d.moduleTitle} » (${d.dates}).`),
      paragraph("Pouvez-vous nous dire en deux minutes ce que vous en avez pensé ? Vos réponses nous aident à améliorer nos formations ; les taux de satisfaction sont publiés sur la page de chaque formation, sans aucun nom."),
      action("Donner mon avis", d.url),
      note("Ce lien est personnel : il permet une seule réponse, sans avoir à vous connecter."),
    ],
  });
}
