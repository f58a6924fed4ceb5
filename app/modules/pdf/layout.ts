/**
 * Text layout for PDFs, pure: what fits on a line is decided by the font's own metrics
 * (`widthOfTextAtSize`, as pdf-lib's PDFFont gives it), so nothing overflows a cell.
 */

export type Measure = { widthOfTextAtSize(text: string, size: number): number };

/** The longest prefix (in whole code points, at least one) of `chars` that fits in `maxWidth`. */
function fittingPrefix(chars: string[], font: Measure, size: number, maxWidth: number): number {
  let low = 1;
  let high = chars.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (font.widthOfTextAtSize(chars.slice(0, mid).join(""), size) <= maxWidth) low = mid;
    else high = mid - 1;
  }
  return low;
}

// Hyphens a compound word may break after (not U+2011, the non-breaking hyphen).
const HYPHENS = new Set(["-", "\u2010", "\u2013"]);

/** The index of the last hyphen among the first `n` characters (not the first one), or -1. */
function lastHyphen(chars: string[], n: number): number {
  for (let i = Math.min(n, chars.length - 1) - 1; i > 0; i--) if (HYPHENS.has(chars[i]!)) return i;
  return -1;
}

// Word widths at size 1, per font: shaping a string with fontkit costs about a millisecond,
// so a line is measured as the sum of its words (kerning across a space is negligible).
const wordWidths = new WeakMap<Measure, Map<string, number>>();

function wordWidth(font: Measure, word: string): number {
  let cache = wordWidths.get(font);
  if (!cache) wordWidths.set(font, (cache = new Map()));
  let width = cache.get(word);
  if (width === undefined) cache.set(word, (width = font.widthOfTextAtSize(word, 1)));
  return width;
}

/**
 * The lines `text` takes in a column `maxWidth` points wide: breaks at spaces, keeps
 * explicit newlines, and breaks a word longer than the column after one of its hyphens
 * ("Montmorency-" / "Laval"), or else cuts it where it has to (a long e-mail address, a
 * name without spaces). An empty text is one empty line.
 */
export function wrapText(text: string, font: Measure, size: number, maxWidth: number): string[] {
  const lines: string[] = [];
  const space = wordWidth(font, " ") * size;
  for (const paragraph of text.split("\n")) {
    const words = paragraph.split(" ").filter(Boolean);
    let line = "";
    let lineWidth = 0;
    for (const word of words) {
      const width = wordWidth(font, word) * size;
      if (line && lineWidth + space + width <= maxWidth) {
        line = `${line} ${word}`;
        lineWidth += space + width;
        continue;
      }
      if (line) lines.push(line);
      let rest = Array.from(word);
      if (width > maxWidth) {
        while (rest.length > 1 && font.widthOfTextAtSize(rest.join(""), size) > maxWidth) {
          const n = fittingPrefix(rest, font, size, maxWidth);
          const hyphen = lastHyphen(rest, n);
          const cut = hyphen > 0 ? hyphen + 1 : n;
          lines.push(rest.slice(0, cut).join(""));
          rest = rest.slice(cut);
        }
      }
      line = rest.join("");
      lineWidth = rest.length === Array.from(word).length ? width : font.widthOfTextAtSize(line, size);
    }
    lines.push(line);
  }
  return lines;
}

/** Column widths in points from relative weights, filling `totalWidth`. */
export function columnWidths(weights: readonly number[], totalWidth: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => (sum > 0 ? (w / sum) * totalWidth : totalWidth / weights.length));
}

/** "page 2 / 5" */
export const pageLabel = (n: number, total: number) => `page ${n} / ${total}`;

/** An ASCII slug for file names: "Sensibilisation à l'inclusion" → "sensibilisation-a-l-inclusion". */
export function fileSlug(text: string, maxLength = 60): string {
  const slug = text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[łŁ]/g, "l")
    .replace(/[æÆ]/g, "ae")
    .replace(/[œŒ]/g, "oe")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, maxLength)
    .replace(/-$/, "");
  return slug || "document";
}
