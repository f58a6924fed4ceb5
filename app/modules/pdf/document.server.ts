import { PDFDocument, PDFString, TextRenderingMode, popGraphicsState, pushGraphicsState, rgb, setLineWidth, setStrokingColor, setTextRenderingMode, type PDFFont, type PDFPage } from "pdf-lib";
import { embedFonts, fontRuns, printable, type FontRun, type PdfFonts } from "./fonts.server";
import { columnWidths, pageLabel, wrapText, type Measure } from "./layout";

/**
 * A document written top to bottom: a cursor moves down the page and a new page starts
 * when the next block does not fit. Every string goes through `printable`, so a name in
 * any script renders (or shows "?" for a character no font has) and never throws. Text is
 * drawn and measured in font runs: DejaVu, and the CJK fallback only where DejaVu lacks.
 */

export const A4_PORTRAIT: [number, number] = [595.28, 841.89];
export const A4_LANDSCAPE: [number, number] = [841.89, 595.28];

export const COLORS = {
  text: rgb(0.1, 0.1, 0.13),
  muted: rgb(0.36, 0.36, 0.42),
  rule: rgb(0.72, 0.73, 0.78),
  fill: rgb(0.92, 0.93, 0.96),
  accent: rgb(0.09, 0.25, 0.5),
};

const LINE_HEIGHT = 1.3;
const FOOTER_SIZE = 8;

export type TextOptions = {
  size?: number;
  bold?: boolean;
  color?: ReturnType<typeof rgb>;
  /** Left edge; default the left margin. */
  x?: number;
  /** Column width; default from `x` to the right margin. */
  width?: number;
  align?: "left" | "right";
};

export type Column = { header: string; weight: number; align?: "left" | "right" };

const RTL_CHAR = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/u;
const RTL_RUN = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF](?:[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF\s]*[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF])?/gu;

/**
 * A line split so that each right-to-left stretch (Arabic, Hebrew) is its own run. fontkit
 * shapes and orders a run by the script it detects, so "فاطمة Participant" drawn whole would
 * come out with the Latin part mirrored. Runs are placed left to right, as the bidi
 * algorithm does for a left-to-right (French) paragraph; each RTL run is ordered by fontkit.
 */
export function directionalRuns(line: string): string[] {
  if (!RTL_CHAR.test(line)) return line ? [line] : [];
  const runs: string[] = [];
  let last = 0;
  for (const match of line.matchAll(RTL_RUN)) {
    if (match.index > last) runs.push(line.slice(last, match.index));
    runs.push(match[0]);
    last = match.index + match[0].length;
  }
  if (last < line.length) runs.push(line.slice(last));
  return runs;
}

/**
 * Widths at size 1 of text runs, per font file, kept across documents: measuring shapes the
 * text with fontkit (GSUB/GPOS lookups), the largest cost of a certificate, and certificates
 * repeat the same labels, titles and words. A width scales linearly with the size. Bounded:
 * emptied past RUN_WIDTHS_MAX entries.
 */
const RUN_WIDTHS = new Map<string, number>();
const RUN_WIDTHS_MAX = 20_000;

export type DocumentInfo = { title: string; subject?: string; author: string; now: Date };

export class PdfFlow {
  readonly doc: PDFDocument;
  readonly fonts: PdfFonts;
  readonly pageSize: [number, number];
  readonly margin: number;
  page: PDFPage;
  /** The top of the free space on the current page (PDF y grows upwards). */
  y: number;
  /** Drawn at the bottom left of every page, beside "page n / N". */
  footerText = "";
  /** Widths of printable text, run by run (stable objects: the layout caches word widths by them). */
  private readonly measures: { regular: Measure; bold: Measure };

  private constructor(doc: PDFDocument, fonts: PdfFonts, pageSize: [number, number], margin: number) {
    this.doc = doc;
    this.fonts = fonts;
    this.pageSize = pageSize;
    this.margin = margin;
    this.page = doc.addPage(pageSize);
    this.y = pageSize[1] - margin;
    const measure = (bold: boolean): Measure => ({
      widthOfTextAtSize: (text, size) => fontRuns(text).reduce((width, run) => width + this.runWidth(run, bold, size), 0),
    });
    this.measures = { regular: measure(false), bold: measure(true) };
  }

  static async create(info: DocumentInfo, options: { pageSize?: [number, number]; margin?: number } = {}): Promise<PdfFlow> {
    const doc = await PDFDocument.create();
    doc.setTitle(printable(info.title), { showInWindowTitleBar: true });
    if (info.subject) doc.setSubject(printable(info.subject));
    doc.setAuthor(printable(info.author));
    doc.setCreator("Maillon");
    doc.setProducer("Maillon (pdf-lib)");
    doc.setLanguage("fr-FR");
    doc.setCreationDate(info.now);
    doc.setModificationDate(info.now);
    const fonts = await embedFonts(doc);
    return new PdfFlow(doc, fonts, options.pageSize ?? A4_PORTRAIT, options.margin ?? 42);
  }

