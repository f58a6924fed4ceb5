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
  /** Per page, its link annotations: the URI and the rectangle [x1, y1, x2, y2]. */
  links: { url: string; rect: number[] }[][];
};

export const normaliseSpaces = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, " ");

/**
 * `asCopied`: the text exactly as the PDF maps it, as a reader's copy and paste gets it. By
 * default pdf.js normalises what it extracts (a "ﬁ" ligature U+FB01 reads back as "fi").
 */
export async function readPdf(bytes: Uint8Array, options: { asCopied?: boolean } = {}): Promise<PdfText> {
  // pdf.js takes ownership of (detaches) the buffer it is given: hand it a copy.
  const doc = await getDocument({ data: new Uint8Array(bytes), verbosity: 0, isEvalSupported: false, useSystemFonts: false }).promise;
  try {
    const pages: string[][] = [];
    const links: PdfText["links"] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent({ disableNormalization: options.asCopied === true });
      pages.push(content.items.map((item) => ("str" in item ? normaliseSpaces(item.str) : "")).filter((s) => s.trim() !== ""));
      const annotations = (await page.getAnnotations()) as { subtype: string; url?: string; rect: number[] }[];
      links.push(annotations.filter((a) => a.subtype === "Link" && a.url).map((a) => ({ url: a.url!, rect: a.rect })));
    }
    const { info } = await doc.getMetadata();
    return { pageCount: doc.numPages, pages, text: pages.map((p) => p.join("\n")).join("\n"), info: info as Record<string, unknown>, links };
  } finally {
    await doc.destroy();
  }
}
