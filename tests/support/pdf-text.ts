/**
 * Reads a generated PDF back with pdf.js (the engine Firefox uses), so tests check what a
 * reader really gets: the text of each page, as runs and as lines, and the page count.
 */
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

export type PdfText = {
  pageCount: number;
  /** Per page, the text runs in drawing order. */
  pages: string[][];
  /** Everything, one run per line, spaces of any kind turned into plain spaces. */
  text: string;
  info: Record<string, unknown>;
};

export const normaliseSpaces = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, " ");

export async function readPdf(bytes: Uint8Array): Promise<PdfText> {
  // pdf.js takes ownership of (detaches) the buffer it is given: hand it a copy.
  const doc = await getDocument({ data: new Uint8Array(bytes), verbosity: 0, isEvalSupported: false, useSystemFonts: false }).promise;
  try {
    const pages: string[][] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      pages.push(content.items.map((item) => ("str" in item ? normaliseSpaces(item.str) : "")).filter((s) => s.trim() !== ""));
    }
    const { info } = await doc.getMetadata();
    return { pageCount: doc.numPages, pages, text: pages.map((p) => p.join("\n")).join("\n"), info: info as Record<string, unknown> };
  } finally {
    await doc.destroy();
  }
}