  get left() {
    return this.margin;
  }
  get right() {
    return this.pageSize[0] - this.margin;
  }
  get contentWidth() {
    return this.right - this.left;
  }
  /** Lowest y content may reach: the footer lives below. */
  get bottom() {
    return this.margin + FOOTER_SIZE * 2.5;
  }

  font(bold = false): PDFFont {
    return bold ? this.fonts.bold : this.fonts.regular;
  }

  /** The font a run is drawn with; DejaVu when the fallback is not installed (`printable` then turned such characters into "?"). */
  private runFont(run: FontRun, bold: boolean): PDFFont {
    return (run.font === "fallback" && this.fonts.fallback()) || (run.font === "symbols" && this.fonts.symbols()) || this.font(bold);
  }

  /** Width of one run in the font it is drawn with (cached across documents, see RUN_WIDTHS). */
  private runWidth(run: FontRun, bold: boolean, size: number): number {
    const font = this.runFont(run, bold);
    const file = font === this.fonts.bold ? "bold" : font === this.fonts.regular ? "regular" : run.font;
    const key = `${file}\u0000${run.text}`;
    let width = RUN_WIDTHS.get(key);
    if (width === undefined) {
      if (RUN_WIDTHS.size >= RUN_WIDTHS_MAX) RUN_WIDTHS.clear();
      RUN_WIDTHS.set(key, (width = font.widthOfTextAtSize(run.text, 1)));
    }
    return width * size;
  }

  /** Width of a printable text, each font run measured in its own font. */
  measure(bold = false): Measure {
    return bold ? this.measures.bold : this.measures.regular;
  }

  newPage() {
    this.page = this.doc.addPage(this.pageSize);
    this.y = this.pageSize[1] - this.margin;
  }

  /** Starts a new page unless `height` points fit below the cursor. */
  ensureSpace(height: number) {
    if (this.y - height < this.bottom) this.newPage();
  }

  space(height: number) {
    this.y -= height;
  }

  /** The lines `text` takes, once made printable and wrapped to `width`. */
  lines(text: string, size: number, width: number, bold = false): string[] {
    return wrapText(text.split("\n").map(printable).join("\n"), this.measure(bold), size, width);
  }

  /** Draws one already-wrapped line with its top at `top`. */
  drawLine(line: string, top: number, options: TextOptions & { x: number; width: number }) {
    const size = options.size ?? 10;
    const bold = options.bold ?? false;
    const x = options.align === "right" ? options.x + options.width - this.measure(bold).widthOfTextAtSize(line, size) : options.x;
    this.drawRuns(this.page, line, { x, y: top - size, size, bold, color: options.color ?? COLORS.text });
  }

  /**
   * One line from its baseline start, left to right: each direction run (see
   * `directionalRuns`), cut into font runs. The fallback font has one weight: in bold text
   * its glyphs are also stroked, so a CJK name stands out as its Latin neighbours do.
   */
  private drawRuns(page: PDFPage, line: string, at: { x: number; y: number; size: number; bold: boolean; color: ReturnType<typeof rgb> }) {
    let x = at.x;
    for (const directional of directionalRuns(line)) {
      for (const run of fontRuns(directional)) {
        const font = this.runFont(run, at.bold);
        const fauxBold = at.bold && font !== this.fonts.bold;
        if (fauxBold) page.pushOperators(pushGraphicsState(), setTextRenderingMode(TextRenderingMode.FillAndOutline), setLineWidth(at.size * 0.04), setStrokingColor(at.color));
        page.drawText(run.text, { x, y: at.y, size: at.size, font, color: at.color });
        if (fauxBold) page.pushOperators(popGraphicsState());
        x += this.runWidth(run, at.bold, at.size);
      }
    }
  }

  /** Wrapped text at the cursor, continuing on the next page when it runs out of room. */
  text(text: string, options: TextOptions = {}) {
    const size = options.size ?? 10;
    const x = options.x ?? this.left;
    const width = options.width ?? this.right - x;
    for (const line of this.lines(text, size, width, options.bold)) {
      this.ensureSpace(size * LINE_HEIGHT);
      this.drawLine(line, this.y, { ...options, x, width });
      this.y -= size * LINE_HEIGHT;
    }
  }

