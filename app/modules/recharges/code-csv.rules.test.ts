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
      { line: 3, reason: "Code en double dans le fichier (déjà à la ligne 2)." },
      { line: 4, reason: expect.stringMatching(/mal formé/) },
      { line: 5, reason: "Code déjà expiré." },
      { line: 6, reason: expect.stringMatching(/illisible/) },
      { line: 7, reason: expect.stringMatching(/Produit inconnu/) },
    ]);
  });

  it("refuses the whole file in a wrong encoding or without its header", () => {
    const latin1 = Uint8Array.from([...bytes("produit;code;expiration\nEssenti"), 0xe9, ...bytes("lle;11112222333344;2027-01-01\n")]);
    expect(readCodeCsv(latin1, products, now)).toEqual({ ok: false, error: expect.stringMatching(/UTF-8/) });
    expect(readCodeCsv(bytes("Essentielle;11112222333344;2027-01-01\n"), products, now)).toEqual({ ok: false, error: expect.stringMatching(/il manque/) });
    expect(readCodeCsv(bytes(""), products, now)).toEqual({ ok: false, error: "Le fichier est vide." });
  });

  it("reads an expiry as the end of that day", () => {
    expect(parseExpiry("2027-03-31")!.toISOString()).toBe("2027-03-31T22:00:00.000Z");
    expect(parseExpiry("31/03/2027")!.toISOString()).toBe("2027-03-31T22:00:00.000Z");
    expect(parseExpiry("2027-02-29")).toBeNull();
  });
});
