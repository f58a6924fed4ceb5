import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import fontkit from "@pdf-lib/fontkit";
import { CustomFontSubsetEmbedder, PDFFont, type PDFDocument } from "pdf-lib";

/**
 * The fonts every generated PDF uses: DejaVu Sans, regular and bold, then a fallback for
 * what DejaVu lacks. pdf-lib's standard fonts only know WinAnsi and throw on "ễ", "Ł" or
 * Cyrillic; DejaVu covers Latin (French, Vietnamese, Polish...), Cyrillic, Greek and Arabic
 * letters. It has no CJK glyphs: those are drawn with Droid Sans Fallback (Debian package
 * `fonts-droid-fallback`, one weight: Chinese, Japanese kana, Korean Hangul), embedded
 * into a document only once a text of it needs it (decision 014). Emoji and symbols are
 * drawn, in black, with Symbola (Debian package `fonts-symbola`), loaded the same way
 * (decision 027). Without those packages, or for a character no font has, a visible "?" is
 * printed (see `printable`) rather than the text vanishing or the build crashing.
 *
 * The font files are read and parsed once per process; each document then embeds only the
 * glyphs it uses (`subset: true`), which keeps files small (a few tens of kB).
 */

export type PdfFonts = {
  regular: PDFFont;
  bold: PDFFont;
  /** The fallback font, embedded into the document on first call; null when not installed. */
  fallback(): PDFFont | null;
  /** The symbol font (emoji, in black), likewise. */
  symbols(): PDFFont | null;
};

const FONT_FILES = { regular: "DejaVuSans.ttf", bold: "DejaVuSans-Bold.ttf" } as const;
export const FALLBACK_FONT_FILE = "/usr/share/fonts-droid-fallback/truetype/DroidSansFallback.ttf";
export const SYMBOL_FONT_FILE = "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf";
/**
 * Ligatures off: with them "fi" is drawn, and so copied, as "ﬁ" (U+FB01), and a copied
 * verification URL or word no longer matches. Arabic joining uses other features (init,
 * medi, fina, rlig), which stay on.
 */
const FONT_FEATURES = { liga: false };
export const MISSING_GLYPH = "?";

type FontkitFont = ReturnType<typeof fontkit.create>;
type LoadedFont = { bytes: Uint8Array; charset: Set<number> };

// Parsed fonts by their bytes: pdf-lib's fontkit hook answers with these (see `sharingFontkit`).
const parsed = new Map<Uint8Array, FontkitFont>();

/**
 * pdf-lib's fontkit hook. Shaping text on a freshly parsed font is slow (its glyph and layout
 * caches are cold), so every document gets the same parsed fonts back for our own bytes;
 * other bytes are parsed.
 */
const sharingFontkit = { ...fontkit, create: (data: Uint8Array, name?: string) => parsed.get(data) ?? fontkit.create(data, name) } as typeof fontkit;

let dejavu: { regular: Uint8Array; bold: Uint8Array; charset: Set<number> } | null = null;
let fallback: LoadedFont | null | undefined;
let symbols: LoadedFont | null | undefined;

/**
 * The font folder of the `dejavu-fonts-ttf` package, found through Node's resolution from
 * this module (works from the Vite server build in build/server and from vitest on the
 * sources), then from the working directory as a fallback.
 */
function fontDirectory(): string {
  const bases = [import.meta.url, path.join(process.cwd(), "package.json")];
  for (const base of bases) {
    try {
      const pkg = createRequire(base).resolve("dejavu-fonts-ttf/package.json");
      return path.join(path.dirname(pkg), "ttf");
    } catch {
      // try the next base
    }
  }
  throw new Error("The dejavu-fonts-ttf package is not installed: PDFs cannot be generated.");
}

function loadDejaVu() {
  if (dejavu) return dejavu;
  const dir = fontDirectory();
  const regular = new Uint8Array(readFileSync(path.join(dir, FONT_FILES.regular)));
  const bold = new Uint8Array(readFileSync(path.join(dir, FONT_FILES.bold)));
  const regularFont = parseShared(regular);
  const boldSet = new Set(parseShared(bold).characterSet);
  dejavu = { regular, bold, charset: new Set(regularFont.characterSet.filter((cp) => boldSet.has(cp))) };
  return dejavu;
}

/** The fallback font, read and parsed on the first character DejaVu lacks; null if not installed. */
function loadFallback(): LoadedFont | null {
  if (fallback === undefined) fallback = loadFontFile(FALLBACK_FONT_FILE);
  return fallback;
}

/** The symbol font, read and parsed on the first character neither DejaVu nor the fallback has. */
function loadSymbols(): LoadedFont | null {
  if (symbols === undefined) symbols = loadFontFile(SYMBOL_FONT_FILE);
  return symbols;
}