  /**
   * `label` then `url`, wrapped like `text`, the URL a clickable link: a link annotation over
   * its part of each line it takes.
   */
  linkText(label: string, url: string, options: TextOptions = {}) {
    const size = options.size ?? 10;
    const x = options.x ?? this.left;
    const width = options.width ?? this.right - x;
    const measure = this.measure(options.bold);
    let remaining = printable(url);
    for (const line of this.lines(`${label}${url}`, size, width, options.bold)) {
      this.ensureSpace(size * LINE_HEIGHT);
      this.drawLine(line, this.y, { ...options, x, width });
      // The URL's part of the line: its longest end that starts what is left of the URL.
      let start = -1;
      for (let k = 0; remaining && k < line.length && start < 0; k++) if (remaining.startsWith(line.slice(k))) start = k;
      if (start >= 0) {
        const x1 = x + measure.widthOfTextAtSize(line.slice(0, start), size);
        const x2 = x + measure.widthOfTextAtSize(line, size);
        this.addLink(url, [x1, this.y - size * LINE_HEIGHT, x2, this.y]);
        remaining = remaining.slice(line.length - start);
      }
      this.y -= size * LINE_HEIGHT;
    }
  }

  /** A link annotation opening `url`, over the rectangle [x1, y1, x2, y2] of the current page. */
  addLink(url: string, rect: [number, number, number, number]) {
    const annotation = this.doc.context.obj({
      Type: "Annot",
      Subtype: "Link",
      Rect: rect,
      Border: [0, 0, 0],
      A: { Type: "Action", S: "URI", URI: PDFString.of(url) },
    });
    this.page.node.addAnnot(this.doc.context.register(annotation));
  }

  /** Height the text would take (to keep a block on one page). */
  textHeight(text: string, options: TextOptions = {}): number {
    const size = options.size ?? 10;
    const width = options.width ?? this.right - (options.x ?? this.left);
    return this.lines(text, size, width, options.bold).length * size * LINE_HEIGHT;
  }

  rule(color = COLORS.rule) {
    this.page.drawLine({ start: { x: this.left, y: this.y }, end: { x: this.right, y: this.y }, thickness: 0.6, color });
  }

  /**
   * A table across the content width. Rows never split across pages; the header row is
   * drawn again at the top of each new page.
   */
  table(columns: readonly Column[], rows: readonly (readonly string[])[], options: { size?: number; padding?: number } = {}) {
    const size = options.size ?? 9;
    const padding = options.padding ?? 4;
    const lineHeight = size * LINE_HEIGHT;
    const widths = columnWidths(
      columns.map((c) => c.weight),
      this.contentWidth,
    );
    const xs = widths.map((_, i) => this.left + widths.slice(0, i).reduce((a, b) => a + b, 0));
    const layout = (cells: readonly string[], bold: boolean) => {
      const wrapped = columns.map((_, i) => this.lines(cells[i] ?? "", size, widths[i]! - 2 * padding, bold));
      return { wrapped, height: Math.max(1, ...wrapped.map((l) => l.length)) * lineHeight + 2 * padding };
    };
    const header = layout(
      columns.map((c) => c.header),
      true,
    );

    const drawRow = (row: ReturnType<typeof layout>, bold: boolean) => {
      if (bold) this.page.drawRectangle({ x: this.left, y: this.y - row.height, width: this.contentWidth, height: row.height, color: COLORS.fill });
      row.wrapped.forEach((cellLines, i) =>
        cellLines.forEach((line, j) =>
          this.drawLine(line, this.y - padding - j * lineHeight, {
            x: xs[i]! + padding,
            width: widths[i]! - 2 * padding,
            size,
            bold,
            align: columns[i]!.align,
          }),
        ),
      );
      this.y -= row.height;
      this.rule();
    };

    const startPage = () => {
      this.newPage();
      drawRow(header, true);
    };

    const first = rows[0] ? layout(rows[0], false) : null;
    this.ensureSpace(header.height + (first?.height ?? 0));
    drawRow(header, true);
    rows.forEach((cells, index) => {
      const row = index === 0 && first ? first : layout(cells, false);
      if (this.y - row.height < this.bottom) startPage();
      drawRow(row, false);
    });
  }

  /** Adds "page n / N" (and the footer text) to every page, then serialises. */
  async save(): Promise<Uint8Array> {
    const pages = this.doc.getPages();
    const measure = this.measure();
    const footer = printable(this.footerText);
    pages.forEach((page, i) => {
      const label = pageLabel(i + 1, pages.length);
      const at = { y: this.margin - FOOTER_SIZE, size: FOOTER_SIZE, bold: false, color: COLORS.muted };
      const labelWidth = measure.widthOfTextAtSize(label, FOOTER_SIZE);
      this.drawRuns(page, label, { ...at, x: this.right - labelWidth });
      if (footer) {
        const [line = ""] = wrapText(footer, measure, FOOTER_SIZE, this.contentWidth - labelWidth - 16);
        this.drawRuns(page, line, { ...at, x: this.left });
      }
    });
    return this.doc.save();
  }
}
