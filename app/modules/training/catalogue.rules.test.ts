import { describe, expect, it } from "vitest";
import {
  completionRate,
  formatHours,
  formatParam,
  formatPrice,
  formatRate,
  fundingChoices,
  lines,
  matchesFilters,
  parseCatalogueFilters,
  satisfactionRate,
  seatsLeft,
  sessionOpenness,
  type CatalogueFilters,
} from "./catalogue.rules";

describe("parseCatalogueFilters", () => {
  const table: [string, CatalogueFilters, number][] = [
    ["", {}, 0],
    ["ville=Lyon", { city: "Lyon" }, 0],
    ["ville=%20%20Saint-%C3%89tienne%20", { city: "Saint-Étienne" }, 0],
    ["ville=&mois=&format=", {}, 0],
    ["mois=2026-03", { month: "2026-03" }, 0],
    ["mois=2026-13", {}, 1],
    ["mois=2026-3", {}, 1],
    ["mois=mars", {}, 1],
    ["format=presentiel", { format: "IN_PERSON" }, 0],
    ["format=distance", { format: "REMOTE" }, 0],
    ["format=REMOTE", {}, 1],
    [`ville=${"x".repeat(81)}`, {}, 1],
    ["ville=Lille&mois=2026-02&format=presentiel", { city: "Lille", month: "2026-02", format: "IN_PERSON" }, 0],
    ["ville=Lille&mois=bad&format=bad", { city: "Lille" }, 2],
    ["mois=2026-03&mois=bad", { month: "2026-03" }, 0],
    ["autre=1&format=%00%FF", {}, 1],
  ];
  it.each(table)("%s → %j with %i note(s)", (query, filters, noteCount) => {
    const result = parseCatalogueFilters(new URLSearchParams(query));
    expect(result.filters).toEqual(filters);
    expect(result.notes).toHaveLength(noteCount);
  });

  it("says in French which filter was ignored, with the value cut short", () => {
    const { notes } = parseCatalogueFilters(new URLSearchParams({ mois: "x".repeat(500) }));
    expect(notes[0]).toMatch(/^Le mois « x{30}… » n'est pas reconnu/);
  });

  it("round-trips the format through the URL value", () => {
    expect(formatParam("IN_PERSON")).toBe("presentiel");
    expect(formatParam("REMOTE")).toBe("distance");
    expect(formatParam(undefined)).toBe("");
  });
});

describe("matchesFilters", () => {
  // 2026-03-31 22:30 UTC is already 1 April in Paris (summer time).
  const lyonEndOfMarch = { format: "IN_PERSON", city: "Saint-Étienne", startsAt: new Date("2026-03-31T08:00:00Z") };
  const lateNight = { format: "IN_PERSON", city: "Lyon", startsAt: new Date("2026-03-31T22:30:00Z") };
  const remote = { format: "REMOTE", city: null, startsAt: new Date("2026-03-10T08:00:00Z") };
  const table: [string, typeof lyonEndOfMarch | typeof remote, CatalogueFilters, boolean][] = [
    ["no filter", lyonEndOfMarch, {}, true],
    ["same city, other case and no accent", lyonEndOfMarch, { city: "saint etienne" }, true],
    ["other city", lyonEndOfMarch, { city: "Lyon" }, false],
    ["remote never matches a city", remote, { city: "Lyon" }, false],
    ["month in Paris time", lyonEndOfMarch, { month: "2026-03" }, true],
    ["month boundary in Paris time (UTC says March)", lateNight, { month: "2026-04" }, true],
    ["month boundary, the other side", lateNight, { month: "2026-03" }, false],
    ["format in person", lyonEndOfMarch, { format: "IN_PERSON" }, true],
    ["format remote", lyonEndOfMarch, { format: "REMOTE" }, false],
    ["remote, remote", remote, { format: "REMOTE", month: "2026-03" }, true],
  ];
  it.each(table)("%s", (_label, session, filters, expected) => {
    expect(matchesFilters(session, filters)).toBe(expected);
  });
});

describe("seatsLeft", () => {
  it.each([
    [12, 0, 12],
    [12, 11, 1],
    [12, 12, 0],
    [4, 6, 0], // capacity lowered below the seats held
  ])("capacity %i, %i taken → %i left", (capacity, seatsTaken, expected) => {
    expect(seatsLeft({ capacity, seatsTaken })).toBe(expected);
  });
});

describe("sessionOpenness", () => {
  const now = new Date("2026-05-01T10:00:00Z");
  it.each([
    ["SCHEDULED", new Date("2026-05-02T07:00:00Z"), "open"],
    ["SCHEDULED", new Date("2026-05-01T10:00:00Z"), "past"],
    ["SCHEDULED", new Date("2026-04-30T07:00:00Z"), "past"],
    ["SCHEDULED", null, "past"],
    ["CLOSED", new Date("2026-05-02T07:00:00Z"), "past"],
    ["CANCELLED", new Date("2026-05-02T07:00:00Z"), "cancelled"],
  ] as const)("%s starting %s → %s", (status, startsAt, expected) => {
    expect(sessionOpenness({ status, startsAt }, now)).toBe(expected);
  });
});

describe("fundingChoices", () => {
  it("offers the structure or an OPCO for a paid session, only free for a free one", () => {
    expect(fundingChoices(false)).toEqual([
      { value: "STRUCTURE", label: "Prise en charge par ma structure" },
      { value: "OPCO", label: "Prise en charge par un OPCO" },
    ]);
    expect(fundingChoices(true)).toEqual([{ value: "FREE", label: "Gratuit" }]);
  });
});

describe("rates", () => {
  it.each([
    [{ satisfied: 0, responses: 0 }, null],
    [{ satisfied: 6, responses: 7 }, { rate: 6 / 7, count: 6, total: 7 }],
    [{ satisfied: 0, responses: 3 }, { rate: 0, count: 0, total: 3 }],
  ])("satisfaction %j → %j", (input, expected) => {
    expect(satisfactionRate(input)).toEqual(expected);
  });

  it.each([
    [{ completed: 0, confirmed: 0 }, null],
    [{ completed: 9, confirmed: 10 }, { rate: 0.9, count: 9, total: 10 }],
    [{ completed: 3, confirmed: 2 }, { rate: 1, count: 3, total: 2 }], // re-issued certificates never make it exceed 100 %
  ])("completion %j → %j", (input, expected) => {
    expect(completionRate(input)).toEqual(expected);
  });

  it.each([
    [6 / 7, "86\u202f%"],
    [1, "100\u202f%"],
    [0, "0\u202f%"],
  ])("formats %f as %s", (rate, expected) => {
    expect(formatRate(rate)).toBe(expected);
  });
});

describe("formatting", () => {
  it.each([
    [420, "7 h"],
    [840, "14 h"],
    [90, "1 h 30"],
    [65, "1 h 05"],
    [0, "0 h"],
  ])("%i minutes → %s", (minutes, expected) => {
    expect(formatHours(minutes)).toBe(expected);
  });

  it.each([
    [25_000, false, "250\u00a0€"],
    [2_550, false, "25,50\u00a0€"],
    [120_000, false, "1\u202f200\u00a0€"],
    [25_000, true, "Gratuit"],
    [0, false, "Gratuit"],
  ])("%i cents (free: %s) → %s", (cents, isFree, expected) => {
    expect(formatPrice(cents, isFree)).toBe(expected);
  });

  it("splits one item per line, dropping blank lines", () => {
    expect(lines("Créer un compte\r\n\n  Repérer une fraude  \n")).toEqual(["Créer un compte", "Repérer une fraude"]);
  });
});
