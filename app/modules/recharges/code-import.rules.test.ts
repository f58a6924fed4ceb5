import { describe, expect, it } from "vitest";
import { expiryWarning, refusalReportCsv, refusalReportFilename, summariseByProduct, type ProductImportSummary } from "./code-import.rules";

const now = new Date("2026-12-07T10:00:00Z");
const day = (n: number) => new Date(now.getTime() + n * 86_400_000);
const products = [
  { id: "a", name: "Forfait A", minValidityDays: 7 },
  { id: "b", name: "Forfait B", minValidityDays: 30 },
  { id: "c", name: "Forfait C", minValidityDays: 7 },
];

describe("summariseByProduct", () => {
  it("counts per product the codes to import, those under the product's own margin, and the expired refusals", () => {
    const accepted = [
      { productId: "a", expiresAt: day(3) },
      { productId: "a", expiresAt: day(7) }, // exactly at the margin: too short
      { productId: "a", expiresAt: day(8) },
      { productId: "b", expiresAt: day(20) }, // fine for A's margin, short for B's
    ];
    const rejected = [
      { line: 9, cause: "expired" as const, productId: "b", reason: "Code expiré." },
      { line: 10, cause: "product" as const, reason: "Produit inconnu." },
    ];
    expect(summariseByProduct(products, accepted, rejected, now)).toEqual([
      { productId: "a", name: "Forfait A", count: 3, shortLived: 2, minValidityDays: 7, expired: 0 },
      { productId: "b", name: "Forfait B", count: 1, shortLived: 1, minValidityDays: 30, expired: 1 },
    ]);
  });
});

describe("expiryWarning", () => {
  const row = (shortLived: number, expired: number): ProductImportSummary => ({ productId: "a", name: "A", count: 5, shortLived, minValidityDays: 7, expired });
  it.each([
    [0, 0, null],
    [1, 0, "1 code expire dans moins de 7 jours (la validité minimale du produit) : il sera importé mais jamais délivré."],
    [2, 0, "2 codes expirent dans moins de 7 jours (la validité minimale du produit) : ils seront importés mais jamais délivrés."],
    [0, 1, "1 code est déjà expiré : il est refusé."],
    [1, 3, "1 code expire dans moins de 7 jours (la validité minimale du produit) : il sera importé mais jamais délivré ; 3 codes sont déjà expirés : ils sont refusés."],
  ])("%i short-lived, %i expired", (shortLived, expired, expected) => {
    expect(expiryWarning(row(shortLived, expired))).toBe(expected);
  });
});

describe("the refusal report", () => {
  it("is a spreadsheet CSV with the product's name, and formulas neutralised", () => {
    const csv = refusalReportCsv(
      [
        { line: 2, cause: "code", productId: "a", reason: "Code invalide : « =HYPERLINK() »." },
        { line: 3, cause: "product", reason: "Produit inconnu : « x; y »." },
        { line: 4, cause: "duplicate", productId: "f", reason: "Code en double." },
      ],
      new Map([["a", "Forfait A"], ["f", "=cmd|' /C calc'!A0"]]),
    );
    expect(csv).toBe(`\uFEFFligne;produit;raison\r\n2;Forfait A;Code invalide : « =HYPERLINK() ».\r\n3;;"Produit inconnu : « x; y »."\r\n4;'=cmd|' /C calc'!A0;Code en double.\r\n`);
  });
  it("is named after the file it is about", () => {
    expect(refusalReportFilename("lot décembre.CSV")).toBe("lignes-refusees-lot décembre.csv");
    expect(refusalReportFilename("codes")).toBe("lignes-refusees-codes.csv");
  });
});
