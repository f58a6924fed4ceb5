import { describe, expect, it } from "vitest";
import { SessionFormSchema } from "./sessions.schema";
import {
  capacityError,
  centsToEurosInput,
  halfDayError,
  parisDateInput,
  parisInstant,
  parisTimeInput,
  parseEurosToCents,
  placeErrors,
  priceError,
  slotErrors,
  trainerConflicts,
  type PlaceInput,
} from "./sessions.rules";

const at = (date: string, time: string) => {
  const instant = parisInstant(date, time);
  if (!instant) throw new Error(`bad test date ${date} ${time}`);
  return instant;
};
const slot = (date: string, start: string, end: string) => ({ startsAt: at(date, start), endsAt: at(date, end) });

describe("parisInstant reads Paris wall-clock time", () => {
  it.each([
    ["2026-03-02", "09:00", "2026-03-02T08:00:00.000Z"], // winter, UTC+1
    ["2026-07-15", "09:00", "2026-07-15T07:00:00.000Z"], // summer, UTC+2
    ["2026-03-29", "01:30", "2026-03-29T00:30:00.000Z"], // just before clocks go forward
    ["2026-03-29", "03:30", "2026-03-29T01:30:00.000Z"], // just after
    ["2026-10-25", "12:00", "2026-10-25T11:00:00.000Z"], // day clocks go back
  ])("%s %s → %s", (date, time, iso) => {
    expect(parisInstant(date, time)?.toISOString()).toBe(iso);
  });

  it.each([
    ["2026-02-31", "09:00"],
    ["2026-13-01", "09:00"],
    ["2026-03-02", "25:00"],
    ["2026-03-02", "09:60"],
    ["02/03/2026", "09:00"],
    ["2026-03-02", "9h"],
    ["2026-03-29", "02:30"], // does not exist in Paris
    ["", ""],
  ])("%s %s is not a time", (date, time) => {
    expect(parisInstant(date, time)).toBeNull();
  });

  it("gives back what the form showed", () => {
    const instant = at("2026-10-25", "13:30");
    expect([parisDateInput(instant), parisTimeInput(instant)]).toEqual(["2026-10-25", "13:30"]);
  });
});

describe("parseEurosToCents converts exactly, without floats", () => {
  it.each([
    ["250", 25_000],
    ["250,50", 25_050],
    ["250.5", 25_050],
    ["0,1", 10],
    ["0", 0],
    ["1 250 €", 125_000],
    ["1\u202f250,99", 125_099],
    ["0,29", 29], // 0.29 * 100 is 28.999999999999996 in floating point
    ["10000", 1_000_000],
  ])("%j → %d cents", (input, cents) => {
    expect(parseEurosToCents(input)).toBe(cents);
  });

  it.each(["", "-5", "12,345", "abc", "1e3", "12,", ",5", "250 euros", "1.000,00"])("%j is not an amount", (input) => {
    expect(parseEurosToCents(input)).toBeNull();
  });

  it.each([
    [0, null],
    [1_000_000, null],
    [1_000_001, "dépasser 10 000 €"],
    [null, "Indiquez un prix"],
  ])("price %j → %j", (cents, message) => {
    const error = priceError(cents);
    if (message === null) expect(error).toBeNull();
    else expect(error).toContain(message);
  });

  it.each([
    [25_000, "250"],
    [25_050, "250,50"],
    [5, "0,05"],
  ])("%d cents shows as %j", (cents, text) => {
    expect(centsToEurosInput(cents)).toBe(text);
    expect(parseEurosToCents(text)).toBe(cents);
  });
});

describe("capacity", () => {
  it.each([
    [1, 0, null],
    [200, 0, null],
    [12, 12, null],
    [0, 0, "entre 1 et 200"],
    [201, 0, "entre 1 et 200"],
    [2.5, 0, "entre 1 et 200"],
    [null, 0, "entre 1 et 200"],
    [10, 11, "11 places sont déjà prises"],
    [0, 1, "entre 1 et 200"],
  ] as const)("capacity %j with %d seats taken → %j", (capacity, seatsTaken, message) => {
    const error = capacityError(capacity, seatsTaken);
    if (message === null) expect(error).toBeNull();
    else expect(error).toContain(message);
  });
});

