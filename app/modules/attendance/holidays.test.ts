import { describe, expect, it } from "vitest";
import { calendarDay, easterSunday, frenchPublicHolidays, isPublicHoliday, publicHolidayAt, publicHolidayOnDay } from "./holidays";

const weekday = (day: string) => new Date(`${day}T12:00:00Z`).getUTCDay(); // 0 Sunday … 6 Saturday

describe("easterSunday (Gregorian computus)", () => {
  it.each([
    [1818, "1818-03-22"], // earliest possible date
    [1943, "1943-04-25"], // latest possible date
    [2000, "2000-04-23"],
    [2008, "2008-03-23"],
    [2019, "2019-04-21"],
    [2024, "2024-03-31"],
    [2025, "2025-04-20"],
    [2026, "2026-04-05"],
    [2027, "2027-03-28"],
    [2038, "2038-04-25"],
    [2285, "2285-03-22"],
  ])("%i → %s", (year, day) => {
    expect(easterSunday(year)).toBe(day);
  });

  it("is always a Sunday between 22 March and 25 April (1583–2400)", () => {
    for (let year = 1583; year <= 2400; year++) {
      const day = easterSunday(year);
      expect(weekday(day), day).toBe(0);
      expect(day.slice(5) >= "03-22" && day.slice(5) <= "04-25", day).toBe(true);
    }
  });

  it.each([1582, 10_000, 2026.5, Number.NaN])("refuses year %s", (year) => {
    expect(() => easterSunday(year)).toThrow(RangeError);
  });
});

describe("frenchPublicHolidays", () => {
  it.each([
    [2024, "2024-04-01", "2024-05-09", "2024-05-20"],
    [2025, "2025-04-21", "2025-05-29", "2025-06-09"],
    [2026, "2026-04-06", "2026-05-14", "2026-05-25"],
    [2027, "2027-03-29", "2027-05-06", "2027-05-17"],
  ])("%i: Easter Monday %s, Ascension %s, Whit Monday %s", (year, easterMonday, ascension, whitMonday) => {
    const byName = Object.fromEntries(frenchPublicHolidays(year).map((h) => [h.name, h.day]));
    expect(byName).toEqual({
      "Jour de l'an": `${year}-01-01`,
      "Lundi de Pâques": easterMonday,
      "Fête du Travail": `${year}-05-01`,
      "Victoire 1945": `${year}-05-08`,
      Ascension: ascension,
      "Lundi de Pentecôte": whitMonday,
      "Fête nationale": `${year}-07-14`,
      Assomption: `${year}-08-15`,
      Toussaint: `${year}-11-01`,
      "Armistice 1918": `${year}-11-11`,
      Noël: `${year}-12-25`,
    });
  });

  it("lists eleven days in date order, with the Easter-based ones on the right weekdays", () => {
    for (let year = 1990; year <= 2100; year++) {
      const holidays = frenchPublicHolidays(year);
      expect(holidays).toHaveLength(11);
      expect(holidays.map((h) => h.day)).toEqual([...holidays.map((h) => h.day)].sort());
      const day = (name: string) => holidays.find((h) => h.name === name)!.day;
      expect(weekday(day("Lundi de Pâques"))).toBe(1);
      expect(weekday(day("Ascension"))).toBe(4);
      expect(weekday(day("Lundi de Pentecôte"))).toBe(1);
    }
  });

  it("adds Good Friday and 26 December in Alsace-Moselle only", () => {
    const national = frenchPublicHolidays(2026).map((h) => h.day);
    const local = frenchPublicHolidays(2026, { alsaceMoselle: true });
    expect(local).toHaveLength(13);
    expect(local.filter((h) => !national.includes(h.day))).toEqual([
      { day: "2026-04-03", name: "Vendredi saint" },
      { day: "2026-12-26", name: "Saint-Étienne" },
    ]);
    expect(frenchPublicHolidays(2025, { alsaceMoselle: true }).find((h) => h.name === "Vendredi saint")?.day).toBe("2025-04-18");
  });

  it("hands out copies: a caller changing the list does not change the next answer", () => {
    const first = frenchPublicHolidays(2026);
    first[0]!.day = "2026-06-06";
    first.pop();
    expect(frenchPublicHolidays(2026)).toHaveLength(11);
    expect(frenchPublicHolidays(2026)[0]).toEqual({ day: "2026-01-01", name: "Jour de l'an" });
  });
});

describe("publicHolidayOnDay", () => {
  it("names the holiday of a day, null otherwise", () => {
    expect(publicHolidayOnDay("2026-05-14")).toEqual({ day: "2026-05-14", name: "Ascension" });
    expect(publicHolidayOnDay("2026-05-15")).toBeNull();
    expect(publicHolidayOnDay("2026-12-26")).toBeNull();
    expect(publicHolidayOnDay("2026-12-26", { alsaceMoselle: true })?.name).toBe("Saint-Étienne");
  });

  it("refuses what is not a calendar day", () => {
    expect(() => publicHolidayOnDay("14/07/2026")).toThrow(RangeError);
  });
});

describe("isPublicHoliday decides by the Paris calendar day", () => {
  it.each([
    ["2026-07-13T22:30:00Z", true], // 00:30 on 14 July in Paris (summer, UTC+2)
    ["2026-07-13T21:59:00Z", false], // 23:59 on 13 July in Paris
    ["2026-07-14T21:30:00Z", true], // 23:30 on 14 July in Paris
    ["2026-07-14T22:00:00Z", false], // midnight, 15 July in Paris
    ["2025-12-31T23:30:00Z", true], // already New Year's Day in Paris (winter, UTC+1)
    ["2026-11-11T09:00:00Z", true],
    ["2026-03-02T08:00:00Z", false],
  ])("%s → %s", (iso, expected) => {
    expect(isPublicHoliday(new Date(iso))).toBe(expected);
  });

  it("uses another time zone when told", () => {
    const instant = new Date("2026-07-13T22:30:00Z");
    expect(calendarDay(instant)).toBe("2026-07-14");
    expect(calendarDay(instant, "UTC")).toBe("2026-07-13");
    expect(isPublicHoliday(instant, { timeZone: "UTC" })).toBe(false);
  });

  it("names the holiday, with the Alsace-Moselle flag", () => {
    expect(publicHolidayAt(new Date("2026-04-03T09:00:00Z"))).toBeNull();
    expect(publicHolidayAt(new Date("2026-04-03T09:00:00Z"), { alsaceMoselle: true })).toEqual({ day: "2026-04-03", name: "Vendredi saint" });
  });
});
