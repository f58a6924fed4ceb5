import { describe, expect, it } from "vitest";
import { readPdf } from "../../../tests/support/pdf-text";
import { A4_LANDSCAPE, PdfFlow } from "./document.server";
import { MISSING_GLYPH, printable } from "./fonts.server";
import { columnWidths, fileSlug, pageLabel, wrapText, type Measure } from "./layout";

/** One point per character: easy to reason about widths. */
const mono: Measure = { widthOfTextAtSize: (text, size) => Array.from(text).length * size };

describe("wrapText", () => {
  it("breaks at spaces, never past the width", () => {
    expect(wrapText("Nguyễn Thị Minh Khai", mono, 1, 10)).toEqual(["Nguyễn Thị", "Minh Khai"]);
    for (const line of wrapText("un deux trois quatre cinq six sept", mono, 2, 24)) expect(mono.widthOfTextAtSize(line, 2)).toBeLessThanOrEqual(24);
  });

  it("keeps explicit newlines and empty text as one empty line", () => {
    expect(wrapText("a\nb c", mono, 1, 10)).toEqual(["a", "b c"]);
    expect(wrapText("", mono, 1, 10)).toEqual([""]);
  });

  it("cuts a word longer than the column without splitting a character", () => {
    const lines = wrapText("x adresse.tres.longue@exemple.test", mono, 1, 8);
    expect(lines.join("")).toBe("xadresse.tres.longue@exemple.test");
    expect(lines.every((l) => Array.from(l).length <= 8)).toBe(true);
    expect(wrapText("😀😀😀", mono, 1, 2)).toEqual(["😀😀", "😀"]);
  });
});

describe("small helpers", () => {
  it("shares the width by weight", () => {
    expect(columnWidths([1, 3], 100)).toEqual([25, 75]);
  });
  it("labels pages and slugs file names", () => {
    expect(pageLabel(2, 5)).toBe("page 2 / 5");
    expect(fileSlug("Sensibilisation à l'inclusion numérique — Łódź")).toBe("sensibilisation-a-l-inclusion-numerique-lodz");
    expect(fileSlug("王秀英")).toBe("document");
  });
});

describe("printable", () => {
  it("keeps what DejaVu draws, composes decomposed letters, drops control characters", () => {
    expect(printable("Nguyễn Thị Minh Khai")).toBe("Nguyễn Thị Minh Khai");
    expect(printable("Ольга — Ελένη — فاطمة")).toBe("Ольга — Ελένη — فاطمة");
    expect(printable("Nguye\u0302\u0303n")).toBe("Nguyễn");
    expect(printable("a\u0007b\u200Bc\nd")).toBe("abc d");
  });
  it("shows a visible '?' for characters the font lacks", () => {
    expect(printable("王秀英 Wang")).toBe(`${MISSING_GLYPH.repeat(3)} Wang`);
  });
});

describe("PdfFlow", () => {
  it("repeats the table header on each page and numbers the pages", async () => {
    const pdf = await PdfFlow.create({ title: "Essai", author: "Maillon", now: new Date("2026-03-01T00:00:00Z") }, { pageSize: A4_LANDSCAPE });
    pdf.table(
      [
        { header: "Nom", weight: 2 },
        { header: "Montant", weight: 1, align: "right" },
      ],
      Array.from({ length: 80 }, (_, i) => [`Personne ${i + 1}`, `${i + 1},00 €`]),
    );
    const read = await readPdf(await pdf.save());
    expect(read.pageCount).toBeGreaterThan(2);
    read.pages.forEach((page, i) => {
      expect(page[0]).toBe("Nom");
      expect(page).toContain(pageLabel(i + 1, read.pageCount));
    });
    for (let i = 1; i <= 80; i++) expect(read.pages.flat().filter((run) => run === `Personne ${i}`)).toHaveLength(1);
  });

  it("keeps text readable across documents sharing the parsed fonts", async () => {
    // Subsetting "Ольга" creates Latin "O" as a component: a later "O" must still read back.
    for (const text of ["Ольга Петрова Öztürk", "Zoë O'Brien-Dupont"]) {
      const pdf = await PdfFlow.create({ title: text, author: "Maillon", now: new Date() });
      pdf.text(text);
      pdf.text(text, { bold: true });
      const read = await readPdf(await pdf.save());
      expect(read.pages[0]!.filter((run) => run === text)).toHaveLength(2);
    }
  });
});
