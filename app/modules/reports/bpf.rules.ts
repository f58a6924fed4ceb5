/**
 * The whole BPF (bilan pédagogique et financier, cerfa 10443) as the lines of the cerfa,
 * each under its own number so staff copy them one by one into the online form
 * (docs/decisions/033). Pure: the server gathers the invoices, the teaching hours and the
 * attendance of the year; staff enter what the portal cannot know (section D, other income).
 *
 * - C (income, HT): the year's invoices net of its credit notes, by invoice date (Paris year,
 *   as numbered), classified by who paid: an employer for its staff (C-1), an OPCO (C-2 h:
 *   the skills development plan), a public employer for its agents (C-3), a person paying
 *   for themself (C-9); C-11 is entered by staff; C-12 is the total.
 * - D (charges): entered by staff.
 * - E (people who gave training): the sessions' trainers, internal or external, with the
 *   hours of the half-days they gave in the year.
 * - F (trainees and trainee-hours, from the attendance sheets): F-1 by type of trainee,
 *   F-2 subcontracted activity, F-3 purpose, F-4 by training speciality (NSF code).
 */
import type { Funding } from "~/generated/sqlite/enums";
import { NSF_CODE } from "~/modules/training/catalogue.rules";

export type CerfaRow = {
  /** The cerfa's line number ("C-2 h", "F-1 a", "F-4 1"). */
  line: string;
  label: string;
  /** People (E, F) or none. */
  count?: number;
  /** Hours as minutes (E, F). */
  minutes?: number;
  /** Euros HT as cents (C, D); null when staff have not entered it yet. */
  amountCents?: number | null;
  /** Percent, one decimal (the share of training in the turnover). */
  percent?: number | null;
};

export type CerfaSection = { id: "C" | "D" | "E" | "F-1" | "F-2" | "F-3" | "F-4"; title: string; rows: CerfaRow[] };

// ───────────────────────── C: income ─────────────────────────

/** One invoice or credit note of the year, as the BPF reads it. */
export type IncomeDocument = { kind: "INVOICE" | "CREDIT_NOTE"; funding: Funding; publicBuyer: boolean; totalHtCents: number };

export const INCOME_LINES = [
  ["C-1", "Produits provenant des entreprises pour la formation de leurs salariés"],
  ["C-2 a", "OPCO et fonds de la formation : contrats d'apprentissage"],
  ["C-2 b", "OPCO et fonds de la formation : contrats de professionnalisation"],
  ["C-2 c", "OPCO et fonds de la formation : promotion ou reconversion par alternance"],
  ["C-2 d", "OPCO et fonds de la formation : projets de transition professionnelle"],
  ["C-2 e", "OPCO et fonds de la formation : compte personnel de formation"],
  ["C-2 f", "OPCO et fonds de la formation : dispositifs pour les personnes en recherche d'emploi"],
  ["C-2 g", "OPCO et fonds de la formation : dispositifs pour les travailleurs non-salariés"],
  ["C-2 h", "OPCO et fonds de la formation : plan de développement des compétences ou autres dispositifs"],
  ["C-3", "Pouvoirs publics pour la formation de leurs agents (État, collectivités territoriales, établissements publics)"],
  ["C-4", "Pouvoirs publics pour des publics spécifiques : instances européennes"],
  ["C-5", "Pouvoirs publics pour des publics spécifiques : État"],
  ["C-6", "Pouvoirs publics pour des publics spécifiques : conseils régionaux"],
  ["C-7", "Pouvoirs publics pour des publics spécifiques : France Travail"],
  ["C-8", "Pouvoirs publics pour des publics spécifiques : autres ressources publiques"],
  ["C-9", "Contrats conclus avec des personnes à titre individuel et à leurs frais"],
  ["C-10", "Contrats conclus avec d'autres organismes de formation"],
  ["C-11", "Autres produits au titre de la formation professionnelle"],
] as const;
export type IncomeLine = (typeof INCOME_LINES)[number][0];

/** The line an invoice's amount goes to; null for what is never invoiced (free places). */
export function incomeLineOf(doc: Pick<IncomeDocument, "funding" | "publicBuyer">): IncomeLine | null {
  switch (doc.funding) {
    case "OPCO":
      return "C-2 h";
    case "STRUCTURE":
      return doc.publicBuyer ? "C-3" : "C-1";
    case "CARD":
      return "C-9";
    case "FREE":
      return null;
  }
}

/** What staff enter for a year (cents, HT); null while not entered. */
export type BpfEntry = { otherIncomeCents: number; turnoverCents: number | null; chargesCents: number | null; trainerPayCents: number | null; boughtTrainingCents: number | null };
export const EMPTY_ENTRY: BpfEntry = { otherIncomeCents: 0, turnoverCents: null, chargesCents: null, trainerPayCents: null, boughtTrainingCents: null };