function loadFontFile(file: string): LoadedFont | null {
  if (!existsSync(file)) return null;
  const bytes = new Uint8Array(readFileSync(file));
  return { bytes, charset: new Set(parseShared(bytes).characterSet) };
}

/**
 * A parsed font that documents can share. fontkit caches one glyph object per glyph id,
 * holding the characters it was first met for, and pdf-lib builds each document's
 * ToUnicode map (copy-paste, search, screen readers) from those. Subsetting one document
 * creates the components of composite glyphs without characters (Cyrillic "О" is drawn
 * with Latin "O"; most Droid ideographs are built from components), so a later document
 * would get such a glyph unmapped. Creating every mapped glyph up front, with its
 * character, prevents that.
 */
function parseShared(bytes: Uint8Array): FontkitFont {
  const font = fontkit.create(bytes);
  for (const cp of font.characterSet) font.glyphForCodePoint(cp);
  padGlyphsInSubsets(font);
  memoiseLayout(font);
  parsed.set(bytes, font);
  return font;
}

// fontkit's own Buffer class (not Node's) holds the glyph data.
type GlyphDataClass = { alloc(size: number): Uint8Array; concat(list: Uint8Array[]): Uint8Array };
type SubsetInternals = { glyf: Uint8Array[]; offset: number; _addGlyph(gid: number): number };

/**
 * fontkit (@pdf-lib/fontkit 1.1.1) writes a small subset's `loca` table in the short format,
 * offsets halved, but copies each glyph's data unpadded: with a font holding odd-length
 * glyphs (Droid Sans Fallback has thousands; DejaVu none) every later glyph is shifted and
 * viewers draw it blank. Padding each glyph to an even length, as the format expects, fixes
 * it; a test reads an embedded subset back to check.
 */
function padGlyphsInSubsets(font: FontkitFont) {
  const createSubset = font.createSubset.bind(font);
  font.createSubset = () => {
    const subset = createSubset();
    const internals = subset as unknown as SubsetInternals;
    const addGlyph = internals._addGlyph.bind(subset);
    internals._addGlyph = (gid) => {
      const index = addGlyph(gid);
      const data = internals.glyf[index]!;
      if (data.length % 2 === 1) {
        const Data = data.constructor as unknown as GlyphDataClass;
        internals.glyf[index] = Data.concat([data, Data.alloc(1)]);
        internals.offset += 1;
      }
      return index;
    };
    return subset;
  };
}

const LAYOUT_CACHE_SIZE = 20_000;

/**
 * Shaping a text (fontkit's `layout`: substitutions, positioning, Arabic joining) is most of
 * a certificate's drawing time, and a session's certificates draw the same labels, titles
 * and paragraphs. pdf-lib asks for the same text twice (width, then encoding) and only reads
 * the glyphs, which the shared font already holds one object each: the run is kept, by text
 * and features, for every document. Bounded; cleared when full.
 */
function memoiseLayout(font: FontkitFont): void {
  const shape = font.layout.bind(font);
  const runs = new Map<string, ReturnType<FontkitFont["layout"]>>();
  font.layout = ((text: string, features?: unknown, ...rest: unknown[]) => {
    if (rest.some((r) => r !== undefined)) return shape(text, features as never, ...(rest as []));
    const key = `${JSON.stringify(features ?? null)}\u0000${text}`;
    let run = runs.get(key);
    if (!run) {
      if (runs.size >= LAYOUT_CACHE_SIZE) runs.clear();
      runs.set(key, (run = shape(text, features as never)));
    }
    return run;
  }) as FontkitFont["layout"];
}

export async function embedFonts(doc: PDFDocument): Promise<PdfFonts> {
  const fonts = loadDejaVu();
  doc.registerFontkit(sharingFontkit);
  const [regular, bold] = await Promise.all([
    doc.embedFont(fonts.regular, { subset: true, features: FONT_FEATURES }),
    doc.embedFont(fonts.bold, { subset: true, features: FONT_FEATURES }),
  ]);
  let embedded: PDFFont | null | undefined;
  let embeddedSymbols: PDFFont | null | undefined;
  return {
    regular,
    bold,
    fallback: () => (embedded !== undefined ? embedded : (embedded = embedFallback(doc, loadFallback()))),
    symbols: () => (embeddedSymbols !== undefined ? embeddedSymbols : (embeddedSymbols = embedFallback(doc, loadSymbols()))),
  };
}

/**
 * Embeds the fallback font synchronously, as `doc.embedFont` would (its only await is on
 * fontkit's parse, which the shared parse makes immediate): text is laid out and drawn
 * synchronously, and the need for the fallback is only known then.
 */