describe("a slot is a half-day", () => {
  it.each([
    ["morning 9:00–12:30", slot("2026-03-02", "09:00", "12:30"), null],
    ["afternoon 13:30–17:00", slot("2026-03-02", "13:30", "17:00"), null],
    ["exactly 1 h", slot("2026-03-02", "09:00", "10:00"), null],
    ["exactly 4 h 30", slot("2026-03-02", "13:00", "17:30"), null],
    ["morning ending at 13:00", slot("2026-03-02", "10:00", "13:00"), null],
    ["afternoon from 12:00", slot("2026-03-02", "12:00", "14:00"), null],
    ["00:00–05:00 on the day clocks go forward lasts 4 h", slot("2026-03-29", "00:00", "05:00"), null],
    ["00:00–05:00 on an ordinary day lasts 5 h", slot("2026-03-02", "00:00", "05:00"), "entre 1 h et 4 h 30"],
    ["59 minutes", slot("2026-03-02", "09:00", "09:59"), "entre 1 h et 4 h 30"],
    ["4 h 31", slot("2026-03-02", "08:00", "12:31"), "entre 1 h et 4 h 30"],
    ["across lunch 11:00–14:00", slot("2026-03-02", "11:00", "14:00"), "demi-journée"],
    ["ending before it starts", slot("2026-03-02", "12:00", "09:00"), "après l'heure de début"],
    ["ending when it starts", slot("2026-03-02", "09:00", "09:00"), "après l'heure de début"],
    ["over midnight", { startsAt: at("2026-03-02", "22:00"), endsAt: at("2026-03-03", "01:00") }, "même jour"],
  ])("%s", (_label, s, message) => {
    const error = halfDayError(s);
    if (message === null) expect(error).toBeNull();
    else expect(error).toContain(message);
  });
});

describe("the slots of a session", () => {
  const now = at("2026-03-01", "12:00");

  it.each([
    ["one future half-day", [slot("2026-03-02", "09:00", "12:30")], {}],
    ["a full day", [slot("2026-03-02", "09:00", "12:30"), slot("2026-03-02", "13:30", "17:00")], {}],
    ["back to back", [slot("2026-03-02", "09:00", "11:00"), slot("2026-03-02", "11:00", "12:30")], {}],
    ["overlapping", [slot("2026-03-02", "09:00", "12:30"), slot("2026-03-02", "12:00", "13:00")], { 1: "chevauche le créneau 1" }],
    ["the same twice", [slot("2026-03-02", "09:00", "12:30"), slot("2026-03-02", "09:00", "12:30")], { 1: "chevauche le créneau 1" }],
    ["in the past", [slot("2026-02-27", "09:00", "12:30")], { 0: "dans le passé" }],
    ["starting now", [{ startsAt: now, endsAt: at("2026-03-01", "14:00") }], { 0: "dans le passé" }],
    ["one bad among good", [slot("2026-03-02", "09:00", "12:30"), slot("2026-03-03", "11:00", "14:00")], { 1: "demi-journée" }],
  ])("%s", (_label, slots, expected: Record<number, string>) => {
    const errors = slotErrors(slots, { now });
    expect([...errors.keys()].sort()).toEqual(Object.keys(expected).map(Number));
    for (const [i, message] of Object.entries(expected)) expect(errors.get(Number(i))).toContain(message);
  });

  it("keeps a past slot unchanged from the session being edited, not a moved one", () => {
    const past = slot("2026-02-27", "09:00", "12:30");
    expect(slotErrors([past, slot("2026-03-02", "09:00", "12:30")], { now, existing: [past] }).size).toBe(0);
    const moved = slot("2026-02-27", "09:30", "12:30");
    expect(slotErrors([moved], { now, existing: [past] }).get(0)).toContain("dans le passé");
  });
});

describe("a trainer is in one place at a time", () => {
  const booked = [slot("2026-03-02", "09:00", "12:30"), slot("2026-03-04", "13:30", "17:00")];
  it.each([
    ["a free day", [slot("2026-03-03", "09:00", "12:30")], []],
    ["the same half-day", [slot("2026-03-02", "09:00", "12:30")], [0]],
    ["partly overlapping", [slot("2026-03-03", "09:00", "12:30"), slot("2026-03-04", "12:00", "14:00")], [1]],
    ["touching only", [slot("2026-03-02", "12:30", "13:30")], []],
    ["no booking at all", [], []],
  ])("%s", (_label, slots, conflicts) => {
    expect(trainerConflicts(slots, booked)).toEqual(conflicts);
  });
});

