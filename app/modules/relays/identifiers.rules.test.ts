import { describe, expect, it } from "vitest";
import { isLuhnValid, isValidRna, isValidSiret, normaliseRna, normaliseSiret, rnaProblem, siretProblem } from "./identifiers.rules";

describe("isValidSiret", () => {
  it.each([
    ["26690048900011", true, "a Luhn-valid SIRET (demo CCAS)"],
    ["79012345900014", true, "the organisation's own"],
    ["26690048900012", false, "one digit changed"],
    ["2669004890001", false, "13 digits"],
    ["266900489000111", false, "15 digits"],
    ["2669004890001A", false, "a letter"],
    ["", false, "empty"],
    ["35600000000048", true, "La Poste head office: Luhn"],
    ["35600000012346", true, "La Poste establishment: digit sum 30, a multiple of 5, not Luhn"],
    ["35600000012347", false, "La Poste establishment: digit sum 31"],
    ["35600000049999", false, "La Poste establishment: digit sum 54"],
    ["00000000000000", false, "all zeros: Luhn-valid, yet no establishment"],
    ["11111111111111", false, "one digit repeated"],
    ["55555555555555", false, "one digit repeated (digit sum a multiple of 5)"],
    ["99999999999999", false, "one digit repeated"],
  ])("%s → %s (%s)", (siret, expected) => {
    expect(isValidSiret(siret)).toBe(expected);
  });
});

describe("siretProblem for a repeated digit", () => {
  it("says plainly that the number is a placeholder", () => {
    expect(siretProblem("00000000000000")).toMatch(/même chiffre répété/);
    expect(siretProblem("26690048900011")).toBeNull();
  });
});

describe("isLuhnValid", () => {
  it.each([
    ["0", true],
    ["18", true],
    ["19", false],
    ["abc", false],
  ])("%s → %s", (digits, expected) => expect(isLuhnValid(digits)).toBe(expected));
});

describe("isValidRna", () => {
  it.each([
    ["W133024871", true],
    ["W13302487", false],
    ["W1330248711", false],
    ["w133024871", false],
    ["X133024871", false],
  ])("%s → %s", (rna, expected) => expect(isValidRna(rna)).toBe(expected));
});

describe("normalising and messages", () => {
  it("drops spaces, dots and dashes from a SIRET and upper-cases an RNA", () => {
    expect(normaliseSiret("266 900 489.000-11")).toBe("26690048900011");
    expect(normaliseRna(" w133 024871 ")).toBe("W133024871");
  });

  it.each([
    ["26690048900011", null],
    ["2669004890001", "Le SIRET compte 14 chiffres (vous en avez saisi 13)."],
    ["26690048900012", "Ce SIRET n'existe pas : vérifiez les chiffres (la clé de contrôle ne correspond pas)."],
    ["SIRET", "Le SIRET ne contient que des chiffres (14)."],
  ])("siretProblem(%s) = %s", (siret, expected) => expect(siretProblem(siret)).toBe(expected));

  it("explains the RNA format", () => {
    expect(rnaProblem("W133024871")).toBeNull();
    expect(rnaProblem("133024871")).toContain("W suivi de 9 chiffres");
  });
});
