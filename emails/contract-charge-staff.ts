import { action, composeMail, paragraph, type MailContent } from "./layout";

export type ContractChargeStaffData = {
  learnerName: string;
  moduleTitle: string;
  dates: string;
  amount: string;
  /** failed: a charge was refused (the seat is kept); released: the grace ended, the seat went back; unpaid: the grace ended, the seat stays (training begun or balance). */
  outcome: "failed" | "released" | "unpaid";
  detail: string;
  url: string;
};

const SUBJECTS: Record<ContractChargeStaffData["outcome"], string> = {
  failed: "Prélèvement refusé",
  released: "Place libérée faute de paiement",
  unpaid: "Impayé à recouvrer",
};

export function renderContractChargeStaff(d: ContractChargeStaffData): MailContent {
  return composeMail({
    subject: `${SUBJECTS[d.outcome]} : ${d.learnerName} — ${d.moduleTitle}`,
    blocks: [
      paragraph(`Formation « ${d.moduleTitle} » (${d.dates}), stagiaire ${d.learnerName}, montant ${d.amount}.`),
      paragraph(d.detail),
      action("Voir l'inscription", d.url),
    ],
  });
}
