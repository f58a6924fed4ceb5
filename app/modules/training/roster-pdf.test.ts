import { describe, expect, it } from "vitest";
import { readPdf } from "../../../tests/support/pdf-text";
import { SAMPLE_NAMES } from "../../../tests/factories";
import { renderRosterPdf, rosterFileName } from "./roster-pdf.server";
import { DEMO_IDENTITY } from "~/modules/organisation/identity.rules";
import type { RosterEntry, SessionRoster } from "./roster.server";

/** The trainer's printable roster, drawn and read back with pdf.js. */

const NOW = new Date("2026-03-10T10:00:00Z");
const LONG_NAME = `${"Anne-Laure-Marguerite de La Tour d'Auvergne-Lauraguais ".repeat(4)}Ézéchiel`.slice(0, 200);
const NAMED = ["Nguyễn Thị Minh Khai", "Łukasz Żółć", "Ольга Петрова", "Zoë O'Brien-Dupont", LONG_NAME];

function entry(i: number, overrides: Partial<RosterEntry> = {}): RosterEntry {
  return {
    enrolmentId: `e${i}`,
    name: NAMED[i] ?? `${SAMPLE_NAMES[i % SAMPLE_NAMES.length]!.split(" ")[0]} Participant ${String(i).padStart(2, "0")}`,
    email: `participant.${i}@structure-${i % 7}.test`,
    structureName: i % 3 === 0 ? null : `CCAS de Saint-Étienne-du-Rouvray ${i % 5}`,
    status: i % 4 === 0 ? "PENDING_PAYMENT" : "CONFIRMED",
    funding: i % 2 === 0 ? "OPCO" : "STRUCTURE",
    paymentStatus: "PENDING",
    amountCents: 25_000,
    waitlistRank: null,
    ...overrides,
  };
}

function roster(entries: RosterEntry[]): SessionRoster {
  return {
    sessionId: "s1",
    moduleTitle: "Pratiques d'accompagnement vers le numérique",
    status: "SCHEDULED",
    trainerName: "Łucja Wiśniewska",
    slots: [
      { startsAt: new Date("2026-04-07T07:00:00Z"), endsAt: new Date("2026-04-07T10:30:00Z") },
      { startsAt: new Date("2026-04-08T11:30:00Z"), endsAt: new Date("2026-04-08T15:00:00Z") },
    ],
    format: "IN_PERSON",
    venueName: "Maillon Lille — espace Moulins",
    address: "27 rue d'Arras",
    postcode: "59000",
    city: "Lille",
    capacity: 80,
    seatsTaken: entries.filter((e) => e.status !== "WAITLISTED" && e.status !== "CANCELLED").length,
    entries,
    groupEmails: [],
  };
}

describe("the roster PDF", () => {
  it("lists 60 trainees over several pages, header repeated, with the session's facts", async () => {
    const trainees = Array.from({ length: 60 }, (_, i) => entry(i));
    const others = [
      entry(100, { name: "Personne En Attente Un", status: "WAITLISTED", waitlistRank: 1 }),
      entry(101, { name: "Personne En Attente Deux", status: "WAITLISTED", waitlistRank: 2 }),
      entry(102, { name: "Personne Qui A Annulé", status: "CANCELLED" }),
    ];
    const read = await readPdf(await renderRosterPdf(roster([...trainees, ...others]), NOW, DEMO_IDENTITY));
    const text = read.text;
    const runs = read.pages.flat();

    expect(read.pageCount).toBeGreaterThanOrEqual(3);
    read.pages.forEach((page, i) => {
      expect(page, `page ${i + 1} shows the table header`).toContain("Adresse e-mail");
      expect(page).toContain(`page ${i + 1} / ${read.pageCount}`);
    });
    expect(text).toContain("Pratiques d'accompagnement vers le numérique");
    expect(text).toContain("Dates : Du 7 avril 2026 au 8 avril 2026");
    expect(text).toContain("mercredi 8 avril 2026, 13:30 – 17:00");
    expect(text).toContain("Lieu : Maillon Lille — espace Moulins, 27 rue d'Arras, 59000 Lille");
    expect(text).toContain("Formateur·rice : Łucja Wiśniewska");
    expect(text).toContain("Capacité : 80 places — 60 participant·es inscrit·es — liste d'attente : 2 personnes");

    for (const name of NAMED.slice(0, 4)) expect(runs.filter((r) => r === name), name).toHaveLength(1);
    expect(text.replace(/\s+/g, "")).toContain(LONG_NAME.replace(/\s+/g, ""));
    // A CJK name is drawn in the fallback font, the Latin rest after it in DejaVu.
    const arabic = /[\u0600-\u06FF]/;
    const cjk = /\p{Script=Han}/u;
    for (const t of trainees.slice(5).filter((t) => !arabic.test(t.name) && !cjk.test(t.name))) expect(runs.filter((r) => r === t.name), t.name).toHaveLength(1);
    for (const t of trainees.filter((t) => cjk.test(t.name))) {
      const [han, ...rest] = t.name.split(" ");
      expect(runs.filter((r, i) => r === han && runs[i + 1]?.trim() === rest.join(" ")), t.name).toHaveLength(1);
    }
    // An Arabic name is drawn as its own right-to-left run, the Latin rest after it, unmirrored.
    const arabicRow = trainees.find((t) => arabic.test(t.name))!;
    const latinRest = arabicRow.name.replace(/^\S+ /, "");
    expect(runs.filter((r) => r === latinRest)).toHaveLength(1);
    expect(runs[runs.indexOf(latinRest) - 1]).toMatch(/^[\u0600-\u06FF\uFB50-\uFDFF\uFE70-\uFEFF]+$/);
    for (const t of trainees) expect(text.replace(/\s+/g, "")).toContain(t.email);
    expect(runs.filter((r) => r === "OPCO")).toHaveLength(30);
    expect(runs.filter((r) => r === "Paiement en cours")).toHaveLength(15);
    // Row numbers 1 to 60, once each.
    for (let n = 1; n <= 60; n++) expect(runs.filter((r) => r === String(n)).length, `row ${n}`).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain("Personne En Attente");
    expect(text).not.toContain("Annulé");
  });

  it("says so when nobody holds a seat yet", async () => {
    const read = await readPdf(await renderRosterPdf(roster([entry(1, { status: "WAITLISTED", waitlistRank: 1 })]), NOW, DEMO_IDENTITY));
    expect(read.pageCount).toBe(1);
    expect(read.text).toContain("Personne n'a encore de place confirmée.");
    expect(read.text).toContain("liste d'attente : 1 personne");
  });

  it("is named after the module and the first day", () => {
    expect(rosterFileName(roster([]))).toBe("liste-participants-pratiques-d-accompagnement-vers-le-numerique-2026-04-07.pdf");
  });

  it("takes little time, even for 60 trainees", async () => {
    const r = roster(Array.from({ length: 60 }, (_, i) => entry(i)));
    await renderRosterPdf(r, NOW, DEMO_IDENTITY);
    const started = performance.now();
    await renderRosterPdf(r, NOW, DEMO_IDENTITY);
    const ms = performance.now() - started;
    console.info(`roster PDF, 60 trainees: ${ms.toFixed(1)} ms (warm)`);
    expect(ms).toBeLessThan(1500);
  });
});
