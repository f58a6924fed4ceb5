import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import fontkit from "@pdf-lib/fontkit";
import type { PDFDocument, PDFFont } from "pdf-lib";

/**
 * The fonts every generated PDF uses: DejaVu Sans, regular and bold. pdf-lib's standard
 * fonts only know WinAnsi and throw on "ễ", "Ł" or Cyrillic; DejaVu covers Latin (French,
 * Vietnamese, Polish...), Cyrillic, Greek and Arabic letters. It has no CJK glyphs: such
 * characters are printed as "?" (see `printable`) rather than vanish or crash the build.
 *
 * The TTF files are read and parsed once per process; each document then embeds only the
 * glyphs it uses (`subset: true`), which keeps files small (a few tens of kB).
 */

export type PdfFonts = { regular: PDFFont; bold: PDFFont };

const FONT_FILES = { regular: "DejaVuSans.ttf", bold: "DejaVuSans-Bold.ttf" } as const;
export const MISSING_GLYPH = "?";

type FontkitFont = ReturnType<typeof fontkit.create>;

type LoadedFonts = {
  regular: Uint8Array;
  bold: Uint8Array;
  /** Code points both faces can draw. */
  charset: Set<number>;
  /** pdf-lib's fontkit hook, answering with the already-parsed fonts. */
  fontkit: typeof fontkit;
};

let loaded: LoadedFonts | null = null;

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

function loadFonts(): LoadedFonts {
  if (loaded) return loaded;
  const dir = fontDirectory();
  const regular = new Uint8Array(readFileSync(path.join(dir, FONT_FILES.regular)));
  const bold = new Uint8Array(readFileSync(path.join(dir, FONT_FILES.bold)));
  const parsed = new Map<Uint8Array, FontkitFont>([
    [regular, parseShared(regular)],
    [bold, parseShared(bold)],
  ]);
  const boldSet = new Set(parsed.get(bold)!.characterSet);
  const charset = new Set(parsed.get(regular)!.characterSet.filter((cp) => boldSet.has(cp)));
  // Shaping text on a freshly parsed font is slow (its glyph and layout caches are cold), so
  // every document gets the same parsed fonts back for our own bytes; other bytes are parsed.
  const sharingFontkit = { ...fontkit, create: (data: Uint8Array, name?: string) => parsed.get(data) ?? fontkit.create(data, name) };
  loaded = { regular, bold, charset, fontkit: sharingFontkit as typeof fontkit };
  return loaded;
}

/**
 * A parsed font that documents can share. fontkit caches one glyph object per glyph id,
 * holding the characters it was first met for, and pdf-lib builds each document's
 * ToUnicode map (copy-paste, search, screen readers) from those. Subsetting one document
 * creates the components of accented letters without characters (Cyrillic "О" is drawn
 * with Latin "O"), so a later document would get "O" unmapped. Creating every mapped
 * glyph up front, with its character, prevents that.
 */
function parseShared(bytes: Uint8Array): FontkitFont {
  const font = fontkit.create(bytes);
  for (const cp of font.characterSet) font.glyphForCodePoint(cp);
  return font;
}

export async function embedFonts(doc: PDFDocument): Promise<PdfFonts> {
  const fonts = loadFonts();
  doc.registerFontkit(fonts.fontkit);
  const [regular, bold] = await Promise.all([
    doc.embedFont(fonts.regular, { subset: true }),
    doc.embedFont(fonts.bold, { subset: true }),
  ]);
  return { regular, bold };
}

// Spaces the layout turns into plain spaces (tabs, line separators); newlines are the caller's.
const SPACE_LIKE = /[\t\v\f\u2028\u2029]/g;
// Invisible format characters (zero-width joiners, bidi marks) are dropped, not shown as "?".
const FORMAT_CHARS = /\p{Cf}/gu;

/**
 * The text as the fonts can draw it, on one line: NFC-composed (a decomposed "ễ" becomes
 * the single glyph DejaVu has), control characters removed, and every character without
 * a glyph (CJK, emoji...) replaced by a visible "?".
 */
export function printable(text: string): string {
  const { charset } = loadFonts();
  let out = "";
  for (const ch of text.normalize("NFC").replace(/\r?\n|\r/g, " ").replace(SPACE_LIKE, " ").replace(FORMAT_CHARS, "")) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) continue;
    out += charset.has(cp) ? ch : MISSING_GLYPH;
  }
  return out;
}

