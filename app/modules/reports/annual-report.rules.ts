/**
 * The yearly report (BPF, bilan pédagogique et financier, and the Qualiopi rates), pure and
 * tested in annual-report.rules.test.ts: which year, the counts from attendance lines, and
 * the CSV export for French spreadsheets.
 *
 * A trainee is one confirmed enrolment that attended at least one minute in the year; the
 * trainee-hours are the minutes actually attended (attendance.rules.ts), counted in the year
 * of each half-day. A session held across New Year therefore counts in both years, each for
 * its own half-days, as the BPF asks.
 */
import { formatRate, type Rate } from "~/modules/training/catalogue.rules";
import { FUNDING_LABELS } from "~/modules/training/sessions.labels";
import type { TrainingResults } from "~/modules/evaluations/results.rules";
import type { BpfEntry, CerfaRow, CerfaSection } from "./bpf.rules";

export type Funding = keyof typeof FUNDING_LABELS;
export const FUNDINGS = ["STRUCTURE", "OPCO", "CARD", "FREE"] as const satisfies readonly Funding[];

/** The long labels of the report (the BPF speaks of who pays). */
export const REPORT_FUNDING_LABELS: Record<Funding, string> = {
  STRUCTURE: "Structure employeuse",
  OPCO: "OPCO",
  CARD: "Carte bancaire (paiement en ligne)",
  FREE: "Gratuit (sans financement)",
};

/** The association became a training organisation in 2013: no report before. */
export const FIRST_REPORT_YEAR = 2013;

const parisYearMonth = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit" });
function parisYearAndMonth(now: Date): { year: number; month: number } {
  const parts = Object.fromEntries(parisYearMonth.formatToParts(now).map((p) => [p.type, Number(p.value)]));
  return { year: parts.year!, month: parts.month! };
}

/** The BPF is filed by 30 April for the year before: until then, that year is the one wanted. */
export function defaultReportYear(now: Date): number {
  const { year, month } = parisYearAndMonth(now);
  return month <= 4 ? year - 1 : year;
}

export type YearChoice = { ok: true; year: number } | { ok: false; error: string };

/** The `annee` of the form: empty means the default year; anything else must be a year with possible data. */
export function parseReportYear(value: string | null, now: Date): YearChoice {
  const trimmed = (value ?? "").trim();
  if (trimmed === "") return { ok: true, year: defaultReportYear(now) };
  const last = parisYearAndMonth(now).year;
  if (!/^\d{4}$/.test(trimmed)) return { ok: false, error: `Indiquez une année sur quatre chiffres, entre ${FIRST_REPORT_YEAR} et ${last}.` };
  const year = Number(trimmed);
  if (year < FIRST_REPORT_YEAR || year > last) return { ok: false, error: `Choisissez une année entre ${FIRST_REPORT_YEAR} et ${last}.` };
  return { ok: true, year };
}

// ───────────────────────────── Counts ─────────────────────────────

/** Minutes one enrolment attended in one half-day of the year. */
export type AttendanceLine = { enrolmentId: string; funding: Funding; module: ReportModule; minutes: number };
export type ReportModule = { id: string; number: number; title: string };
export type Count = { trainees: number; minutes: number };

export type BpfFigures = {
  total: Count;
  byFunding: Array<Count & { funding: Funding; label: string }>;
  byModule: Array<Count & ReportModule>;
};

function counter() {
  const trainees = new Set<string>();
  let minutes = 0;
  return {
    add(line: AttendanceLine) {
      trainees.add(line.enrolmentId);
      minutes += line.minutes;
    },
    get: (): Count => ({ trainees: trainees.size, minutes }),
  };
}

/** Trainees and trainee-minutes, in total, per funding (every funding listed, zeros included) and per module (by number). */
export function bpfFigures(lines: readonly AttendanceLine[]): BpfFigures {
  const total = counter();
  const byFunding = new Map(FUNDINGS.map((f) => [f, counter()]));
  const byModule = new Map<string, { module: ReportModule; count: ReturnType<typeof counter> }>();
  for (const line of lines) {
    if (line.minutes <= 0) continue;
    total.add(line);
    byFunding.get(line.funding)!.add(line);
    const entry = byModule.get(line.module.id) ?? { module: line.module, count: counter() };
    entry.count.add(line);
    byModule.set(line.module.id, entry);
  }
  return {
    total: total.get(),
    byFunding: FUNDINGS.map((funding) => ({ funding, label: REPORT_FUNDING_LABELS[funding], ...byFunding.get(funding)!.get() })),
    byModule: [...byModule.values()].sort((a, b) => a.module.number - b.module.number).map(({ module, count }) => ({ ...module, ...count.get() })),
  };
}

