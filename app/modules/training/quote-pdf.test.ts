import { describe, expect, it } from "vitest";
import { normaliseSpaces, readPdf } from "../../../tests/support/pdf-text";
import { renderQuotePdf } from "./quote-pdf.server";
import { DEMO_IDENTITY as ORGANISATION, formatNda, formatSiret } from "~/modules/organisation/identity.rules";
import { VAT_MENTION, buildQuote, formatEuros, type QuoteInput } from "./quote.rules";

/** Quotes drawn as PDFs and read back with pdf.js: what the client will actually read. */

const NOW = new Date("2026-03-10T10:00:00Z");
const LONG_NAME = `${"Anne-Laure-Marguerite de La Tour d'Auvergne-Lauraguais ".repeat(4)}Ézéchiel`.slice(0, 200);

function input(overrides: { learnerName?: string; structure?: QuoteInput["structure"]; funding?: "STRUCTURE" | "OPCO"; amountCents?: number } = {}): QuoteInput {
  return {
    enrolment: { id: "cm8x0k2a40000qz7b3k9m2zdx", createdAt: new Date("2026-02-20T09:00:00Z"), funding: overrides.funding ?? "STRUCTURE", amountCents: overrides.amountCents ?? 123_400 },
    learner: { name: overrides.learnerName ?? "Nguyễn Thị Minh Khai", email: "minh-khai.nguyen@ccas-villeurbanne.test", jobTitle: "Conseillère en économie sociale et familiale" },
    structure:
      overrides.structure === undefined
        ? { name: "CCAS de Villeurbanne", address: "12 place Lazare-Goujon", postcode: "69100", city: "Villeurbanne", siret: "21690266800017" }
        : overrides.structure,
    session: {
      priceCents: 25_000,
      format: "IN_PERSON",
      venueName: "Maillon Lyon — point d'accueil de la Guillotière",
      address: "8 rue Saint-Jérôme",
      postcode: "69007",
      city: "Lyon",
      trainerName: "Łukasz Żółć",
      slots: [
        { startsAt: new Date("2026-04-07T07:00:00Z"), endsAt: new Date("2026-04-07T10:30:00Z") },
        { startsAt: new Date("2026-04-07T11:30:00Z"), endsAt: new Date("2026-04-07T15:00:00Z") },
      ],
    },
    module: { title: "Sensibilisation et compréhension de l'inclusion numérique", durationMinutes: 420 },
  };
}

async function quoteText(i: QuoteInput) {
  const quote = buildQuote(i, NOW);
  const pdf = await renderQuotePdf(quote, NOW, ORGANISATION);
  return { quote, pdf, read: await readPdf(pdf) };
}

describe("the quote PDF", () => {
  it("carries the organisation, the number, the client, the learner, the training and the price", async () => {
    const { quote, read } = await quoteText(input());
    const text = read.text;
    expect(read.pageCount).toBe(1);
    expect(quote.number).toBe("DEV-2026-3K9M2ZDX");
    expect(text).toContain(`N° ${quote.number}`);
    expect(text).toContain(ORGANISATION.name);
    expect(text).toContain(`SIRET ${formatSiret(ORGANISATION.siret)}`);
    expect(text).toContain(formatNda(ORGANISATION.nda));
    expect(text).toContain(ORGANISATION.email);
    expect(text).toContain("Date : 10 mars 2026");
    expect(text).toContain("Valable jusqu'au 9 avril 2026");
    expect(text).toContain("CCAS de Villeurbanne");
    expect(text).toContain("69100 Villeurbanne");
    expect(text).toContain("SIRET 216 902 668 00017");
    expect(text).toContain("Nguyễn Thị Minh Khai");
    expect(text).toContain("Łukasz Żółć");
    expect(text).toContain("Sensibilisation et compréhension de l'inclusion numérique");
    expect(text).toContain("Durée : 7 h de formation");
    expect(text).toContain("mardi 7 avril 2026, 09:00 – 12:30");
    expect(text).toContain("Maillon Lyon — point d'accueil de la Guillotière, 8 rue Saint-Jérôme, 69007 Lyon");
    expect(text).toContain(`Total à payer : ${normaliseSpaces(formatEuros(123_400))}`);
    expect(text).toContain("1 234,00 €");
    expect(text).toContain(VAT_MENTION);
    expect(text).toContain("Bon pour accord");
    expect(text).toContain("page 1 / 1");
    expect(read.info.Title).toBe(`Devis ${quote.number} — Sensibilisation et compréhension de l'inclusion numérique`);
  });

  it.each(["Łukasz Żółć", "Ольга Петрова", "Zoë O'Brien-Dupont", "Ελένη Παπαδοπούλου"])("prints %s as written", async (name) => {
    const { read } = await quoteText(input({ learnerName: name }));
    expect(read.text).toContain(name);
  });

  it("wraps a 200-character name without losing a letter", async () => {
    expect(LONG_NAME).toHaveLength(200);
    const { read } = await quoteText(input({ learnerName: LONG_NAME }));
    const squashed = read.text.replace(/\s+/g, "");
    expect(squashed).toContain(LONG_NAME.replace(/\s+/g, ""));
    // Wrapped: no single run holds the whole name.
    expect(read.pages.flat().some((run) => run === LONG_NAME)).toBe(false);
  });

  it("prints CJK with the fallback font, and a '?' for a character no font has instead of dropping it", async () => {
    // Devanagari: in none of the fonts (emoji now print, with Symbola).
    const { read } = await quoteText(input({ learnerName: "王秀英 Wang क" }));
    expect(read.pages[0]).toContain("王秀英");
    expect(read.text).toContain("Wang ?");
    expect(read.text).not.toContain("क");
  });

  it("addresses the learner when no structure is known, and explains OPCO funding", async () => {
    const { read } = await quoteText(input({ structure: null, funding: "OPCO", amountCents: 0 }));
    const text = read.text;
    expect(text).toMatch(/Client\nNguyễn Thị Minh Khai\nminh-khai\.nguyen@ccas-villeurbanne\.test/);
    expect(text).toContain("Total à payer : 250,00 €");
    expect(text.replace(/\n/g, " ")).toContain("La facture est alors adressée à l'OPCO (subrogation de paiement)");
  });

  it("is quick once warm (fonts read and parsed once per process)", async () => {
    await quoteText(input());
    const quote = buildQuote(input(), NOW);
    const runs = 10;
    const started = performance.now();
    for (let i = 0; i < runs; i++) await renderQuotePdf(quote, NOW, ORGANISATION);
    const perQuote = (performance.now() - started) / runs;
    console.info(`quote PDF: ${perQuote.toFixed(1)} ms each (warm, mean of ${runs})`);
    expect(perQuote).toBeLessThan(400);
  });
});