export function incomeSection(documents: readonly IncomeDocument[], entry: BpfEntry): CerfaSection {
  const amounts = new Map<IncomeLine, number>(INCOME_LINES.map(([line]) => [line, 0]));
  for (const doc of documents) {
    const line = incomeLineOf(doc);
    if (!line) continue;
    amounts.set(line, amounts.get(line)! + (doc.kind === "INVOICE" ? doc.totalHtCents : -doc.totalHtCents));
  }
  amounts.set("C-11", amounts.get("C-11")! + entry.otherIncomeCents);
  const total = [...amounts.values()].reduce((a, b) => a + b, 0);
  return {
    id: "C",
    title: "C. Bilan financier hors taxes : origine des produits de l'organisme",
    rows: [
      ...INCOME_LINES.map(([line, label]) => ({ line, label, amountCents: amounts.get(line)! })),
      { line: "C-12", label: "Total des produits réalisés au titre de la formation professionnelle (C-1 à C-11)", amountCents: total },
      {
        line: "C part",
        label: "Part du chiffre d'affaires global réalisée au titre de la formation professionnelle (%)",
        percent: entry.turnoverCents && entry.turnoverCents > 0 ? Math.round((total / entry.turnoverCents) * 1000) / 10 : null,
      },
    ],
  };
}

// ───────────────────────── D: charges ─────────────────────────

export function chargesSection(entry: BpfEntry): CerfaSection {
  return {
    id: "D",
    title: "D. Bilan financier hors taxes : charges de l'organisme",
    rows: [
      { line: "D-1", label: "Total des charges de l'organisme liées à l'activité de formation", amountCents: entry.chargesCents },
      { line: "D-2", label: "dont salaires des formateurs", amountCents: entry.trainerPayCents },
      { line: "D-3", label: "dont achats de prestations de formation et honoraires de formation", amountCents: entry.boughtTrainingCents },
    ],
  };
}

/** Staff's figures hold together: each "dont" fits in the total. Null when they do. */
export function entryInconsistency(entry: BpfEntry): { field: "trainerPayCents" | "boughtTrainingCents"; message: string } | null {
  if (entry.chargesCents === null) return null;
  const parts = (entry.trainerPayCents ?? 0) + (entry.boughtTrainingCents ?? 0);
  if (parts > entry.chargesCents) {
    return {
      field: entry.trainerPayCents !== null && entry.trainerPayCents > entry.chargesCents ? "trainerPayCents" : "boughtTrainingCents",
      message: "Les salaires des formateurs et les achats de formation font partie du total des charges : ensemble, ils ne peuvent pas le dépasser.",
    };
  }
  return null;
}

// ───────────────────────── E: people who gave training ─────────────────────────

/** One half-day given in the year by a session's trainer. */
export type TeachingLine = { trainerId: string; external: boolean; minutes: number };

export function trainersSection(lines: readonly TeachingLine[]): CerfaSection {
  const sum = (external: boolean) => {
    const people = new Set<string>();
    let minutes = 0;
    for (const l of lines) {
      if (l.external !== external || l.minutes <= 0) continue;
      people.add(l.trainerId);
      minutes += l.minutes;
    }
    return { count: people.size, minutes };
  };
  return {
    id: "E",
    title: "E. Personnes dispensant des heures de formation",
    rows: [
      { line: "E-1", label: "Personnes de votre organisme dispensant de la formation", ...sum(false) },
      { line: "E-2", label: "Personnes extérieures à votre organisme dispensant de la formation (contrats de sous-traitance)", ...sum(true) },
    ],
  };
}

// ───────────────────────── F: trainees and hours ─────────────────────────

export type TraineeType = "a" | "b" | "c" | "d" | "e";
export const TRAINEE_TYPE_LABELS: Record<TraineeType, string> = {
  a: "Salariés d'employeurs privés hors apprentis",
  b: "Apprentis",
  c: "Personnes en recherche d'emploi formées par votre organisme",
  d: "Particuliers à leurs propres frais formés par votre organisme",
  e: "Autres stagiaires (dont agents publics et bénévoles)",
};

/**
 * Who a trainee is for the BPF, from who pays for them: the staff of a private employer
 * (its own money or its OPCO's), a person paying for themself, or another trainee (agents
 * of a public employer, free places for volunteers).
 */
export function traineeTypeOf(enrolment: { funding: Funding; publicEmployer: boolean | null }): TraineeType {
  if (enrolment.funding === "CARD") return "d";
  if ((enrolment.funding === "STRUCTURE" || enrolment.funding === "OPCO") && enrolment.publicEmployer === false) return "a";
  return "e";
}