// ───────────────────────────── Formatting and CSV ─────────────────────────────

const hoursFormat = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 2 });
/** 810 → "13,5" (French decimal comma; thousands grouped in the page, not in the CSV). */
export const formatTraineeHours = (minutes: number) => hoursFormat.format(minutes / 60);
const csvNumber = (value: number, digits: number) => String(Math.round(value * 10 ** digits) / 10 ** digits).replace(".", ",");

export const moduleLabel = (m: ReportModule) => `${m.number}. ${m.title}`;

/** A cell as spreadsheets read it safely: quoted when needed, never taken for a formula. */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The cerfa's sections, the modules lacking an NSF code, and what staff entered. */
export type Cerfa = { sections: CerfaSection[]; modulesWithoutNsf: { number: number; title: string }[]; entry: BpfEntry };
export type AnnualReport = { year: number; figures: BpfFigures; results: TrainingResults; cerfa: Cerfa };

export const RATE_LABELS = {
  satisfaction: "Taux de satisfaction (note de 4 ou 5 sur 5 au questionnaire de fin de formation)",
  completion: "Taux de réalisation (présence à toutes les demi-journées)",
  objectives: "Taux d'atteinte des objectifs (évaluation du formateur)",
  hotResponse: "Taux de réponse au questionnaire de fin de formation (à chaud)",
  coldResponse: "Taux de réponse au questionnaire à trois mois (à froid)",
} as const;

/**
 * The report as CSV for French spreadsheets: UTF-8 with a byte order mark, `;` between
 * cells, decimal commas, CRLF. Two tables of four columns, one after the other: the BPF
 * counts (hours as decimal numbers), then the Qualiopi rates (in %, with their counts).
 */
export function annualReportCsv(report: AnnualReport): string {
  const { figures, results } = report;
  const hours = (minutes: number) => csvNumber(minutes / 60, 2);
  const rows: (string | number)[][] = [
    ["Rubrique", "Catégorie", "Stagiaires", "Heures-stagiaires"],
    ["Total", `Année ${report.year}`, figures.total.trainees, hours(figures.total.minutes)],
    ...figures.byFunding.map((f) => ["Financement", f.label, f.trainees, hours(f.minutes)]),
    ...figures.byModule.map((m) => ["Module", moduleLabel(m), m.trainees, hours(m.minutes)]),
    [],
    ["Indicateur", "Taux (%)", "Effectif", "Sur"],
    ...(Object.keys(RATE_LABELS) as (keyof typeof RATE_LABELS)[]).map((key) => {
      const rate: Rate | null = results[key];
      return [RATE_LABELS[key], rate ? csvNumber(rate.rate * 100, 1) : "", rate?.count ?? 0, rate?.total ?? 0];
    }),
    [],
    ["Ligne du cerfa 10443", "Intitulé", "Nombre", "Heures", "Montant HT (€)"],
    ...report.cerfa.sections.flatMap((section) => section.rows.map(cerfaCsvRow)),
  ];
  return "\uFEFF" + rows.map((row) => row.map(csvCell).join(";")).join("\r\n") + "\r\n";
}

/** One cerfa line: its number, label, then the figures it has (empty cells for the others, and for amounts not entered yet). */
function cerfaCsvRow(row: CerfaRow): (string | number)[] {
  const amount = row.percent !== undefined ? (row.percent === null ? "" : `${csvNumber(row.percent, 1)} %`) : row.amountCents === undefined || row.amountCents === null ? "" : csvNumber(row.amountCents / 100, 2);
  return [row.line, row.label, row.count ?? "", row.minutes === undefined ? "" : csvNumber(row.minutes / 60, 2), amount];
}

/** "86 %" or "pas encore de données". */
export const rateText = (rate: Rate | null) => (rate ? formatRate(rate.rate) : "pas encore de données");