describe("what kind and format require", () => {
  const base: PlaceInput = { kind: "INTER", structureId: null, format: "IN_PERSON", address: "8 rue Saint-Jérôme", postcode: "69007", city: "Lyon", remoteUrl: null };
  it.each([
    ["an inter session in a room", {}, []],
    ["an intra session without structure", { kind: "INTRA" }, ["structureId"]],
    ["an intra session with structure", { kind: "INTRA", structureId: "s1" }, []],
    ["in person without address", { address: null, city: null, postcode: null }, ["address", "city", "postcode"]],
    ["a 4-digit postcode", { postcode: "6900" }, ["postcode"]],
    ["a postcode with letters", { postcode: "2A004" }, ["postcode"]],
    ["remote without link", { format: "REMOTE", address: null, city: null, postcode: null }, ["remoteUrl"]],
    ["remote over http", { format: "REMOTE", remoteUrl: "http://visio.exemple.fr/salle" }, ["remoteUrl"]],
    ["remote with a javascript: link", { format: "REMOTE", remoteUrl: "javascript:alert(1)" }, ["remoteUrl"]],
    ["remote over https", { format: "REMOTE", remoteUrl: "https://visio.exemple.fr/salle" }, []],
  ] as [string, Partial<PlaceInput>, string[]][])("%s", (_label, change, fields) => {
    expect(Object.keys(placeErrors({ ...base, ...change })).sort()).toEqual([...fields].sort());
  });
});

describe("the session form", () => {
  const valid = {
    moduleId: "m1",
    kind: "INTER",
    structureId: "",
    format: "IN_PERSON",
    venueName: "Maillon Lyon",
    address: "8 rue Saint-Jérôme",
    postcode: "69007",
    city: "Lyon",
    accessInfo: "",
    remoteUrl: "",
    capacity: "12",
    trainerId: "t1",
    price: "250,50",
    slot0Date: "2030-03-04",
    slot0Start: "09:00",
    slot0End: "12:30",
    slot3Date: "2030-03-04",
    slot3Start: "13:30",
    slot3End: "17:00",
  };

  it("turns the typed values into a session, ignoring empty rows and remembering each slot's row", () => {
    const result = SessionFormSchema.safeParse(valid);
    expect(result.success).toBe(true);
    if (!result.success) return;
    expect(result.data.priceCents).toBe(25_050);
    expect(result.data.capacity).toBe(12);
    expect(result.data.isFree).toBe(false);
    expect(result.data.slots.map((s) => s.row)).toEqual([0, 3]);
    expect(result.data.slots[0]?.startsAt.toISOString()).toBe("2030-03-04T08:00:00.000Z");
  });

  it("reports every problem at once, each under its field or slot row", () => {
    const result = SessionFormSchema.safeParse({ ...valid, moduleId: "", capacity: "0", price: "-3", postcode: "690", slot3End: "", slot5Date: "2030-02-30", slot5Start: "09:00", slot5End: "10:00" });
    expect(result.success).toBe(false);
    if (result.success) return;
    const fields = new Set(result.error.issues.map((i) => String(i.path[0])));
    expect([...fields].sort()).toEqual(["capacity", "moduleId", "postcode", "price", "slot3", "slot5"]);
  });

  it("asks for at least one slot", () => {
    const result = SessionFormSchema.safeParse({ ...valid, slot0Date: "", slot0Start: "", slot0End: "", slot3Date: "", slot3Start: "", slot3End: "" });
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.issues.map((i) => i.path[0])).toEqual(["slot0"]);
  });

  it("makes a free session cost nothing, with or without a price typed", () => {
    for (const price of ["", "250"]) {
      const result = SessionFormSchema.safeParse({ ...valid, price, isFree: "on" });
      expect(result.success && result.data.priceCents === 0 && result.data.isFree).toBe(true);
    }
  });

  it("drops the place of a remote session and the structure of an inter one", () => {
    const result = SessionFormSchema.safeParse({ ...valid, format: "REMOTE", remoteUrl: "https://visio.exemple.fr/a", structureId: "s1" });
    expect(result.success).toBe(true);
    if (!result.success) return;
    expect([result.data.address, result.data.city, result.data.structureId]).toEqual([null, null, null]);
  });
});
