/**
 * Reading an operator's CSV of recharge codes (product, code, expiry): pure, tested
 * (code-csv.rules.test.ts). The encoding is detected (UTF-8 or Windows-1252, see
 * ~/utils/text-encoding); a file that cannot be read at all (a workbook, no header, broken
 * quotes) is refused as a whole; otherwise each line is accepted or rejected with its reason,
 * in French, under the line number a spreadsheet shows.
 */
import { parse } from "csv-parse/sync";
import { decodeText, type TextEncodingName } from "~/utils/text-encoding";

export type CsvProduct = { id: string; name: string };
export type AcceptedCode = { line: number; productId: string; code: string; expiresAt: Date };
/** Why a line was refused; `productId` when its product was recognised (to count refusals per product). */
export type RefusalCause = "product" | "code" | "date" | "expired" | "duplicate" | "stock";
export type RejectedLine = { line: number; reason: string; cause: RefusalCause; productId?: string };
export type CodeCsvResult =
  | { ok: true; encoding: TextEncodingName; accepted: AcceptedCode[]; rejected: RejectedLine[] }
  | { ok: false; error: string };

const HEADERS = {
  product: ["produit", "product", "offre"],
  code: ["code", "pin", "code pin"],
  expiry: ["expiration", "date d'expiration", "expiry", "expires", "expire le", "validite", "date de validite"],
} as const;

/** Codes are the operator's PINs: letters and digits, spaces and dashes ignored. */
export const normaliseCode = (raw: string): string => raw.replace(/[\s-]/g, "").toUpperCase();
const CODE_PATTERN = /^[0-9A-Z]{8,32}$/;

const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").replace(/[’‘]/g, "'").trim().toLowerCase();

/** "2027-03-31" or "31/03/2027": the code is usable through that whole day (Paris), so it expires the next midnight UTC+1 at the latest. */
export function parseExpiry(raw: string): Date | null {
  const value = raw.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const fr = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(value);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : fr ? [fr[3], fr[2], fr[1]] : [];
  if (!y || !m || !d) return null;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(m) - 1 || date.getUTCDate() !== Number(d)) return null;
  // End of that day in Paris (UTC+1 or +2): 22:00 UTC is safe for both.
  return new Date(date.getTime() + 22 * 3600_000);
}

const startsWith = (bytes: Uint8Array, signature: readonly number[]) => signature.every((b, i) => bytes[i] === b);
const SPREADSHEET_FILE = "Ce fichier est un classeur Excel, pas un CSV : dans Excel, « Enregistrer sous » puis « CSV (séparateur : point-virgule) », et déposez ce fichier-là.";

// A spreadsheet writes rows it once formatted as ";;": they are empty lines too.
const hasContent = ({ record }: { record: string[] }) => record.some((field) => field !== "");

/** The file's records with the line each one starts on (1 for the header), empty lines left out. */
function readRecords(text: string, delimiter: string): { record: string[]; line: number }[] {
  const options = { delimiter, relax_column_count: true, trim: true } as const;
  // Without quotes no field spans lines, so a record's index is its line (reading with
  // `info` costs twice the time); empty lines are kept as records and skipped after.
  if (!text.includes('"')) {
    const records: string[][] = parse(text, options);
    return records.map((record, i) => ({ record, line: i + 1 })).filter(hasContent);
  }
  // `info.lines` is the line a record ends on (counted right only with "\n" line breaks: a
  // quoted "\r\n" counts twice); a field spanning lines moves the record's start back.
  const records = parse(text.replace(/\r\n?/g, "\n"), { ...options, skip_empty_lines: true, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
  return records.map(({ record, info }) => ({ record, line: info.lines - record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0) })).filter(hasContent);
}

export function readCodeCsv(bytes: Uint8Array, products: readonly CsvProduct[], now: Date): CodeCsvResult {
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0])) return { ok: false, error: SPREADSHEET_FILE };
  const { text: decoded, encoding } = decodeText(bytes);
  const text = decoded.replace(/^\uFEFF/, "");
  const firstLine = text.slice(0, text.search(/\r?\n|\r|$/));
  if (!firstLine.trim()) return { ok: false, error: "Le fichier est vide." };
  const count = (separator: string) => firstLine.split(separator).length;
  const delimiter = [";", ",", "\t"].reduce((best, d) => (count(d) > count(best) ? d : best), ";");

  let records: { record: string[]; line: number }[];
  try {
    records = readRecords(text, delimiter);
  } catch (error) {
    const line = (error as { lines?: unknown }).lines;
    return { ok: false, error: `Le fichier n'est pas un CSV lisible (guillemets mal fermés ?)${typeof line === "number" ? `, vers la ligne ${line}` : ""}.` };
  }
  const header = (records[0]?.record ?? []).map(fold);
  const column = (names: readonly string[]) => header.findIndex((h) => names.includes(h));
  const columns = { product: column(HEADERS.product), code: column(HEADERS.code), expiry: column(HEADERS.expiry) };
  const missing = [columns.product < 0 && "produit", columns.code < 0 && "code", columns.expiry < 0 && "expiration"].filter(Boolean);
  if (missing.length) {
    return { ok: false, error: `La première ligne doit nommer les colonnes « produit », « code » et « expiration » ; il manque : ${missing.join(", ")}.` };
  }

  const byName = new Map(products.map((p) => [fold(p.name), p.id]));
  const seen = new Map<string, number>();
  const accepted: AcceptedCode[] = [];
  const rejected: RejectedLine[] = [];
  for (let i = 1; i < records.length; i++) {
    const { record, line } = records[i]!;
    const productId = byName.get(fold(record[columns.product] ?? ""));
    if (!productId) {
      rejected.push({ line, cause: "product", reason: `Produit inconnu : « ${(record[columns.product] ?? "").slice(0, 40)} ».` });
      continue;
    }
    const code = normaliseCode(record[columns.code] ?? "");
    const expiresAt = parseExpiry(record[columns.expiry] ?? "");
    const refuse = (cause: RefusalCause, reason: string) => rejected.push({ line, cause, reason, productId });
    if (!CODE_PATTERN.test(code)) refuse("code", "Code mal formé (8 à 32 chiffres ou lettres attendus).");
    else if (!expiresAt) refuse("date", "Date d'expiration illisible (AAAA-MM-JJ ou JJ/MM/AAAA attendu).");
    else if (expiresAt <= now) refuse("expired", "Code déjà expiré.");
    else if (seen.has(code)) refuse("duplicate", `Code en double dans le fichier (déjà à la ligne ${seen.get(code)}).`);
    else {
      seen.set(code, line);
      accepted.push({ line, productId, code, expiresAt });
    }
  }
  return { ok: true, encoding, accepted, rejected };
}
