/**
 * Reading an operator's CSV of recharge codes (product, code, expiry): pure, tested
 * (code-csv.rules.test.ts). A file that cannot be read at all (encoding, header) is refused
 * as a whole; otherwise each line is accepted or rejected with its reason, in French.
 */
import { parse } from "csv-parse/sync";

export type CsvProduct = { id: string; name: string };
export type AcceptedCode = { line: number; productId: string; code: string; expiresAt: Date };
export type RejectedLine = { line: number; reason: string };
export type CodeCsvResult = { ok: true; accepted: AcceptedCode[]; rejected: RejectedLine[] } | { ok: false; error: string };

const HEADERS = {
  product: ["produit", "product", "offre"],
  code: ["code", "pin", "code pin"],
  expiry: ["expiration", "date d'expiration", "expiry", "expires", "expire le", "validite", "date de validite"],
} as const;

/** Codes are the operator's PINs: letters and digits, spaces and dashes ignored. */
export const normaliseCode = (raw: string): string => raw.replace(/[\s-]/g, "").toUpperCase();
const CODE_PATTERN = /^[0-9A-Z]{8,32}$/;

const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").trim().toLowerCase();

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

export function readCodeCsv(bytes: Uint8Array, products: readonly CsvProduct[], now: Date): CodeCsvResult {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, error: "Le fichier n'est pas encodé en UTF-8. Enregistrez-le en « CSV UTF-8 » depuis votre tableur, puis recommencez." };
  }
  text = text.replace(/^\uFEFF/, "");
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  if (!firstLine.trim()) return { ok: false, error: "Le fichier est vide." };
  const delimiter = firstLine.split(";").length > firstLine.split(",").length ? ";" : ",";

  let records: string[][];
  try {
    records = parse(text, { delimiter, skip_empty_lines: true, relax_column_count: true, trim: true });
  } catch {
    return { ok: false, error: "Le fichier n'est pas un CSV lisible (guillemets mal fermés ?)." };
  }
  const header = (records[0] ?? []).map(fold);
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
    const line = i + 1;
    const record = records[i]!;
    const productId = byName.get(fold(record[columns.product] ?? ""));
    const code = normaliseCode(record[columns.code] ?? "");
    const expiresAt = parseExpiry(record[columns.expiry] ?? "");
    let reason: string | null = null;
    if (!productId) reason = `Produit inconnu : « ${(record[columns.product] ?? "").slice(0, 40)} ».`;
    else if (!CODE_PATTERN.test(code)) reason = "Code mal formé (8 à 32 chiffres ou lettres attendus).";
    else if (!expiresAt) reason = "Date d'expiration illisible (AAAA-MM-JJ ou JJ/MM/AAAA attendu).";
    else if (expiresAt <= now) reason = "Code déjà expiré.";
    else if (seen.has(code)) reason = `Code en double dans le fichier (déjà à la ligne ${seen.get(code)}).`;
    if (reason) {
      rejected.push({ line, reason });
      continue;
    }
    seen.set(code, line);
    accepted.push({ line, productId: productId!, code, expiresAt: expiresAt! });
  }
  return { ok: true, accepted, rejected };
}
