import { action, composeMail, note, paragraph, type MailContent } from "./layout";

/**
 * To the current referents of a structure when the association's staff made someone who was
 * not one of its members its referent (through a Relais Numérique application): they can
 * object if it is not right.
 */
export type StructureReferentAddedData = {
  structureName: string;
  /** "Name (e-mail)" or the e-mail alone, for each new referent. */
  newcomers: string[];
  reason: string;
  staffName: string;
  contactEmail: string;
  url: string;
};

export function renderStructureReferentAdded(d: StructureReferentAddedData): MailContent {
  const who = d.newcomers.length === 1 ? `${d.newcomers[0]} devient référent·e` : `${d.newcomers.join(", ")} deviennent référent·es`;
  return composeMail({
    subject: `Nouveau ou nouvelle référent·e pour ${d.structureName}`,
    blocks: [
      paragraph("Bonjour,"),
      paragraph(
        `L'équipe de l'association a accepté une candidature Relais Numérique pour ${d.structureName}, déposée par une personne qui ne faisait pas partie de la structure sur Maillon : ${who} de la structure. Elle ou il verra les membres et leurs adresses, pourra en retirer et signera la convention.`,
      ),
      paragraph(`Décision prise par ${d.staffName}. Vérification indiquée : ${d.reason}`),
      paragraph(`Si cette personne ne représente pas votre structure, écrivez sans attendre à l'association : ${d.contactEmail}.`),
      action("Voir les membres de la structure", d.url),
      note("Vous recevez ce message parce que vous êtes référent·e de cette structure sur Maillon."),
    ],
  });
}
