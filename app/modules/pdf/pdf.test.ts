import fontkit from "@pdf-lib/fontkit";
import { PDFDict, PDFDocument, PDFName, PDFRawStream, decodePDFRawStream } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { readPdf } from "../../../tests/support/pdf-text";
import { A4_LANDSCAPE, PdfFlow } from "./document.server";
import { MISSING_GLYPH, fontRuns, printable } from "./fonts.server";
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
  it("keeps Chinese, Japanese and Korean (the fallback font draws them)", () => {
    expect(printable("王秀英 — 佐藤 花子、さとう — 김민준")).toBe("王秀英 — 佐藤 花子、さとう — 김민준");
  });
  it("keeps emoji (the symbol font draws them), dropping their variation selectors", () => {
    expect(printable("Zoé 🌻 ❤️ 👍🏽")).toBe("Zoé 🌻 ❤ 👍🏽");
  });
  it("shows a visible '?' for characters no font has", () => {
    expect(printable("Wang 𓀀 🥲")).toBe(`Wang ${MISSING_GLYPH} ${MISSING_GLYPH}`);
  });
});

describe("fontRuns", () => {
  it("keeps text DejaVu draws in one run", () => {
    expect(fontRuns("Nguyễn Thị — Ольга — فاطمة")).toEqual([{ text: "Nguyễn Thị — Ольга — فاطمة", font: "dejavu" }]);
  });
  it("gives the fallback what DejaVu lacks, spaces staying with the run they follow", () => {
    expect(fontRuns("Anna 李小龍 佐藤 (2026)")).toEqual([
      { text: "Anna ", font: "dejavu" },
      { text: "李小龍 佐藤 ", font: "fallback" },
      { text: "(2026)", font: "dejavu" },
    ]);
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
    // Droid builds many ideographs from others ("匠" holds "匚"): same check.
    for (const text of ["Ольга Петрова Öztürk", "Zoë O'Brien-Dupont", "匠 王秀英", "匚"]) {
      const pdf = await PdfFlow.create({ title: text, author: "Maillon", now: new Date() });
      pdf.text(text);
      pdf.text(text, { bold: true });
      const read = await readPdf(await pdf.save());
      expect(read.pages[0]!.filter((run) => run === text)).toHaveLength(2);
    }
  });
});

describe("PdfFlow with the CJK fallback", () => {
  const create = () => PdfFlow.create({ title: "Essai", author: "Maillon", now: new Date("2026-03-01T00:00:00Z") });
  /** The embedded (composite) fonts of a saved PDF, without the number pdf-lib appends. */
  const fontNames = async (pdf: Uint8Array) => {
    const doc = await PDFDocument.load(pdf);
    return doc.context
      .enumerateIndirectObjects()
      .map(([, object]) => object)
      .filter((object): object is PDFDict => object instanceof PDFDict && object.get(PDFName.of("Subtype")) === PDFName.of("Type0"))
      .map((font) => font.get(PDFName.of("BaseFont"))!.toString().replace(/^\/|-\d+$/g, ""))
      .sort();
  };

  it("measures CJK in the fallback font: one em a character, not DejaVu's missing-glyph box", async () => {
    const pdf = await create();
    expect(pdf.measure().widthOfTextAtSize("王秀英", 10)).toBeCloseTo(30, 5);
    const mixed = pdf.measure().widthOfTextAtSize("Wang 王秀英", 10);
    expect(mixed).toBeCloseTo(pdf.font().widthOfTextAtSize("Wang ", 10) + 30, 5);
  });

  it("wraps a line mixing Latin and CJK by the width of each run", async () => {
    const pdf = await create();
    const text = "Atelier 数字包容 pour 王秀英 et 김민준, puis 佐藤花子さんと一緒に学ぶデジタル包摂の実践講座 en fin de journée";
    const width = 120;
    const lines = pdf.lines(text, 10, width);
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(pdf.measure().widthOfTextAtSize(line, 10)).toBeLessThanOrEqual(width);
    // Spaces are where lines break; the long CJK stretch is cut between characters.
    expect(lines.join("").replace(/\s+/g, "")).toBe(text.replace(/\s+/g, ""));
    pdf.text(text, { width });
    const read = await readPdf(await pdf.save());
    expect(read.pages[0]!.join("").replace(/\s+/g, "")).toContain(text.replace(/\s+/g, ""));
  });

  it("embeds the fallback font only in documents that need it, in bold and regular text alike", async () => {
    const latin = await create();
    latin.text("Nguyễn Thị Minh Khai — Ольга — فاطمة", { bold: true });
    expect(await fontNames(await latin.save())).toEqual(["DejaVuSans", "DejaVuSans-Bold"]);

    const cjk = await create();
    cjk.text("王秀英", { bold: true });
    cjk.footerText = "Session 김민준";
    const bytes = await cjk.save();
    expect(await fontNames(bytes)).toEqual(["DejaVuSans", "DejaVuSans-Bold", "DroidSansFallback"]);
    const read = await readPdf(bytes);
    expect(read.pages[0]).toContain("王秀英");
    expect(read.pages[0]).toContain("김민준");
  });

  it("embeds a subset whose glyphs keep their outlines", async () => {
    const pdf = await create();
    // Odd-length glyphs in the font: a subset written unpadded shifts every glyph after one.
    const text = "王秀英 佐藤花子 김민준 匠匚 東京 鈴木一郎";
    pdf.text(text);
    const doc = await PDFDocument.load(await pdf.save());
    const descriptor = doc.context
      .enumerateIndirectObjects()
      .map(([, object]) => object)
      .find((object): object is PDFDict => object instanceof PDFDict && String(object.get(PDFName.of("FontName"))).includes("DroidSansFallback"))!;
    const file = doc.context.lookup(descriptor.get(PDFName.of("FontFile2"))) as PDFRawStream;
    const subset = fontkit.create(Buffer.from(decodePDFRawStream(file).decode()));
    // The subset holds each character's glyph in order of first use, then the components of
    // composite ones: all drawn, but the space.
    const chars = [...new Set(text)];
    expect(subset.numGlyphs).toBeGreaterThan(chars.length);
    for (let id = 1; id < subset.numGlyphs; id++) {
      expect(subset.getGlyph(id).path.toSVG(), `glyph ${id} (${chars[id - 1] ?? "component"})`).toMatch(chars[id - 1] === " " ? /^$/ : /^M.*Z$/);
    }
  });
});
