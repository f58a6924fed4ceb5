/**
 * The contrat de formation professionnelle (Code du travail L6353-3 to L6353-7) of a person
 * who pays for themself, as an A4 PDF drawn from the data the portal holds. It is rendered
 * once, when issued, and its bytes are kept: the learner accepts that exact document.
 */
import { COLORS, PdfFlow } from "~/modules/pdf/document.server";
import { addressLines, formatSiret, type OrganisationIdentity } from "~/modules/organisation/identity.rules";
import { formatHours, formatPrice, lines } from "~/modules/training/catalogue.rules";
import { LEARNER_CANCEL_DAYS } from "~/modules/enrolment/enrolment.rules";
import { formatDate, formatSlot } from "~/utils/dates";
import { CHARGE_GRACE_DAYS, DEPOSIT_PERCENT, WITHDRAWAL_DAYS } from "./contract.rules";

export type ContractDetails = {
  learner: { name: string; email: string };
  module: {
    title: string;
    summary: string;
    objectives: string;
    programme: string;
    durationMinutes: number;
    prerequisites: string;
    audience: string;
    methods: string;
    assessment: string;
    accessibility: string;
  };
  session: { slots: { startsAt: Date; endsAt: Date }[]; place: string; trainerName: string | null; capacity: number };
  priceCents: number;
  depositCents: number;
  balanceCents: number;
};

const bullets = (text: string) => lines(text).map((l) => `• ${l}`).join("\n");

function articles(d: ContractDetails, o: OrganisationIdentity): [string, string][] {
  const lastSlot = d.session.slots.at(-1);
  return [
    [
      "Article 1 — Objet, nature et objectif de l'action",
      `L'organisme de formation s'engage à organiser l'action « ${d.module.title} », action de formation au sens de l'article L6313-1 du Code du travail (acquisition et développement des compétences). ${d.module.summary}\nObjectifs, exprimés en compétences observables :\n${bullets(d.module.objectives)}`,
    ],
    ["Article 2 — Programme", bullets(d.module.programme)],
    [
      "Article 3 — Durée, dates et lieu",
      `Durée : ${formatHours(d.module.durationMinutes)}, en ${d.session.slots.length} demi-journée${d.session.slots.length > 1 ? "s" : ""} :\n${d.session.slots.map((s) => `• ${formatSlot(s)}`).join("\n")}\nLieu : ${d.session.place}. Groupe de ${d.session.capacity} stagiaires au plus.`,
    ],
    ["Article 4 — Niveau de connaissances préalables requis et public", `${d.module.prerequisites}\nPublic : ${d.module.audience}`],
    [
      "Article 5 — Organisation et conditions de déroulement",
      `Méthodes et moyens pédagogiques : ${d.module.methods}\nÉvaluation des acquis : ${d.module.assessment}\nLa présence est attestée par demi-journée (feuille d'émargement signée par le stagiaire et la formatrice ou le formateur). À l'issue, un certificat de réalisation et une attestation de fin de formation sont remis.\nAccessibilité : ${d.module.accessibility}`,
    ],
    [
      "Article 6 — Formatrice ou formateur",
      `${d.session.trainerName ? `L'action est animée par ${d.session.trainerName}, ` : "L'action est animée par "}une formatrice ou un formateur de ${o.name} qualifié·e en accompagnement au numérique des publics et en animation de formations d'adultes ; ses titres et références sont communiqués sur simple demande.`,
    ],
    [
      "Article 7 — Prix et modalités de paiement",
      `Prix de l'action : ${formatPrice(d.priceCents)} net, exonéré de TVA (article 261-4-4° a du CGI), à la charge du stagiaire, payable par carte bancaire. La carte est enregistrée en ligne à l'inscription ; aucune somme n'est prélevée avant la fin du délai de rétractation (article L6353-6). À la fin de ce délai, ${DEPOSIT_PERCENT} % du prix sont prélevés, soit ${formatPrice(d.depositCents)} ; le solde de ${formatPrice(d.balanceCents)} est prélevé à l'issue de la formation${lastSlot ? `, le ${formatDate(lastSlot.endsAt)}` : ""}, et au plus tôt le lendemain de la fin du délai. Si un prélèvement échoue, le stagiaire en est informé et la place lui est gardée ${CHARGE_GRACE_DAYS} jours, pendant lesquels il peut enregistrer une autre carte ; au-delà, si la formation n'a pas commencé, l'inscription est annulée et la place proposée à la liste d'attente.`,
    ],
    [
      "Article 8 — Délai de rétractation",
      `Le stagiaire dispose d'un délai de ${WITHDRAWAL_DAYS} jours à compter de l'acceptation du présent contrat pour se rétracter (article L6353-5), sans avoir à se justifier ni à payer quoi que ce soit. Le jour de l'acceptation ne compte pas ; le délai expire le dixième jour à 23 h 59 (heure de Paris), reporté au premier jour ouvrable suivant s'il tombe un samedi, un dimanche ou un jour férié. La rétractation se fait par lettre recommandée avec avis de réception adressée à ${o.name}, ${addressLines(o).join(", ")} ; le bouton « Me rétracter » de l'espace personnel sur Maillon est accepté en plus et vaut rétractation dès son envoi, confirmée par e-mail. Si la session commence avant la fin du délai, le stagiaire peut la suivre et garde son droit de rétractation jusqu'au bout du délai : il ne doit alors rien, même pour les heures déjà suivies.`,
    ],
    [
      "Article 9 — Interruption, abandon et annulation",
      `Après le délai de rétractation, le stagiaire peut annuler en ligne jusqu'à ${LEARNER_CANCEL_DAYS} jours avant la première demi-journée : les sommes versées sont remboursées en totalité. Au-delà, il contacte l'organisme. Si, par suite de force majeure dûment reconnue, le stagiaire est empêché de suivre la formation, il peut rompre le contrat ; seules les prestations effectivement dispensées sont alors dues, au prorata temporis de leur valeur prévue au contrat (article L6353-7). En cas d'abandon sans force majeure, seules les heures effectivement suivies sont dues, au prorata du prix. Si l'organisme annule la session, les sommes versées sont remboursées en totalité.`,
    ],
    ["Article 10 — Litiges", "En cas de différend, les parties recherchent d'abord une solution amiable ; à défaut, le litige est porté devant le tribunal compétent."],
  ];
}

