import { describe, expect, it, vi } from "vitest";
import { readPdf } from "../../../tests/support/pdf-text";
import { PdfFlow } from "./document.server";
import { FALLBACK_FONT_FILE, MISSING_GLYPH, printable } from "./fonts.server";

/** A server without the `fonts-droid-fallback` package: PDFs still build, CJK shows as "?". */
vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  return { ...fs, existsSync: (file: string) => file !== FALLBACK_FONT_FILE && fs.existsSync(file) };
});

describe("without the fallback font", () => {
  it("prints a visible '?' for each CJK character and draws the rest", async () => {
    expect(printable("王秀英 Wang")).toBe(`${MISSING_GLYPH.repeat(3)} Wang`);
    const pdf = await PdfFlow.create({ title: "Essai", author: "Maillon", now: new Date("2026-03-01T00:00:00Z") });
    pdf.text("王秀英 Wang — Ольга", { bold: true });
    const read = await readPdf(await pdf.save());
    expect(read.pages[0]).toContain("??? Wang — Ольга");
  });
});
