/**
 * The code import's limits and what its preview tells staff: pure, tested
 * (code-import.rules.test.ts).
 */
import { spreadsheetCsv } from "~/utils/csv";
import type { RejectedLine } from "./code-csv.rules";

export const CODE_IMPORT_PATH = "/admin/recharges/import";
/** The file size the page announces (about 250,000 codes). */
export const CODE_IMPORT_MAX_FILE_BYTES = 10 * 1024 * 1024;
export const CODE_IMPORT_MAX_FILE_LABEL = "10 Mo";
/** The request around the file: multipart boundaries, part headers, the other fields. */
export const CODE_IMPORT_MAX_BODY_BYTES = CODE_IMPORT_MAX_FILE_BYTES + 64 * 1024;
/** The import route's body limit (server/body-limit.ts), and its answer when a file is over it. */
export const codeImportUpload = {
  path: CODE_IMPORT_PATH,
  maxBytes: CODE_IMPORT_MAX_BODY_BYTES,
  tooLarge: `Le fichier dépasse ${CODE_IMPORT_MAX_FILE_LABEL}, la taille la plus grande qu'un import accepte : découpez-le en plusieurs fichiers (environ 250 000 codes chacun au plus) et importez-les l'un après l'autre.`,
};
/** Refused lines listed on the page; the downloadable report has them all. */
export const SHOWN_REFUSALS = 200;
/** A preview can be confirmed, and its report downloaded, this long; then its files are swept. */
export const PENDING_IMPORT_TTL_MS = 3600_000;

const DAY_MS = 86_400_000;

export type ImportProduct = { id: string; name: string; minValidityDays: number };
export type ProductImportSummary = {
  productId: string;
  name: string;
  /** Codes that would be imported. */
  count: number;
  /** Of those, codes with less than the product's minimal validity left: imported but never issued. */
  shortLived: number;
  minValidityDays: number;
  /** Lines of this product refused because the code has already expired. */
  expired: number;
};

/** Per product, in the products' order: what would be imported and what expires too soon. */
export function summariseByProduct(
  products: readonly ImportProduct[],
  accepted: readonly { productId: string; expiresAt: Date }[],
  rejected: readonly RejectedLine[],
  now: Date,
): ProductImportSummary[] {
  const rows = new Map(products.map((p) => [p.id, { productId: p.id, name: p.name, count: 0, shortLived: 0, minValidityDays: p.minValidityDays, expired: 0 }]));
  const limits = new Map(products.map((p) => [p.id, now.getTime() + p.minValidityDays * DAY_MS]));
  for (const a of accepted) {
    const row = rows.get(a.productId)!;
    row.count++;
    if (a.expiresAt.getTime() <= limits.get(a.productId)!) row.shortLived++;
  }
  for (const r of rejected) if (r.cause === "expired" && r.productId) rows.get(r.productId)!.expired++;
  return [...rows.values()].filter((row) => row.count > 0 || row.expired > 0);
}

const plural = (n: number, one: string, many: string) => `${n.toLocaleString("fr-FR")} ${n > 1 ? many : one}`;

/** The warning shown for a product before staff confirm, or null when none of its codes expires too soon. */
export function expiryWarning(row: ProductImportSummary): string | null {
  const parts: string[] = [];
  if (row.shortLived > 0)
    parts.push(
      `${plural(row.shortLived, "code expire", "codes expirent")} dans moins de ${plural(row.minValidityDays, "jour", "jours")} (la validité minimale du produit) : ${row.shortLived > 1 ? "ils seront importés mais jamais délivrés" : "il sera importé mais jamais délivré"}`,
    );
  if (row.expired > 0) parts.push(`${plural(row.expired, "code est déjà expiré : il est refusé", "codes sont déjà expirés : ils sont refusés")}`);
  return parts.length ? `${parts.join(" ; ")}.` : null;
}

/** The full list of refused lines, for a spreadsheet. */
export function refusalReportCsv(rejected: readonly RejectedLine[], productNames: ReadonlyMap<string, string>): string {
  return spreadsheetCsv([["ligne", "produit", "raison"], ...rejected.map((r) => [r.line, (r.productId && productNames.get(r.productId)) || "", r.reason])]);
}

/** "lot décembre.csv" → "lignes-refusees-lot décembre.csv": the report's name tells which file it is about. */
export function refusalReportFilename(filename: string): string {
  return `lignes-refusees-${filename.replace(/\.csv$/i, "")}.csv`;
}
