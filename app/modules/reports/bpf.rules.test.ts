import { describe, expect, it } from "vitest";
import {
  chargesSection,
  EMPTY_ENTRY,
  entryInconsistency,
  incomeLineOf,
  incomeSection,
  traineeSections,
  traineeTypeOf,
  trainersSection,
  type CerfaSection,
  type IncomeDocument,
  type TraineeLine,
} from "./bpf.rules";

const figure = (section: CerfaSection, line: string) => {
  const row = section.rows.find((r) => r.line === line);
  if (!row) throw new Error(`no line ${line} in ${section.id}`);
  return row;
};

describe("C: income from the year's invoices net of credit notes", () => {
  it.each([
    [{ funding: "STRUCTURE", publicBuyer: false }, "C-1"],
    [{ funding: "STRUCTURE", publicBuyer: true }, "C-3"],
    [{ funding: "OPCO", publicBuyer: false }, "C-2 h"],
    [{ funding: "OPCO", publicBuyer: true }, "C-2 h"],
    [{ funding: "CARD", publicBuyer: false }, "C-9"],
    [{ funding: "FREE", publicBuyer: false }, null],
  ] as const)("%j → %s", (doc, line) => {
    expect(incomeLineOf(doc)).toBe(line);
  });

  it("adds invoices, takes credit notes off their own line, adds what staff entered, and totals C-12", () => {
    const docs: IncomeDocument[] = [
      { kind: "INVOICE", funding: "STRUCTURE", publicBuyer: false, totalHtCents: 48_000 }, // an association, 2 places
      { kind: "INVOICE", funding: "STRUCTURE", publicBuyer: true, totalHtCents: 24_000 }, // a CCAS
      { kind: "INVOICE", funding: "OPCO", publicBuyer: false, totalHtCents: 16_800 }, // the OPCO's part
      { kind: "INVOICE", funding: "STRUCTURE", publicBuyer: false, totalHtCents: 7_200 }, // the structure's rest
      { kind: "INVOICE", funding: "CARD", publicBuyer: false, totalHtCents: 24_000 },
      { kind: "CREDIT_NOTE", funding: "CARD", publicBuyer: false, totalHtCents: 12_000 }, // half refunded
      { kind: "CREDIT_NOTE", funding: "STRUCTURE", publicBuyer: true, totalHtCents: 24_000 }, // cancelled after its invoice
    ];
    const c = incomeSection(docs, { ...EMPTY_ENTRY, otherIncomeCents: 5_000, turnoverCents: 200_000 });
    expect(figure(c, "C-1").amountCents).toBe(55_200);
    expect(figure(c, "C-2 h").amountCents).toBe(16_800);
    expect(figure(c, "C-3").amountCents).toBe(0);
    expect(figure(c, "C-9").amountCents).toBe(12_000);
    expect(figure(c, "C-10").amountCents).toBe(0);
    expect(figure(c, "C-11").amountCents).toBe(5_000);
    expect(figure(c, "C-12").amountCents).toBe(89_000);
    expect(figure(c, "C part").percent).toBe(44.5);
    // Every line of the cerfa is there, in its order, zeros included.
    expect(c.rows.map((r) => r.line)).toEqual([
      "C-1", "C-2 a", "C-2 b", "C-2 c", "C-2 d", "C-2 e", "C-2 f", "C-2 g", "C-2 h", "C-3", "C-4", "C-5", "C-6", "C-7", "C-8", "C-9", "C-10", "C-11", "C-12", "C part",
    ]);
  });

  it("leaves the share of training empty while the turnover is not entered", () => {
    expect(figure(incomeSection([], EMPTY_ENTRY), "C part").percent).toBeNull();
    expect(figure(incomeSection([], EMPTY_ENTRY), "C-12").amountCents).toBe(0);
  });
});

describe("D: charges entered by staff", () => {
  it("prints what was entered, and nothing for what was not", () => {
    const d = chargesSection({ ...EMPTY_ENTRY, chargesCents: 1_000_000, trainerPayCents: 600_000 });
    expect(d.rows.map((r) => [r.line, r.amountCents])).toEqual([
      ["D-1", 1_000_000],
      ["D-2", 600_000],
      ["D-3", null],
    ]);
  });

  it("refuses parts larger than the total, naming the field", () => {
    expect(entryInconsistency({ ...EMPTY_ENTRY, chargesCents: 1_000, trainerPayCents: 600, boughtTrainingCents: 400 })).toBeNull();
    expect(entryInconsistency({ ...EMPTY_ENTRY, chargesCents: 1_000, trainerPayCents: 600, boughtTrainingCents: 401 })?.field).toBe("boughtTrainingCents");
    expect(entryInconsistency({ ...EMPTY_ENTRY, chargesCents: 1_000, trainerPayCents: 1_200 })?.field).toBe("trainerPayCents");
    expect(entryInconsistency({ ...EMPTY_ENTRY, trainerPayCents: 1_200 })).toBeNull();
  });
});

