import { action, composeMail, note, paragraph, type MailContent } from "./layout";

/** Everything is formatted by the sender (Paris time) so the mail says exactly what the .ics says. */
export type ConvocationData = {
  name: string;
  moduleTitle: string;
  /** "Le 2 mars 2026" or "Du 2 mars 2026 au 3 mars 2026". */
  dates: string;
  /** One line per half-day: "lundi 2 mars 2026, 09:00 – 12:30". */
  slots: string[];
  /** Venue name and address lines; empty for a remote session. */
  place: string[];
  remoteUrl: string | null;
  accessInfo: string | null;
  programme: string[];
  trainerName: string | null;
  url: string;
  /** The règlement intérieur in force, delivered with the convocation ("version 3 du 7 décembre 2026"). */
  rules?: { label: string; url: string } | null;
};

export function renderConvocation(d: ConvocationData): MailContent {
  const blocks = [
    paragraph(`Bonjour ${d.name},`),
    paragraph(`Votre inscription à la formation « ${d.moduleTitle} » est confirmée. Voici votre convocation.`),
    paragraph(`Dates : ${d.dates}.`),
    paragraph(`Horaires (heure de Paris), ${d.slots.length} demi-journée${d.slots.length >= 2 ? "s" : ""} :`),
    ...d.slots.map((s) => paragraph(`• ${s}`)),
  ];
  if (d.remoteUrl) blocks.push(paragraph(`La formation a lieu à distance. Lien de connexion : ${d.remoteUrl}`));
  else if (d.place.length) blocks.push(paragraph(`Lieu : ${d.place.join(", ")}`));
  if (d.accessInfo) blocks.push(paragraph(`Accès : ${d.accessInfo}`));
  if (d.trainerName) blocks.push(paragraph(`Formatrice ou formateur : ${d.trainerName}`));
  if (d.programme.length) blocks.push(paragraph("Programme :"), ...d.programme.map((p) => paragraph(`• ${p}`)));
  if (d.rules)
    blocks.push(
      paragraph(
        `Le règlement intérieur applicable aux stagiaires (${d.rules.label}) vous est remis avec cette convocation : il fixe les règles d'hygiène et de sécurité, la discipline et vos droits. Lisez-le avant la session : ${d.rules.url}`,
      ),
    );
  blocks.push(
    paragraph("Le fichier joint (convocation.ics) ajoute chaque demi-journée à votre agenda ; s'il change, le nouveau fichier remplace l'ancien."),
    action("Voir mes inscriptions", d.url),
    note("Pour annuler, rendez-vous dans votre espace jusqu'à 7 jours avant la session ; ensuite, contactez l'association."),
  );
  return composeMail({ subject: `Convocation : ${d.moduleTitle} — ${d.dates}`, blocks });
}