export async function renderContractPdf(d: ContractDetails, o: OrganisationIdentity, issuedAt: Date): Promise<Uint8Array> {
  const pdf = await PdfFlow.create({ title: `Contrat de formation — ${d.module.title} — ${d.learner.name}`, subject: "Contrat de formation professionnelle", author: o.name, now: issuedAt });
  pdf.footerText = `${o.name} — contrat de formation — ${d.learner.name}`;
  pdf.text("CONTRAT DE FORMATION PROFESSIONNELLE", { size: 17, bold: true, color: COLORS.accent });
  pdf.text("Articles L6353-3 à L6353-7 du Code du travail", { size: 10, color: COLORS.muted });
  pdf.space(10);
  pdf.text("Entre l'organisme de formation", { size: 10, bold: true });
  pdf.text(
    `${o.name}, ${o.legalForm}, ${addressLines(o).join(", ")}, SIRET ${formatSiret(o.siret)}, déclaration d'activité enregistrée sous le numéro ${o.nda} auprès du préfet de la région ${o.ndaRegion} (cet enregistrement ne vaut pas agrément de l'État), représentée par ${o.signatoryName}, ${o.signatoryTitle}.`,
    { size: 10 },
  );
  pdf.space(6);
  pdf.text("Et le stagiaire, qui entreprend cette formation à titre individuel et à ses frais", { size: 10, bold: true });
  pdf.text(`${d.learner.name}, ${d.learner.email}.`, { size: 10 });
  pdf.space(10);
  for (const [title, body] of articles(d, o)) {
    pdf.text(title, { size: 11, bold: true });
    pdf.text(body, { size: 9.5 });
    pdf.space(7);
  }
  pdf.rule();
  pdf.space(6);
  pdf.text(`Contrat établi le ${formatDate(issuedAt)}. Il est accepté en ligne par le stagiaire depuis son espace Maillon : son nom, la date, l'adresse IP et l'empreinte SHA-256 de ce document sont enregistrés.`, { size: 9 });
  pdf.text(`Pour ${o.name} : ${o.signatoryName}, ${o.signatoryTitle}. Contact : ${o.email}, ${o.phone}.`, { size: 9 });
  if (o.documentMentions) {
    pdf.space(6);
    pdf.text(o.documentMentions, { size: 8, color: COLORS.muted });
  }
  return pdf.save();
}
