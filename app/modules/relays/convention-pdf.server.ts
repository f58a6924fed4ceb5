/**
 * The partnership agreement (convention de partenariat) between the association and a
 * relay, filled with the relay's details, as an A4 PDF. Once the referent accepts it
 * online, the PDF also shows who accepted, when and from which address.
 */
import { formatDateTime } from "~/modules/enrolment/enrolment.rules";
import { COLORS, PdfFlow } from "~/modules/pdf/document.server";
import { fileSlug } from "~/modules/pdf/layout";
import { addressLines, formatSiret, type OrganisationIdentity } from "~/modules/organisation/identity.rules";
import { currentIdentity } from "~/modules/organisation/identity.server";
import type { Actor } from "~/modules/auth/permissions.rules";
import { getConventionData } from "./relay.server";

export type ConventionDetails = {
  structureName: string;
  identifier: string;
  address: string;
  referent: string;
  requiredModule: string;
  requiredCertifiedStaff: number;
  approvedOn: Date;
  accepted: { name: string; at: Date; ip: string } | null;
};

const ARTICLES = (d: ConventionDetails, organisation: OrganisationIdentity): [string, string][] => [
  [
    "Article 1 — Objet",
    `La présente convention fixe les conditions dans lesquelles ${d.structureName} (ci-après « le relais ») devient Relais Numérique de ${organisation.name} : accueil des personnes en difficulté avec le numérique dans ses locaux, délivrance de recharges mobiles et animation d'ateliers.`,
  ],
  [
    "Article 2 — Formation et certification",
    `Le relais devient actif lorsqu'au moins ${d.requiredCertifiedStaff} membre${d.requiredCertifiedStaff > 1 ? "s" : ""} de son équipe ${d.requiredCertifiedStaff > 1 ? "sont titulaires" : "est titulaire"} d'un certificat valide du module « ${d.requiredModule} ». Il redevient en attente de certification si ce n'est plus le cas.`,
  ],
  [
    "Article 3 — Engagements du relais",
    "Le relais accueille gratuitement les personnes, respecte la charte des Relais Numériques, ne recueille aucune donnée sur la situation administrative des personnes et tient informé·e son ou sa délégué·e à la protection des données. Les codes de recharge sont confidentiels.",
  ],
  [
    "Article 4 — Engagements de l'association",
    `${organisation.name} forme l'équipe du relais, met à sa disposition un quota de recharges, l'accompagne et le fait figurer dans l'annuaire public des Relais Numériques.`,
  ],
  [
    "Article 5 — Durée, suspension, fin",
    "La convention prend effet à son acceptation, pour une durée d'un an renouvelable tacitement. L'association peut suspendre le relais, par décision motivée, en cas de manquement ; chaque partie peut y mettre fin par écrit avec un préavis d'un mois.",
  ],
];

export async function renderConventionPdf(d: ConventionDetails, now: Date, organisation: OrganisationIdentity): Promise<Uint8Array> {
  const pdf = await PdfFlow.create({ title: `Convention de partenariat — ${d.structureName}`, subject: "Convention Relais Numérique", author: organisation.name, now });
  pdf.footerText = `${organisation.name} — convention Relais Numérique — ${d.structureName}`;
  pdf.text("CONVENTION DE PARTENARIAT", { size: 18, bold: true, color: COLORS.accent });
  pdf.text("Relais Numérique", { size: 12, color: COLORS.muted });
  pdf.space(12);
  pdf.text("Entre", { size: 10, bold: true });
  pdf.text(`${organisation.name}, ${organisation.legalForm}, ${addressLines(organisation).join(", ")}, SIRET ${formatSiret(organisation.siret)}, représentée par ${organisation.signatoryName}, ${organisation.signatoryTitle}.`, { size: 10 });
  pdf.space(6);
  pdf.text("Et", { size: 10, bold: true });
  pdf.text(`${d.structureName}, ${d.identifier}, ${d.address}, représentée par ${d.referent}, référent·e du relais.`, { size: 10 });
  pdf.space(6);
  pdf.text(`Candidature acceptée le ${formatDateTime(d.approvedOn)}.`, { size: 9, color: COLORS.muted });
  pdf.space(10);
  for (const [title, body] of ARTICLES(d, organisation)) {
    pdf.text(title, { size: 11, bold: true });
    pdf.text(body, { size: 10 });
    pdf.space(8);
  }
  pdf.rule();
  pdf.space(6);
  if (d.accepted) {
    pdf.text(`Acceptée en ligne par ${d.accepted.name}, le ${formatDateTime(d.accepted.at)}, depuis l'adresse IP ${d.accepted.ip}.`, { size: 10, bold: true });
  } else {
    pdf.text("À accepter en ligne par la ou le référent·e du relais, depuis l'espace relais de Maillon.", { size: 10, bold: true });
  }
  pdf.text(`Pour ${organisation.name} : ${organisation.signatoryName}, ${organisation.signatoryTitle}.`, { size: 10 });
  if (organisation.documentMentions) {
    pdf.space(6);
    pdf.text(organisation.documentMentions, { size: 8, color: COLORS.muted });
  }
  return pdf.save();
}

type StructureFields = { structureName: string; siret: string | null; rna: string | null; address: string | null; postcode: string | null; city: string | null; referentName: string | null };

/** The convention's fields from the structure's details (not yet accepted). */
export function conventionDetails(s: StructureFields, requiredModule: string, requiredCertifiedStaff: number, approvedOn: Date): ConventionDetails {
  return {
    structureName: s.structureName,
    identifier: s.siret ? `SIRET ${formatSiret(s.siret)}` : s.rna ? `RNA ${s.rna}` : "sans identifiant",
    address: [s.address, [s.postcode, s.city].filter(Boolean).join(" ")].filter(Boolean).join(", ") || "adresse non renseignée",
    referent: s.referentName ?? "sa ou son référent·e",
    requiredModule,
    requiredCertifiedStaff,
    approvedOn,
    accepted: null,
  };
}

/** The convention of the relay of `structureId`, for its members; null when not allowed or not a relay. */
export async function getConventionPdf(actor: Actor, structureId: string, now = new Date()) {
  const relay = await getConventionData(actor, structureId);
  if (!relay) return null;
  const s = relay.structure;
  const details: ConventionDetails = {
    ...conventionDetails(
      { ...s, structureName: s.name, referentName: relay.application?.referentName ?? null },
      relay.requiredModule.title,
      relay.requiredCertifiedStaff,
      relay.application?.decidedAt ?? relay.createdAt,
    ),
    accepted:
      relay.conventionAcceptedAt && relay.conventionAcceptedName
        ? { name: relay.conventionAcceptedName, at: relay.conventionAcceptedAt, ip: relay.conventionAcceptedIp ?? "inconnue" }
        : null,
  };
  return { pdf: await renderConventionPdf(details, now, await currentIdentity()), fileName: `convention-relais-${fileSlug(s.name, 50)}.pdf` };
}
