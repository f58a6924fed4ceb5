import { describe, expect, it } from "vitest";
import { decodeText, decodeWindows1252 } from "./text-encoding";

const utf8 = (text: string) => new TextEncoder().encode(text);
// Windows-1252 bytes, written out: "Données – l’été, 5 €, œuvre".
const cp1252 = Uint8Array.from([
  0x44, 0x6f, 0x6e, 0x6e, 0xe9, 0x65, 0x73, 0x20, 0x96, 0x20, 0x6c, 0x92, 0xe9, 0x74, 0xe9, 0x2c, 0x20, 0x35, 0x20, 0x80, 0x2c, 0x20, 0x9c, 0x75, 0x76, 0x72, 0x65,
]);

describe("decodeText", () => {
  it("reads valid UTF-8 as UTF-8, with or without a byte order mark", () => {
    expect(decodeText(utf8("produit;Données été"))).toEqual({ text: "produit;Données été", encoding: "UTF-8" });
    expect(decodeText(Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8("Été")]))).toEqual({ text: "Été", encoding: "UTF-8" });
    expect(decodeText(utf8("plain ascii"))).toEqual({ text: "plain ascii", encoding: "UTF-8" });
  });

  it("reads anything else as Windows-1252, 0x80–0x9F included (typographic apostrophe, dash, euro, œ)", () => {
    expect(decodeText(cp1252)).toEqual({ text: "Données – l’été, 5 €, œuvre", encoding: "Windows-1252" });
    // An ISO-8859-1 file (no byte in 0x80–0x9F) reads the same.
    expect(decodeText(Uint8Array.from([0x45, 0x73, 0x73, 0x65, 0x6e, 0x74, 0x69, 0x65, 0x6c, 0x6c, 0x65, 0x20, 0xe0, 0x20, 0xc9, 0x76, 0x72, 0x79]))).toEqual({
      text: "Essentielle à Évry",
      encoding: "Windows-1252",
    });
    // UTF-8 cut in the middle of a character is not UTF-8.
    expect(decodeText(Uint8Array.from([0x61, 0xc3])).encoding).toBe("Windows-1252");
  });

  it("maps every byte of 0x80–0x9F as WHATWG's index does", () => {
    const all = decodeWindows1252(Uint8Array.from({ length: 32 }, (_, i) => 0x80 + i));
    expect([...all].map((c) => c.codePointAt(0)!.toString(16).toUpperCase())).toEqual(
      "20AC 81 201A 192 201E 2026 2020 2021 2C6 2030 160 2039 152 8D 17D 8F 90 2018 2019 201C 201D 2022 2013 2014 2DC 2122 161 203A 153 9D 17E 178".split(" "),
    );
  });

  it("reads UTF-16 with its byte order mark", () => {
    expect(decodeText(Uint8Array.from([0xff, 0xfe, 0x45, 0x00, 0xe9, 0x00]))).toEqual({ text: "Eé", encoding: "UTF-16LE" });
    expect(decodeText(Uint8Array.from([0xfe, 0xff, 0x00, 0x45, 0x00, 0xe9]))).toEqual({ text: "Eé", encoding: "UTF-16BE" });
  });
});
