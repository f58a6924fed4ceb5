import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import type { TrainingResults } from "~/modules/evaluations/results.rules";
import { chargesSection, EMPTY_ENTRY, incomeSection } from "./bpf.rules";
import { annualReportCsv, bpfFigures, csvCell, defaultReportYear, parseReportYear, type AttendanceLine, type ReportModule } from "./annual-report.rules";

const m1: ReportModule = { id: "m1", number: 1, title: "Sensibilisation et compréhension de l'inclusion numérique" };
const m2: ReportModule = { id: "m2", number: 2, title: "Pratiques d'accompagnement vers le numérique" };
const line = (enrolmentId: string, module: ReportModule, funding: AttendanceLine["funding"], minutes = 210): AttendanceLine => ({ enrolmentId, module, funding, minutes });

describe("report year", () => {
  it.each([
    ["2026-04-30T21:00:00Z", 2025], // 30 April, 23:00 in Paris: still the filing season of 2025
    ["2026-04-30T22:00:00Z", 2026], // 1 May in Paris
    ["2026-12-31T23:30:00Z", 2026], // 1 January 2027, 00:30 in Paris: the filing season of 2026
  ])("at %s the default year is %i", (now, year) => {
    expect(defaultReportYear(new Date(now))).toBe(year);
  });

  const now = new Date("2026-11-30T12:00:00Z");
  it.each([
    [null, { ok: true, year: 2026 }],
    ["", { ok: true, year: 2026 }],
    [" 2024 ", { ok: true, year: 2024 }],
    ["2013", { ok: true, year: 2013 }],
    ["2012", { ok: false, error: "Choisissez une année entre 2013 et 2026." }],
    ["2027", { ok: false, error: "Choisissez une année entre 2013 et 2026." }],
    ["24", { ok: false, error: "Indiquez une année sur quatre chiffres, entre 2013 et 2026." }],
    ["deux mille", { ok: false, error: "Indiquez une année sur quatre chiffres, entre 2013 et 2026." }],
  ])("%j → %j", (value, expected) => {
    expect(parseReportYear(value, now)).toEqual(expected);
  });
});

describe("bpfFigures", () => {
  it("counts each enrolment once and adds up its minutes, per funding and per module", () => {
    const figures = bpfFigures([
      line("a", m2, "OPCO"),
      line("a", m2, "OPCO"),
      line("b", m1, "STRUCTURE", 180),
      line("c", m1, "CARD"),
      line("c", m1, "CARD", 0), // late for the whole half-day: no minute
      line("d", m1, "FREE", 0), // no minute at all: not a trainee
    ]);
    expect(figures.total).toEqual({ trainees: 3, minutes: 210 * 3 + 180 });
    expect(figures.byFunding).toEqual([
      { funding: "STRUCTURE", label: "Structure employeuse", trainees: 1, minutes: 180 },
      { funding: "OPCO", label: "OPCO", trainees: 1, minutes: 420 },
      { funding: "CARD", label: "Carte bancaire (paiement en ligne)", trainees: 1, minutes: 210 },
      { funding: "FREE", label: "Gratuit (sans financement)", trainees: 0, minutes: 0 },
    ]);
    expect(figures.byModule).toEqual([
      { ...m1, trainees: 2, minutes: 390 },
      { ...m2, trainees: 1, minutes: 420 },
    ]);
  });

  it("is empty without attendance", () => {
    const figures = bpfFigures([]);
    expect(figures.total).toEqual({ trainees: 0, minutes: 0 });
    expect(figures.byModule).toEqual([]);
    expect(figures.byFunding.every((f) => f.trainees === 0)).toBe(true);
  });
});

