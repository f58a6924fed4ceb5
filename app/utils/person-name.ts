import { z } from "zod";
import { PRINTABLE_LETTERS } from "./printable-letters";

/**
 * The one rule for a person's name, wherever it is typed (sign-up, profile, staff, relay
 * applications, signatures, the organisation's signatory): what is stored is what every
 * surface shows, the web pages, the PDFs and the signed certificate (decision 027).
 * - It is stored in NFC, spaces of any kind made one plain space, trimmed.
 * - Invisible format and control characters are refused, bidirectional controls first
 *   (U+202E makes "Bob ecila" read "Bob alice" on a web page and not on a PDF).
 * - Only letters, combining marks, digits, spaces and the punctuation of names are accepted
 *   (no emoji or symbol: a legal name has none), and only letters the PDF fonts draw, so a
 *   name never prints "?".
 * Pure, so forms and servers share it.
 */
export const PERSON_NAME_MAX = 200;

/** Apostrophes, hyphens, dots, commas, parentheses, middle dots (Catalan "l·l", katakana "・"), Hebrew geresh. */
const NAME_PUNCTUATION = new Set(["'", "’", "‘", "-", "‐", "‑", ".", ",", "(", ")", "·", "・", "׳", "״"]);

const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
// Format (Cf), controls (Cc), private use (Co), unassigned (Cn), lone surrogates (Cs).
const INVISIBLE = /[\p{Cf}\p{Cc}\p{Co}\p{Cn}\p{Cs}]/u;
const STRIPPED = new RegExp(`${BIDI_CONTROLS.source}|${INVISIBLE.source}`, "gu");
const NAME_CHAR = /^[\p{L}\p{Mn}\p{Mc}\p{Nd}]$/u;
// Variation selectors are marks that turn a character into an emoji ("❤️").
const VARIATION_SELECTOR = /[\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/u;
const SPACES = /[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/gu;

const printableRanges: [number, number][] = PRINTABLE_LETTERS.trim()
  .split(" ")
  .map((part) => {
    const [a, b = a] = part.split("-");
    return [Number.parseInt(a!, 16), Number.parseInt(b!, 16)];
  });

function printableLetter(cp: number): boolean {
  let low = 0;
  let high = printableRanges.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const [a, b] = printableRanges[mid]!;
    if (cp < a) high = mid - 1;
    else if (cp > b) low = mid + 1;
    else return true;
  }
  return false;
}

/** NFC, runs of spaces (tabs, newlines, no-break spaces...) made one space, trimmed. */
export function canonicalName(raw: string): string {
  return raw.normalize("NFC").replace(SPACES, " ").trim();
}

/**
 * The form of an already stored name that certificates print and sign: canonical, with
 * the invisible and bidirectional controls taken out (names stored before the rule held
 * could carry them), so the PDF, the web pages and the signature read the same letters.
 */
export function printedName(stored: string): string {
  return canonicalName(canonicalName(stored).replace(STRIPPED, ""));
}

const codeOf = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;

/** The whole visible character around `index` ("👍🏽", not "👍"), to quote in a message. */
function graphemeAt(text: string, index: number): string {
  for (const { segment, index: start } of new Intl.Segmenter("fr", { granularity: "grapheme" }).segment(text)) {
    if (index >= start && index < start + segment.length) return segment;
  }
  return text.slice(index, index + 2);
}

export type NameCheck = { ok: true; name: string } | { ok: false; message: string };

/**
 * Checks a typed name and gives its canonical form. `missing` is the message for an empty
 * one (each form says whose name it wants).
 */
export function checkPersonName(raw: string, missing = "Indiquez le nom et le prénom."): NameCheck {
  const name = canonicalName(raw);
  if (!name) return { ok: false, message: missing };
  const bidi = BIDI_CONTROLS.exec(name);
  if (bidi) {
    return {
      ok: false,
      message: `Le nom contient un caractère invisible qui change le sens d'écriture (${codeOf(bidi[0])}), souvent arrivé par un copier-coller : le nom se lirait autrement sur le certificat. Effacez le champ et retapez le nom au clavier.`,
    };
  }
  const invisible = INVISIBLE.exec(name);
  if (invisible) {
    return {
      ok: false,
      message: `Le nom contient un caractère invisible (${codeOf(invisible[0])}), souvent arrivé par un copier-coller. Effacez le champ et retapez le nom au clavier.`,
    };
  }
  let index = 0;
  for (const ch of name) {
    const cp = ch.codePointAt(0)!;
    if (ch !== " " && !NAME_PUNCTUATION.has(ch)) {
      if (!NAME_CHAR.test(ch) || VARIATION_SELECTOR.test(ch)) {
        return {
          ok: false,
          message: `Le nom ne peut contenir que des lettres, des espaces, des apostrophes, des traits d'union et des points : retirez « ${graphemeAt(name, index)} ».`,
        };
      }
      if (!printableLetter(cp)) {
        return {
          ok: false,
          message: `Le caractère « ${graphemeAt(name, index)} » ne peut pas encore être imprimé sur les certificats : écrivez le nom en lettres latines, comme sur un passeport.`,
        };
      }
    }
    index += ch.length;
  }
  if (name.length > PERSON_NAME_MAX) return { ok: false, message: `Le nom est trop long (${PERSON_NAME_MAX} caractères au plus).` };
  return { ok: true, name };
}

/** A form field holding a person's name: checked by `checkPersonName`, parsed to its canonical form. */
export const personNameField = (missing: string) =>
  z.preprocess(
    (v) => (typeof v === "string" ? v : ""),
    z.string().transform((raw, ctx) => {
      const checked = checkPersonName(raw, missing);
      if (checked.ok) return checked.name;
      ctx.addIssue({ code: "custom", message: checked.message });
      return z.NEVER;
    }),
  );