describe("E: people who gave training", () => {
  it("counts each trainer once and adds the half-days they gave, internal and external apart", () => {
    const e = trainersSection([
      { trainerId: "t1", external: false, minutes: 210 },
      { trainerId: "t1", external: false, minutes: 210 },
      { trainerId: "t2", external: false, minutes: 180 },
      { trainerId: "x1", external: true, minutes: 210 },
    ]);
    expect(e.rows.map((r) => [r.line, r.count, r.minutes])).toEqual([
      ["E-1", 2, 600],
      ["E-2", 1, 210],
    ]);
  });
});

describe("F: trainees and hours", () => {
  it.each([
    [{ funding: "STRUCTURE", publicEmployer: false }, "a"],
    [{ funding: "OPCO", publicEmployer: false }, "a"],
    [{ funding: "STRUCTURE", publicEmployer: true }, "e"],
    [{ funding: "CARD", publicEmployer: null }, "d"],
    [{ funding: "CARD", publicEmployer: false }, "d"],
    [{ funding: "FREE", publicEmployer: false }, "e"],
    [{ funding: "STRUCTURE", publicEmployer: null }, "e"],
  ] as const)("%j is a trainee of type F-1 %s", (enrolment, type) => {
    expect(traineeTypeOf(enrolment)).toBe(type);
  });

  const m = (number: number, nsfCode: string | null) => ({ id: `m${number}`, number, title: `Module ${number}`, nsfCode });
  const l = (enrolmentId: string, type: TraineeLine["type"], module: ReturnType<typeof m>, minutes: number): TraineeLine => ({ enrolmentId, type, module, minutes });

  it("counts a hand-computed year line by line: F-1 by type, F-3 all 'other vocational training', F-4 by NSF code", () => {
    const m1 = m(1, "332");
    const m2 = m(2, "332");
    const m3 = m(3, "326t");
    const m4 = m(4, null);
    const lines = [
      // a: two employees of an association, module 1 (two half-days each, one late by 30 min)
      l("e1", "a", m1, 210), l("e1", "a", m1, 210), l("e2", "a", m1, 210), l("e2", "a", m1, 180),
      // d: one person paying by card, module 3
      l("e3", "d", m3, 210),
      // e: a CCAS agent on module 2, a volunteer on module 4 (no NSF code yet)
      l("e4", "e", m2, 210), l("e5", "e", m4, 210),
      // absent: a line of 0 minutes counts no trainee
      l("e6", "a", m1, 0),
    ];
    const { sections, modulesWithoutNsf } = traineeSections(lines);
    const [f1, f2, f3, f4] = sections as [CerfaSection, CerfaSection, CerfaSection, CerfaSection];
    expect(f1.rows.map((r) => [r.line, r.count, r.minutes])).toEqual([
      ["F-1 a", 2, 810],
      ["F-1 b", 0, 0],
      ["F-1 c", 0, 0],
      ["F-1 d", 1, 210],
      ["F-1 e", 2, 420],
      ["F-1 total", 5, 1440],
    ]);
    expect(f2.rows.every((r) => r.count === 0 && r.minutes === 0)).toBe(true);
    expect(figure(f3, "F-3 d")).toMatchObject({ count: 5, minutes: 1440 });
    expect(figure(f3, "F-3 total")).toMatchObject({ count: 5, minutes: 1440 });
    expect(f4.rows.map((r) => [r.line, r.label, r.count, r.minutes])).toEqual([
      ["F-4 1", "Code NSF 332 (modules 1, 2)", 3, 1020],
      ["F-4 2", "Code NSF 326t (module 3)", 1, 210],
      ["F-4 autres", "Autres spécialités", 0, 0],
      ["F-4 non renseignée", "Spécialité non renseignée (à compléter sur le module)", 1, 210],
      ["F-4 total", "Total", 5, 1440],
    ]);
    expect(modulesWithoutNsf).toEqual([{ number: 4, title: "Module 4" }]);
  });

  it("keeps the five main specialities by hours and puts the rest in 'others'", () => {
    const lines = [100, 90, 80, 70, 60, 50, 40].map((minutes, i) => l(`e${i}`, "a", m(i + 1, `3${String(i).padStart(2, "0")}`), minutes));
    const f4 = traineeSections(lines).sections[3]!;
    expect(f4.rows.map((r) => [r.line, r.minutes])).toEqual([
      ["F-4 1", 100],
      ["F-4 2", 90],
      ["F-4 3", 80],
      ["F-4 4", 70],
      ["F-4 5", 60],
      ["F-4 autres", 90],
      ["F-4 total", 490],
    ]);
    expect(figure(f4, "F-4 autres").count).toBe(2);
  });
});