describe("annualReportCsv", () => {
  const results: TrainingResults = {
    satisfaction: { rate: 6 / 7, count: 6, total: 7, average: 4.3 },
    completion: { rate: 0.75, count: 3, total: 4 },
    objectives: null,
    hotResponse: { rate: 7 / 8, count: 7, total: 8 },
    coldResponse: { rate: 0.5, count: 2, total: 4 },
  };
  const report = {
    year: 2026,
    figures: bpfFigures([line("a", m1, "OPCO", 210), line("a", m1, "OPCO", 200), line("b", { ...m2, title: '=HYPERLINK("x";"y")' }, "FREE", 210)]),
    results,
    cerfa: {
      sections: [
        incomeSection([{ kind: "INVOICE", funding: "OPCO", publicBuyer: false, totalHtCents: 48_000 }], { ...EMPTY_ENTRY, turnoverCents: 96_000 }),
        chargesSection({ ...EMPTY_ENTRY, chargesCents: 30_000_050 }),
      ],
      modulesWithoutNsf: [],
      entry: EMPTY_ENTRY,
    },
  };

  it("is UTF-8 with a byte order mark, semicolons and decimal commas, and reads back into the same figures", () => {
    const csv = annualReportCsv(report);
    expect(csv.startsWith("\uFEFF")).toBe(true);
    const rows: string[][] = parse(csv, { bom: true, delimiter: ";", relax_column_count: true, skip_empty_lines: true });
    expect(rows[0]).toEqual(["Rubrique", "Catégorie", "Stagiaires", "Heures-stagiaires"]);
    expect(rows[1]).toEqual(["Total", "Année 2026", "2", "10,33"]);
    expect(rows.filter((r) => r[0] === "Financement").map((r) => [r[1], r[2], r[3]])).toEqual([
      ["Structure employeuse", "0", "0"],
      ["OPCO", "1", "6,83"],
      ["Carte bancaire (paiement en ligne)", "0", "0"],
      ["Gratuit (sans financement)", "1", "3,5"],
    ]);
    expect(rows.filter((r) => r[0] === "Module").map((r) => r[1])).toEqual([
      "1. Sensibilisation et compréhension de l'inclusion numérique",
      '2. =HYPERLINK("x";"y")', // not at the start of the cell: no formula
    ]);
    const rates = rows.slice(rows.findIndex((r) => r[0] === "Indicateur") + 1, rows.findIndex((r) => r[0] === "Ligne du cerfa 10443"));
    expect(rates.map((r) => r.slice(1))).toEqual([
      ["85,7", "6", "7"],
      ["75", "3", "4"],
      ["", "0", "0"],
      ["87,5", "7", "8"],
      ["50", "2", "4"],
    ]);
    expect(rates[0]![0]).toMatch(/^Taux de satisfaction/);
    expect(rates[3]![0]).toMatch(/^Taux de réponse .*à chaud/);
    expect(rates[4]![0]).toMatch(/^Taux de réponse .*à froid/);
  });

  it("ends with the cerfa's lines under their own numbers: amounts in euros HT, hours, empty what staff have not entered", () => {
    const rows: string[][] = parse(annualReportCsv(report), { bom: true, delimiter: ";", relax_column_count: true, skip_empty_lines: true });
    const cerfa = rows.slice(rows.findIndex((r) => r[0] === "Ligne du cerfa 10443"));
    expect(cerfa[0]).toEqual(["Ligne du cerfa 10443", "Intitulé", "Nombre", "Heures", "Montant HT (€)"]);
    const byLine = new Map(cerfa.slice(1).map((r) => [r[0], r.slice(2)]));
    expect(byLine.get("C-2 h")).toEqual(["", "", "480"]);
    expect(byLine.get("C-1")).toEqual(["", "", "0"]);
    expect(byLine.get("C-12")).toEqual(["", "", "480"]);
    expect(byLine.get("C part")).toEqual(["", "", "50 %"]);
    expect(byLine.get("D-1")).toEqual(["", "", "300000,5"]);
    expect(byLine.get("D-2")).toEqual(["", "", ""]);
  });

  it("ends lines with CRLF", () => {
    expect(annualReportCsv(report).split("\r\n").length).toBeGreaterThan(8);
  });
});

describe("csvCell", () => {
  it.each([
    ["Lyon", "Lyon"],
    ["a;b", '"a;b"'],
    ['dit "oui"', '"dit ""oui"""'],
    ["=1+1", "'=1+1"],
    ["@SUM(A1)", "'@SUM(A1)"],
    [12, "12"],
  ])("%j → %s", (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });
});