function embedFallback(doc: PDFDocument, font: LoadedFont | null): PDFFont | null {
  if (!font) return null;
  // pdf-lib 1.17 (pinned): the subset embedder's constructor and the document's font list are
  // private; `doc.save()` embeds every font of that list.
  type Embedder = new (font: FontkitFont, bytes: Uint8Array, name: undefined, features: typeof FONT_FEATURES) => Parameters<typeof PDFFont.of>[2];
  const Embedder = CustomFontSubsetEmbedder as unknown as Embedder;
  const pdfFont = PDFFont.of(doc.context.nextRef(), doc, new Embedder(parsed.get(font.bytes)!, font.bytes, undefined, FONT_FEATURES));
  (doc as unknown as { fonts: PDFFont[] }).fonts.push(pdfFont);
  return pdfFont;
}

// Spaces the layout turns into plain spaces (tabs, line separators); newlines are the caller's.
const SPACE_LIKE = /[\t\v\f\u2028\u2029]/g;
// Invisible format characters (zero-width joiners, bidi marks) and emoji variation selectors
// are dropped, not shown as "?".
const FORMAT_CHARS = /[\p{Cf}\uFE0E\uFE0F]/gu;

/**
 * The letters, marks and digits the fonts draw, as code point ranges (gaps holding no such
 * character are bridged). Person names are checked against a copy of this list made by
 * `scripts/printable-letters.ts` (`app/utils/printable-letters.ts`), so a name accepted at
 * input never prints "?"; a test keeps the copy equal to this.
 */
export function printableLetterRanges(): [number, number][] {
  const ranges: [number, number][] = [];
  const nameChar = /^[\p{L}\p{M}\p{Nd}]$/u;
  for (let cp = 0; cp < 0x110000; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const ch = String.fromCodePoint(cp);
    if (!nameChar.test(ch)) continue;
    if (!inDejaVu(cp) && !inFallback(cp)) continue;
    const last = ranges[ranges.length - 1];
    if (last && bridgeable(last[1], cp, nameChar)) last[1] = cp;
    else ranges.push([cp, cp]);
  }
  return ranges;
}

function bridgeable(from: number, to: number, nameChar: RegExp): boolean {
  for (let cp = from + 1; cp < to; cp++) if (!(cp >= 0xd800 && cp <= 0xdfff) && nameChar.test(String.fromCodePoint(cp))) return false;
  return true;
}

/** Whether DejaVu, or else the fallback font, or else the symbol font (each loaded on first need), draws the code point. */
const inDejaVu = (cp: number) => loadDejaVu().charset.has(cp);
const inFallback = (cp: number) => loadFallback()?.charset.has(cp) ?? false;
const inSymbols = (cp: number) => loadSymbols()?.charset.has(cp) ?? false;

/**
 * The text as the fonts can draw it, on one line: NFC-composed (a decomposed "ễ" becomes
 * the single glyph DejaVu has), control characters removed, and every character that
 * no font has (CJK without the fallback, emoji without the symbol font) replaced by a
 * visible "?".
 */
export function printable(text: string): string {
  let out = "";
  for (const ch of text.normalize("NFC").replace(/\r?\n|\r/g, " ").replace(SPACE_LIKE, " ").replace(FORMAT_CHARS, "")) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) continue;
    out += inDejaVu(cp) || inFallback(cp) || inSymbols(cp) ? ch : MISSING_GLYPH;
  }
  return out;
}

/** A stretch of text drawn with one font: DejaVu, the (CJK) fallback, or the symbol font. */
export type FontRun = { text: string; font: "dejavu" | "fallback" | "symbols" };

const fontOf = (cp: number): FontRun["font"] => (inDejaVu(cp) ? "dejavu" : inFallback(cp) ? "fallback" : inSymbols(cp) ? "symbols" : "dejavu");

/**
 * A printable text cut into runs, each drawn with the first font that has its characters
 * (DejaVu, then the fallback, then the symbol font). Text DejaVu draws whole, the common
 * case, is one run. A space stays in the run it follows (every font has one), so "佐藤 花子"
 * is one run and reads back as one word pair rather than three pieces.
 */
export function fontRuns(text: string): FontRun[] {
  const runs: FontRun[] = [];
  for (const ch of text) {
    const font = ch === " " && runs.length > 0 ? runs[runs.length - 1]!.font : fontOf(ch.codePointAt(0)!);
    const last = runs[runs.length - 1];
    if (last && last.font === font) last.text += ch;
    else runs.push({ text: ch, font });
  }
  return runs;
}
