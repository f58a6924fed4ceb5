import { describe, expect, it } from "vitest";
import { parseExpiry, readCodeCsv } from "./code-csv.rules";

const products = [{ id: "p-ess", name: "Essentielle" }, { id: "p-int", name: "Internet" }];
const now = new Date("2026-11-30T10:00:00Z");
const bytes = (text: string) => new TextEncoder().encode(text);

describe("readCodeCsv", () => {
  it("accepts ; or , with French or English headers, accents and a BOM", () => {
    const semi = readCodeCsv(bytes("\uFEFFProduit;Code;Expiration\nessentielle;1234 5678 9012 34;2027-03-31\nInternet;ABCD-EFGH-1234;31/01/2027\n"), products, now);
    expect(semi).toMatchObject({ ok: true, rejected: [] });
    expect(semi.ok && semi.accepted.map((a) => [a.productId, a.code])).toEqual([["p-ess", "12345678901234"], ["p-int", "ABCDEFGH1234"]]);
    const comma = readCodeCsv(bytes("product,code,expiry\r\nInternet,99998888777766,2027-01-31\r\n"), products, now);
    expect(comma.ok && comma.accepted).toHaveLength(1);
  });

  it("rejects lines with their reason: duplicates, bad format, past expiry, unknown product", () => {
    const r = readCodeCsv(
      bytes(["produit;code;expiration", "Essentielle;11112222333344;2027-01-01", "Essentielle;1111-2222-3333-44;2027-02-01", "Essentielle;12;2027-01-01", "Essentielle;55556666777788;2026-11-01", "Essentielle;55556666777799;2027-02-30", "Forfait;55556666777700;2027-01-01"].join("\n")),
      products,
      now,
    );
    if (!r.ok) throw new Error(r.error);
    expect(r.accepted.map((a) => a.line)).toEqual([2]);
    expect(r.rejected).toEqual([
      { line: 3, cause: "duplicate", productId: "p-ess", reason: "Code en double dans le fichier (déjà à la ligne 2)." },
      { line: 4, cause: "code", productId: "p-ess", reason: expect.stringMatching(/mal formé/) },
      { line: 5, cause: "expired", productId: "p-ess", reason: "Code déjà expiré." },
      { line: 6, cause: "date", productId: "p-ess", reason: expect.stringMatching(/illisible/) },
      { line: 7, cause: "product", reason: "Produit inconnu : « Forfait »." },
    ]);
  });

  it("reads a file French Excel saved (Windows-1252, semicolons, CRLF, typographic apostrophe) and says so", () => {
    const named = [...products, { id: "p-ete", name: "Forfait l’été – 5 €" }];
    const cp1252 = Uint8Array.from([
      ...bytes("Produit;Code;Date d"), 0x92, ...bytes("expiration\r\n"),
      ...bytes("Forfait l"), 0x92, 0xe9, 0x74, 0xe9, 0x20, 0x96, 0x20, 0x35, 0x20, 0x80, ...bytes(";11112222333344;31/03/2027\r\n"),
    ]);
    const r = readCodeCsv(cp1252, named, now);
    expect(r).toMatchObject({ ok: true, encoding: "Windows-1252", rejected: [] });
    expect(r.ok && r.accepted.map((a) => [a.line, a.productId])).toEqual([[2, "p-ete"]]);
    expect(readCodeCsv(bytes("produit;code;expiration\nEssentielle;11112222333344;2027-01-01\n"), products, now)).toMatchObject({ ok: true, encoding: "UTF-8" });
  });

  it("numbers lines as the spreadsheet does: empty lines and « ;; » rows skipped but counted, quoted fields over two lines", () => {
    const plain = readCodeCsv(bytes("produit;code;expiration\r\n\r\nEssentielle;12;2027-01-01\r\n;;\r\nForfait;11112222333344;2027-01-01\r\n"), products, now);
    expect(plain.ok && plain.rejected.map((r) => r.line)).toEqual([3, 5]);
    const quoted = readCodeCsv(bytes('produit;code;expiration\r\n"Essen\r\ntielle";12;2027-01-01\r\n\r\n"Forfait";11112222333344;2027-01-01\r\n'), products, now);
    expect(quoted.ok && quoted.rejected.map((r) => r.line)).toEqual([2, 5]);
  });

  it("refuses the whole file when it is a workbook, has no header, is empty or has broken quotes", () => {
    expect(readCodeCsv(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]), products, now)).toEqual({ ok: false, error: expect.stringMatching(/classeur Excel/) });
    expect(readCodeCsv(bytes("Essentielle;11112222333344;2027-01-01\n"), products, now)).toEqual({ ok: false, error: expect.stringMatching(/il manque/) });
    expect(readCodeCsv(bytes(""), products, now)).toEqual({ ok: false, error: "Le fichier est vide." });
    expect(readCodeCsv(bytes('produit;code;expiration\nEssentielle;"1111;2027-01-01\n'), products, now)).toEqual({ ok: false, error: expect.stringMatching(/guillemets mal fermés \?\), vers la ligne 2\./) });
  });

  it("separates by tabs in a UTF-16 file (Excel's « Texte Unicode »)", () => {
    const text = "produit\tcode\texpiration\r\nInternet\t99998888777766\t2027-01-31\r\n";
    const utf16 = Uint8Array.from([0xff, 0xfe, ...[...text].flatMap((c) => [c.charCodeAt(0), 0])]);
    const r = readCodeCsv(utf16, products, now);
    expect(r).toMatchObject({ ok: true, encoding: "UTF-16LE", rejected: [] });
    expect(r.ok && r.accepted).toHaveLength(1);
  });

  it("reads an expiry as the end of that day", () => {
    expect(parseExpiry("2027-03-31")!.toISOString()).toBe("2027-03-31T22:00:00.000Z");
    expect(parseExpiry("31/03/2027")!.toISOString()).toBe("2027-03-31T22:00:00.000Z");
    expect(parseExpiry("2027-02-29")).toBeNull();
  });
});
