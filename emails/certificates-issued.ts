import { action, composeMail, note, paragraph, type MailContent } from "./layout";

/** Sent when a session is closed (both documents) or a certificate is issued again (one document). */
export type CertificatesIssuedData = {
  name: string;
  moduleTitle: string;
  /** "Le 2 mars 2026" or "Du 2 mars 2026 au 3 mars 2026". */
  dates: string;
  /** One line per attached document: "Certificat de réalisation n° MAI-2026-000042". */
  documents: string[];
  /** True when a corrected document replaces one sent before. */
  reissued: boolean;
  /** The learner space, where the documents can be downloaded again. */
  url: string;
};

export function renderCertificatesIssued(d: CertificatesIssuedData): MailContent {
  const plural = d.documents.length > 1;
  const blocks = [
    paragraph(`Bonjour ${d.name},`),
    paragraph(
      d.reissued
        ? `Un document de votre formation « ${d.moduleTitle} » (${d.dates.toLowerCase()}) a été délivré à nouveau ; il remplace le précédent, qui n'est plus valable.`
        : `Votre formation « ${d.moduleTitle} » (${d.dates.toLowerCase()}) est terminée. Vous trouverez ${plural ? "vos documents" : "votre document"} en pièce jointe :`,
    ),
    ...d.documents.map((line) => paragraph(`• ${line}`)),
    paragraph("Chaque document porte un numéro et un code QR : toute personne peut vérifier son authenticité sur le site de Maillon."),
    action("Retrouver mes certificats", d.url),
    note("Conservez ces documents : ils prouvent votre participation auprès de votre employeur ou d'un financeur."),
  ];
  return composeMail({ subject: `${d.reissued ? "Document mis à jour" : "Vos certificats"} : ${d.moduleTitle}`, blocks });
}
