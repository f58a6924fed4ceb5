import { describe, expect, it } from "vitest";
import { buildCalendar, escapeText, foldLine, formatUtc, unfold } from "./ics";

describe("escapeText", () => {
  it.each([
    ["plain", "plain"],
    ["a, b; c", "a\\, b\\; c"],
    ["back\\slash", "back\\\\slash"],
    ["two\nlines\r\nthree", "two\\nlines\\nthree"],
  ])("%j → %j", (input, expected) => expect(escapeText(input)).toBe(expected));
});

describe("foldLine", () => {
  it("leaves a short line alone", () => expect(foldLine("SUMMARY:court")).toBe("SUMMARY:court"));

  it("folds at 75 octets and never splits a UTF-8 character", () => {
    const line = `DESCRIPTION:${"é".repeat(60)}${"王".repeat(30)}${"x".repeat(50)}`;
    const folded = foldLine(line);
    const physical = folded.split("\r\n");
    expect(physical.length).toBeGreaterThan(2);
    for (const [i, part] of physical.entries()) {
      expect(Buffer.byteLength(part, "utf8")).toBeLessThanOrEqual(75);
      if (i > 0) expect(part.startsWith(" ")).toBe(true);
      expect(part).not.toContain("\uFFFD");
    }
    expect(folded.replace(/\r\n /g, "")).toBe(line);
  });
});

describe("buildCalendar", () => {
  const ics = buildCalendar({
    dtstamp: new Date("2026-02-01T12:00:00.123Z"),
    events: [
      {
        uid: "e1-s1@maillon.test",
        startsAt: new Date("2026-03-02T08:00:00Z"),
        endsAt: new Date("2026-03-02T11:30:00Z"),
        summary: "Sensibilisation, niveau 1; partie 1",
        location: "8 rue Saint-Jérôme, 69007 Lyon",
        description: "Programme :\n- Panorama\n- Mises en situation",
      },
      { uid: "e1-s2@maillon.test", startsAt: new Date("2026-03-02T12:30:00Z"), endsAt: new Date("2026-03-02T16:00:00Z"), summary: "Partie 2" },
    ],
  });

  it("uses CRLF everywhere and ends with one", () => {
    expect(ics.endsWith("\r\n")).toBe(true);
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  });

  it("has the calendar frame, one VEVENT per slot, UTC times, UID and DTSTAMP", () => {
    const lines = unfold(ics);
    expect(lines[0]).toBe("BEGIN:VCALENDAR");
    expect(lines).toContain("VERSION:2.0");
    expect(lines).toContain("METHOD:PUBLISH");
    expect(lines.at(-1)).toBe("END:VCALENDAR");
    expect(lines.filter((l) => l === "BEGIN:VEVENT")).toHaveLength(2);
    expect(lines.filter((l) => l === "DTSTAMP:20260201T120000Z")).toHaveLength(2);
    expect(lines).toContain("DTSTART:20260302T080000Z");
    expect(lines).toContain("DTEND:20260302T160000Z");
    expect(lines).toContain("UID:e1-s2@maillon.test");
    expect(lines).toContain("SUMMARY:Sensibilisation\\, niveau 1\\; partie 1");
    expect(lines).toContain("LOCATION:8 rue Saint-Jérôme\\, 69007 Lyon");
    expect(lines).toContain("DESCRIPTION:Programme :\\n- Panorama\\n- Mises en situation");
  });

  it("formats UTC instants without separators or milliseconds", () => {
    expect(formatUtc(new Date("2026-10-25T01:30:05.999Z"))).toBe("20261025T013005Z");
  });
});

describe("a convocation as an iTIP request, parsed back by ical.js", () => {
  const event = (sequence: number, startsAt: string) => ({
    uid: "enrolment-1@maillon.test",
    sequence,
    startsAt: new Date(startsAt),
    endsAt: new Date(new Date(startsAt).getTime() + 3.5 * 3600_000),
    summary: "Sensibilisation",
  });
  const request = (sequence: number, startsAt: string) =>
    buildCalendar({
      dtstamp: new Date("2026-02-01T12:00:00Z"),
      method: "REQUEST",
      organizer: { name: 'Association "Maillon"; Lyon', email: "formation@maillon.test" },
      attendee: { name: "Zoé Ngô", email: "zoe@example.test" },
      events: [event(sequence, startsAt)],
    });

  it("has METHOD:REQUEST, ORGANIZER and ATTENDEE, and the same UID with a higher SEQUENCE after a change", async () => {
    const ICAL = (await import("ical.js")).default;
    const read = (ics: string) => {
      const calendar = new ICAL.Component(ICAL.parse(ics));
      const vevent = calendar.getFirstSubcomponent("vevent")!;
      return { calendar, vevent, e: new ICAL.Event(vevent) };
    };
    const first = read(request(0, "2026-03-02T08:00:00Z"));
    const changed = read(request(1, "2026-03-09T08:00:00Z"));
    expect(first.calendar.getFirstPropertyValue("method")).toBe("REQUEST");
    const organizer = first.vevent.getFirstProperty("organizer")!;
    expect(organizer.getFirstValue()).toBe("mailto:formation@maillon.test");
    expect(organizer.getParameter("cn")).toBe("Association Maillon; Lyon");
    expect(first.vevent.getFirstProperty("attendee")!.getFirstValue()).toBe("mailto:zoe@example.test");
    expect(changed.e.uid).toBe(first.e.uid);
    expect(first.e.sequence).toBe(0);
    expect(changed.e.sequence).toBe(1);
    expect(changed.e.startDate.toJSDate().toISOString()).toBe("2026-03-09T08:00:00.000Z");
  });
});
