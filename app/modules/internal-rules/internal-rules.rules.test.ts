import { describe, expect, it } from "vitest";
import { RULES_MIN_CHARS, checkRulesBody, normaliseRulesText, parseRulesText, rulesVersionLabel, staleBaseError } from "./internal-rules.rules";
import { DEMO_INTERNAL_RULES } from "../../../prisma/demo-internal-rules";

const long = (text: string) => `${text}\n\n${"Texte du règlement. ".repeat(Math.ceil(RULES_MIN_CHARS / 20))}`;

describe("parseRulesText", () => {
  it("reads titles, subtitles, lists and paragraphs, and keeps markup as plain text", () => {
    const blocks = parseRulesText("# Règlement\r\n\r\n## Article 1\nUne ligne\nqui continue.\n\n- un\n- deux\n  suite\n\n<script>alert(1)</script>");
    expect(blocks).toEqual([
      { kind: "title", text: "Règlement" },
      { kind: "subtitle", text: "Article 1" },
      { kind: "paragraph", text: "Une ligne qui continue." },
      { kind: "list", items: ["un", "deux suite"] },
      { kind: "paragraph", text: "<script>alert(1)</script>" },
    ]);
  });

  it("drops control characters", () => expect(normaliseRulesText("a\u0000b\u0007c\t")).toBe("abc"));

  it("the demo text covers what R6352-1 to R6352-15 ask", () => {
    const titles = parseRulesText(DEMO_INTERNAL_RULES).filter((b) => b.kind === "subtitle").map((b) => (b.kind === "subtitle" ? b.text : ""));
    for (const word of ["Hygiène et sécurité", "Discipline", "Sanctions", "Droits de la défense", "Représentation des stagiaires"]) {
      expect(titles.some((t) => t.includes(word))).toBe(true);
    }
    expect(DEMO_INTERNAL_RULES).toContain("500 heures");
  });
});

describe("checkRulesBody: what a new version may be", () => {
  it.each([
    ["", /Écrivez le texte/],
    ["Trop court.", /trop court/],
    ["x".repeat(70_000), /trop long/],
  ])("%#: refused", (text, error) => {
    const result = checkRulesBody(text, null);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(error);
  });

  it("refuses a text identical to the version in force, even with other line endings", () => {
    const body = long("# Règlement");
    const result = checkRulesBody(body.replace(/\n/g, "\r\n") + "  ", { number: 2, body: normaliseRulesText(body) });
    expect(result).toEqual({ ok: false, error: "Ce texte est identique à la version 2, en vigueur : il n'y a rien à enregistrer." });
  });

  it("accepts a changed text, normalised", () => {
    const result = checkRulesBody(long("# Règlement\r\n"), { number: 1, body: "ancien" });
    expect(result.ok && result.body.includes("\r")).toBe(false);
  });
});

describe("staleBaseError: a save is based on the version in force", () => {
  const current = { number: 3, createdByName: "Aïcha Benali", createdAt: new Date("2026-12-01T10:00:00Z") };
  it("accepts the first version from 0, and the next from the one in force", () => {
    expect(staleBaseError(0, null)).toBeNull();
    expect(staleBaseError(3, current)).toBeNull();
  });
  it("refuses a form written from an older version, naming who published since", () => {
    expect(staleBaseError(2, current)).toMatch(/La version 3 a été enregistrée par Aïcha Benali le 1 décembre 2026/);
    expect(staleBaseError(1, null)).toMatch(/rechargez la page/);
  });
  it("labels a version", () => expect(rulesVersionLabel(current)).toBe("version 3 du 1 décembre 2026"));
});
