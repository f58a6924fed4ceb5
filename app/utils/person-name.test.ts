import { describe, expect, it } from "vitest";
import { printable, printableLetterRanges } from "~/modules/pdf/fonts.server";
import { canonicalName, checkPersonName, personNameField, PERSON_NAME_MAX, printedName } from "./person-name";
import { PRINTABLE_LETTERS } from "./printable-letters";

const accepted = (raw: string) => {
  const checked = checkPersonName(raw);
  if (!checked.ok) throw new Error(`refused ${JSON.stringify(raw)}: ${checked.message}`);
  return checked.name;
};
const refusal = (raw: string) => {
  const checked = checkPersonName(raw);
  if (checked.ok) throw new Error(`accepted ${JSON.stringify(raw)}`);
  return checked.message;
};

describe("person names", () => {
  it("accepts names in the scripts the PDFs print, with the punctuation of names", () => {
    for (const name of [
      "Zoé Martin",
      "Zoë O'Brien",
      "Jean-Baptiste d’Alembert",
      "J. R. R. Tolkien",
      "Nguyễn Thị Minh Khai",
      "Łucja Żółć-Kowalska",
      "Ольга Петрова",
      "فاطمة الزهراء",
      "王秀英",
      "佐藤 花子",
      "김민준",
      "Marie (née Dupont)",
      "Núria Puig·l",
      "Louis 14",
    ]) {
      expect(accepted(name)).toBe(name);
    }
  });

  it("stores NFC with one plain space between words", () => {
    const decomposed = "Zoe\u0301  Nguye\u0302\u0303n\u00a0\tThi\u0323\n";
    expect(decomposed.normalize("NFC")).not.toBe(decomposed);
    expect(accepted(decomposed)).toBe("Zoé Nguyễn Thị");
    expect(canonicalName(" \u2003A\u202fB ")).toBe("A B");
  });

  it("refuses bidirectional controls, naming the character", () => {
    for (const cp of [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c]) {
      const message = refusal(`Bob ${String.fromCodePoint(cp)}ecila Smith`);
      expect(message).toContain("sens d'écriture");
      expect(message).toContain(`U+${cp.toString(16).toUpperCase().padStart(4, "0")}`);
    }
  });

  it("refuses other invisible characters: zero-width, soft hyphen, controls, private use", () => {
    for (const ch of ["\u200b", "\u200d", "\u200c", "\u2060", "\u00ad", "\u0000", "\u0007", "\u007f", "\u0085", "\ue000", "\u{e0041}"]) {
      expect(refusal(`Zo${ch}é`)).toContain("caractère invisible");
    }
  });

  it("refuses emoji and symbols, quoting the whole emoji", () => {
    expect(refusal("Zoé 🌻")).toBe("Le nom ne peut contenir que des lettres, des espaces, des apostrophes, des traits d'union et des points : retirez « 🌻 ».");
    expect(refusal("Léa 👍🏽")).toContain("« 👍🏽 »");
    expect(refusal("Ana 🇫🇷")).toContain("« 🇫🇷 »");
    expect(refusal("Ana ❤️")).toContain("« ❤️ »");
    expect(refusal("Ana 1️⃣")).toContain("« 1️⃣ »");
    for (const symbol of ["★", "©", "€", "@", "<b>", "♥"]) expect(refusal(`Ana ${symbol}`)).toContain("retirez");
  });

  it("refuses letters no PDF font draws rather than printing '?'", () => {
    expect(printable("प्रिया")).toContain("?");
    expect(refusal("प्रिया")).toBe("Le caractère « प्रि » ne peut pas encore être imprimé sur les certificats : écrivez le nom en lettres latines, comme sur un passeport.");
    expect(refusal("Abebe ሰላም")).toContain("« ሰ »");
  });

  it("asks for a name when only spaces or nothing is typed, and bounds the length", () => {
    expect(checkPersonName(" \t ", "Indiquez votre nom et prénom.")).toEqual({ ok: false, message: "Indiquez votre nom et prénom." });
    expect(accepted("a".repeat(PERSON_NAME_MAX))).toHaveLength(PERSON_NAME_MAX);
    expect(refusal("a".repeat(PERSON_NAME_MAX + 1))).toBe("Le nom est trop long (200 caractères au plus).");
  });

  it("as a form field: the canonical name, or the message", () => {
    const field = personNameField("Indiquez le nom.");
    expect(field.parse("  Zoé   Martin ")).toBe("Zoé Martin");
    expect(field.safeParse(undefined).error?.issues[0]?.message).toBe("Indiquez le nom.");
    expect(field.safeParse("Zoé 🌻").error?.issues[0]?.message).toContain("« 🌻 »");
  });

  it("prints a name stored before the rule without its invisible controls, so the PDF and the pages read the same", () => {
    expect(printedName("Bob \u202Eecila\u202C Smith")).toBe("Bob ecila Smith");
    expect(printedName("Zo\u0065\u0301\u200B  Martin\u00AD")).toBe("Zoé Martin");
    expect(printedName("Anne\nMarie\tDupont")).toBe("Anne Marie Dupont");
    expect(printedName("\u2067محمد\u2069 Ali")).toBe("محمد Ali");
    // A name the rule accepts prints exactly as stored.
    expect(printedName(accepted("Łukasz Żółć"))).toBe("Łukasz Żółć");
  });

  it("accepts exactly the letters the PDF fonts draw (app/utils/printable-letters.ts is up to date)", () => {
    const ranges = printableLetterRanges()
      .map(([a, b]) => (a === b ? a.toString(16) : `${a.toString(16)}-${b.toString(16)}`))
      .join(" ");
    expect(PRINTABLE_LETTERS.trim()).toBe(ranges);
    // Every accepted name prints as typed.
    for (const name of ["Nguyễn Thị Minh Khai", "佐藤 花子", "Jean-Baptiste d’Alembert (·・׳״)"]) expect(printable(accepted(name))).toBe(name);
  });
});
