import { describe, expect, it } from "vitest";
import { departmentOf, isNear, rankByPostcode } from "./directory.rules";

const relays = [
  { name: "CCAS de Lyon", postcode: "69007", city: "Lyon" },
  { name: "CHRS de Villeurbanne", postcode: "69100", city: "Villeurbanne" },
  { name: "Association de Saint-Étienne", postcode: "42000", city: "Saint-Étienne" },
  { name: "France Services de Lille", postcode: "59000", city: "Lille" },
  { name: "CCAS de Saint-Denis (La Réunion)", postcode: "97400", city: "Saint-Denis" },
  { name: "Sans adresse", postcode: null, city: null },
];
const names = (search: string) => rankByPostcode(relays, search).map((r) => r.name);

describe("rankByPostcode", () => {
  it.each([
    ["", ["Sans adresse", "Association de Saint-Étienne", "France Services de Lille", "CCAS de Lyon", "CHRS de Villeurbanne", "CCAS de Saint-Denis (La Réunion)"]],
    // Beyond the département, the closest numbers: 59000 is nearer 69100 than 42000 is.
    ["69100", ["CHRS de Villeurbanne", "CCAS de Lyon", "France Services de Lille", "Association de Saint-Étienne", "CCAS de Saint-Denis (La Réunion)", "Sans adresse"]],
    ["69", ["CCAS de Lyon", "CHRS de Villeurbanne", "Association de Saint-Étienne", "CCAS de Saint-Denis (La Réunion)", "France Services de Lille", "Sans adresse"]],
    ["69008", ["CCAS de Lyon", "CHRS de Villeurbanne", "France Services de Lille", "Association de Saint-Étienne", "CCAS de Saint-Denis (La Réunion)", "Sans adresse"]],
    ["97410", ["CCAS de Saint-Denis (La Réunion)", "CHRS de Villeurbanne", "CCAS de Lyon", "France Services de Lille", "Association de Saint-Étienne", "Sans adresse"]],
  ])("search %j → %j", (search, expected) => {
    expect(names(search)).toEqual(expected);
  });

  it("puts the typed city first, accents and case ignored, then its département", () => {
    expect(names("saint etienne")[0]).toBe("Association de Saint-Étienne");
    expect(names("VILLEURBANNE").slice(0, 2)).toEqual(["CHRS de Villeurbanne", "CCAS de Lyon"]);
  });

  it.each([
    ["69007", "69", true],
    ["69007", "69100", true],
    ["59000", "69100", false],
    ["69007", "lyon", true],
    ["69007", "", false],
  ])("isNear(%s, %j) = %s", (postcode, search, expected) => {
    expect(isNear({ name: "x", postcode, city: "Lyon" }, search)).toBe(expected);
  });

  it.each([
    ["69007", "69"],
    ["97411", "974"],
    ["2A004", "2A"],
  ])("departmentOf(%s) = %s", (postcode, expected) => expect(departmentOf(postcode)).toBe(expected));
});
