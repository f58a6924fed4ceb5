/**
 * Which encoding an uploaded text file (a spreadsheet's CSV) is in, and its text. The rule is
 * simple on purpose (decision 019):
 * - a UTF-16 byte order mark → UTF-16 (Excel's « Texte Unicode »);
 * - bytes that are valid UTF-8, with or without a byte order mark → UTF-8;
 * - anything else → Windows-1252, what French Excel writes by default (« CSV (séparateur :
 *   point-virgule) »). It is a superset of ISO-8859-1's printable characters, so Latin-1
 *   files read the same.
 * Text in Windows-1252 that is also valid UTF-8 needs pairs like « Ã© » on every accent: real
 * French text never does that.
 *
 * Windows-1252 is decoded here, not by `TextDecoder("windows-1252")`: since Node 20.18.3 that
 * decoder reads bytes 0x80–0x9F as Latin-1 control characters (nodejs/node#60888), so « ’ »,
 * « œ », « – » and « € », all common in French spreadsheets, came out wrong.
 */
export type TextEncodingName = "UTF-8" | "UTF-16LE" | "UTF-16BE" | "Windows-1252";
export type DecodedText = { text: string; encoding: TextEncodingName };

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder("utf-16le").decode(bytes), encoding: "UTF-16LE" };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder("utf-16be").decode(bytes), encoding: "UTF-16BE" };
  try {
    // The decoder drops a leading byte order mark itself.
    return { text: utf8.decode(bytes), encoding: "UTF-8" };
  } catch {
    return { text: decodeWindows1252(bytes), encoding: "Windows-1252" };
  }
}

// WHATWG's index for bytes 0x80–0x9F (the five it leaves as C1 controls keep their code point).
const WINDOWS_1252_HIGH =
  "\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F" +
  "\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178";

/**
 * Every other byte is the code point of the same value (ISO-8859-1). Whether the platform's
 * decoder is right or reads 0x80–0x9F as Latin-1, only the table's characters are left to fix.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  return new TextDecoder("windows-1252")
    .decode(bytes)
    .replace(/[\u0080-\u009F]/g, (c) => WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80]!);
}

/** How the preview names the encoding it read, in French. */
export const ENCODING_LABELS: Record<TextEncodingName, string> = {
  "UTF-8": "UTF-8",
  "UTF-16LE": "UTF-16 (« Texte Unicode »)",
  "UTF-16BE": "UTF-16 (« Texte Unicode »)",
  "Windows-1252": "Windows-1252 (ISO-8859-1, celui d'Excel par défaut)",
};