/** Minutes one enrolment attended in one half-day of the year, with what the BPF sorts it by. */
export type TraineeLine = { enrolmentId: string; type: TraineeType; module: { id: string; number: number; title: string; nsfCode: string | null }; minutes: number };

function tally(lines: readonly TraineeLine[]) {
  const enrolments = new Set<string>();
  let minutes = 0;
  for (const l of lines) {
    enrolments.add(l.enrolmentId);
    minutes += l.minutes;
  }
  return { count: enrolments.size, minutes };
}


export type TraineeSections = { sections: CerfaSection[]; modulesWithoutNsf: { number: number; title: string }[] };

export function traineeSections(all: readonly TraineeLine[]): TraineeSections {
  const lines = all.filter((l) => l.minutes > 0);
  const total = tally(lines);
  const f1: CerfaSection = {
    id: "F-1",
    title: "F-1. Type de stagiaires de l'organisme",
    rows: [
      ...(Object.keys(TRAINEE_TYPE_LABELS) as TraineeType[]).map((type) => ({ line: `F-1 ${type}`, label: TRAINEE_TYPE_LABELS[type], ...tally(lines.filter((l) => l.type === type)) })),
      { line: "F-1 total", label: "Total", ...total },
    ],
  };
  const f2: CerfaSection = {
    id: "F-2",
    title: "F-2. Activité sous-traitée de l'organisme",
    rows: [
      { line: "F-2 a", label: "Stagiaires formés par votre organisme pour le compte d'un autre organisme", count: 0, minutes: 0 },
      { line: "F-2 b", label: "Stagiaires dont l'action a été confiée par votre organisme à un autre organisme de formation", count: 0, minutes: 0 },
    ],
  };
  const none = { count: 0, minutes: 0 };
  const f3: CerfaSection = {
    id: "F-3",
    title: "F-3. Objectif général des prestations dispensées",
    rows: [
      { line: "F-3 a", label: "Formations visant un diplôme, un titre ou un CQP enregistré au RNCP", ...none },
      { line: "F-3 b", label: "Formations visant une certification ou une habilitation enregistrée au répertoire spécifique", ...none },
      { line: "F-3 c", label: "Formations visant un CQP non enregistré au RNCP ou au répertoire spécifique", ...none },
      { line: "F-3 d", label: "Autres formations professionnelles", ...total },
      { line: "F-3 e", label: "Bilans de compétences", ...none },
      { line: "F-3 f", label: "Actions d'accompagnement à la validation des acquis de l'expérience", ...none },
      { line: "F-3 total", label: "Total", ...total },
    ],
  };
  // F-4: the five main specialities by hours, then the others; a module without a code is
  // counted in the total under "non renseignée" and named so staff set it.
  const bySpeciality = new Map<string, { lines: TraineeLine[]; modules: Map<number, string> }>();
  const withoutNsf = new Map<string, { number: number; title: string }>();
  for (const l of lines) {
    const code = l.module.nsfCode && NSF_CODE.test(l.module.nsfCode) ? l.module.nsfCode : null;
    if (!code) withoutNsf.set(l.module.id, { number: l.module.number, title: l.module.title });
    const key = code ?? "";
    const entry = bySpeciality.get(key) ?? { lines: [] as TraineeLine[], modules: new Map<number, string>() };
    entry.lines.push(l);
    entry.modules.set(l.module.number, l.module.title);
    bySpeciality.set(key, entry);
  }
  const ranked = [...bySpeciality.entries()]
    .filter(([code]) => code !== "")
    .map(([code, e]) => ({ code, ...tally(e.lines), modules: [...e.modules.keys()].sort((a, b) => a - b) }))
    .sort((a, b) => b.minutes - a.minutes || a.code.localeCompare(b.code));
  const main = ranked.slice(0, 5);
  const others = ranked.slice(5);
  const unknown = bySpeciality.get("");
  const f4: CerfaSection = {
    id: "F-4",
    title: "F-4. Spécialités de formation",
    rows: [
      ...main.map((s, i) => ({ line: `F-4 ${i + 1}`, label: `Code NSF ${s.code} (module${s.modules.length > 1 ? "s" : ""} ${s.modules.join(", ")})`, count: s.count, minutes: s.minutes })),
      {
        line: "F-4 autres",
        label: "Autres spécialités",
        count: others.reduce((n, s) => n + s.count, 0),
        minutes: others.reduce((n, s) => n + s.minutes, 0),
      },
      ...(unknown ? [{ line: "F-4 non renseignée", label: "Spécialité non renseignée (à compléter sur le module)", ...tally(unknown.lines) }] : []),
      { line: "F-4 total", label: "Total", ...total },
    ],
  };
  return { sections: [f1, f2, f3, f4], modulesWithoutNsf: [...withoutNsf.values()].sort((a, b) => a.number - b.number) };
}
