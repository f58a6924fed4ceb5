import { describe, expect, it } from "vitest";
import { changedFields, isValidSlug, minutesToHoursInput, nonObservableStart, parseHoursToMinutes, SLUG_MAX, slugFromTitle } from "./modules.rules";
import { ModuleFormSchema, moduleFormValues, MODULE_TEXT_LIMITS, type ModuleInput } from "./modules.schema";

/** A complete, valid form as the browser sends it. */
const form = (change: Record<string, string> = {}): Record<string, string> => ({
  number: "4",
  slug: "",
  title: "Accompagner les démarches en ligne à l'ère de l'IA",
  summary: "Deux jours pour aider les personnes à faire leurs démarches elles-mêmes.",
  objectives: "Créer avec une personne son compte sur un site administratif\r\n\r\n  Repérer un site frauduleux  \r\n",
  programme: "Panorama des démarches\nMises en situation",
  duration: "14",
  prerequisites: "Aucun prérequis.",
  audience: "Travailleurs sociaux.",
  methods: "Démonstrations et exercices.",
  assessment: "Quiz et mise en situation.",
  accessLeadTime: "Inscription jusqu'à 7 jours avant la session.",
  price: "350",
  accessibility: "Accessible ; contactez notre référente handicap.",
  contact: "formation@maillon.localhost",
  certificateValidityMonths: "",
  published: "on",
  ...change,
});

const parse = (change: Record<string, string> = {}) => ModuleFormSchema.safeParse(form(change));
const errorsOf = (change: Record<string, string>) => {
  const result = parse(change);
  if (result.success) return {};
  return Object.fromEntries(result.error.issues.map((i) => [String(i.path[0]), i.message]));
};

describe("hours typed in the duration field", () => {
  it.each([
    ["14", 840],
    ["3,5", 210],
    ["3.5", 210],
    ["3,25", 195],
    ["0,5", 30],
    [" 7 h ", 420],
    ["7h", 420],
    ["200", 12_000],
    ["1,1", 66],
  ])("%j → %i minutes", (typed, minutes) => {
    expect(parseHoursToMinutes(typed)).toBe(minutes);
    const result = parse({ duration: typed });
    expect(result.success && result.data.durationMinutes).toBe(minutes);
  });

  it.each([
    ["", /durée en heures/],
    ["quatorze", /durée en heures/],
    ["-3", /durée en heures/],
    ["1,33", /durée en heures/], // 79.8 minutes
    ["3,555", /durée en heures/],
    ["1e3", /durée en heures/],
    ["0", /au moins une demi-heure/],
    ["0,25", /au moins une demi-heure/],
    ["200,5", /dépasser 200 heures/],
    ["9999", /dépasser 200 heures/],
  ])("%j is refused (%s)", (typed, message) => {
    expect(errorsOf({ duration: typed }).duration).toMatch(message);
  });

  it.each([
    [840, "14"],
    [210, "3,5"],
    [195, "3,25"],
    [66, "1,1"],
    [30, "0,5"],
  ])("%i minutes are shown back as %j, which parses to the same minutes", (minutes, shown) => {
    expect(minutesToHoursInput(minutes)).toBe(shown);
    expect(parseHoursToMinutes(shown)).toBe(minutes);
  });
});

describe("euros typed in the price field", () => {
  it.each([
    ["350", 35_000],
    ["1 200", 120_000],
    ["1\u202f200", 120_000],
    ["350,50", 35_050],
    ["350.5", 35_050],
    ["0", 0],
    ["10 000", 1_000_000],
    ["99 €", 9_900],
  ])("%j → %i cents", (typed, cents) => {
    const result = parse({ price: typed });
    expect(result.success && result.data.priceCents).toBe(cents);
  });

  it.each([
    ["-5", /négatif/],
    ["-0,50", /négatif/],
    ["", /prix en euros/],
    ["gratuit", /prix en euros/],
    ["12,345", /prix en euros/],
    ["10 000,01", /dépasser 10\s000/],
    ["1 000 000", /dépasser 10\s000/],
  ])("%j is refused (%s)", (typed, message) => {
    expect(errorsOf({ price: typed }).price).toMatch(message);
  });
});

describe("the page address (slug)", () => {
  it.each([
    ["Sensibilisation et compréhension de l'inclusion numérique", "sensibilisation-et-comprehension-de-l-inclusion-numerique"],
    ["Œuvrer pour l'accès aux droits — niveau 2", "oeuvrer-pour-l-acces-aux-droits-niveau-2"],
    ["  Ateliers : « clé en main » !  ", "ateliers-cle-en-main"],
    ["Łódź, Kraków & Gdańsk", "lodz-krakow-gdansk"],
    ["Цифровая грамотность", ""],
  ])("%j → %j", (title, slug) => {
    expect(slugFromTitle(title)).toBe(slug);
  });

  it("cuts a long title at a word boundary, within the limit", () => {
    const slug = slugFromTitle("inclusion numérique ".repeat(20));
    expect(slug.length).toBeLessThanOrEqual(SLUG_MAX);
    expect(slug).toMatch(/^inclusion-numerique(-inclusion-numerique)*$/);
    expect(isValidSlug(slug)).toBe(true);
  });

  it("is made from the title when left empty", () => {
    const result = parse({ slug: "" });
    expect(result.success && result.data.slug).toBe("accompagner-les-demarches-en-ligne-a-l-ere-de-l-ia");
  });

  it.each([
    ["demarches-en-ligne", true],
    ["module-4", true],
    ["4", true],
    ["Demarches-en-ligne", false],
    ["démarches", false],
    ["demarches--en-ligne", false],
    ["-demarches", false],
    ["demarches-", false],
    ["demarches en ligne", false],
    ["demarches_en_ligne", false],
    ["../admin", false],
    ["a".repeat(SLUG_MAX), true],
    ["a".repeat(SLUG_MAX + 1), false],
  ])("%j typed: accepted %s", (typed, ok) => {
    expect(isValidSlug(typed)).toBe(ok);
    const result = parse({ slug: typed });
    expect(result.success).toBe(ok);
    if (result.success) expect(result.data.slug).toBe(typed);
    else expect(Object.keys(errorsOf({ slug: typed }))).toEqual(["slug"]);
  });

  it("suggests a valid address when the typed one is not", () => {
    expect(errorsOf({ slug: "Démarches en ligne" }).slug).toContain("« demarches-en-ligne »");
  });

  it("asks for an address when the title gives none", () => {
    expect(errorsOf({ title: "Цифровая грамотность", slug: "" }).slug).toMatch(/indiquez-la/);
    const typed = parse({ title: "Цифровая грамотность", slug: "gramotnost" });
    expect(typed.success && typed.data.slug).toBe("gramotnost");
  });
});

describe("length limits, required texts and other fields", () => {
  const textFields = Object.keys(MODULE_TEXT_LIMITS) as (keyof typeof MODULE_TEXT_LIMITS)[];

  it.each(textFields)("%s: accepted at its limit, refused one character above, required", (field) => {
    const max = MODULE_TEXT_LIMITS[field];
    // List fields are checked line by line too: build them from short lines.
    const atLimit = field === "objectives" || field === "programme" ? fill(max) : "é".repeat(max);
    const result = parse({ [field]: atLimit });
    expect(result.success, JSON.stringify(errorsOf({ [field]: atLimit }))).toBe(true);
    expect(errorsOf({ [field]: `${atLimit}x` })[field]).toMatch(new RegExp(`${max + 1} caractères pour ${max} au plus`));
    expect(errorsOf({ [field]: "  \n " })[field]).toMatch(/^Indiquez/);
  });

  /** Lines of at most 200 characters, `length` characters in all with the line breaks. */
  function fill(length: number) {
    const lines: string[] = [];
    let remaining = length;
    for (; remaining > 200; remaining -= 200) lines.push("R".repeat(199));
    lines.push("R".repeat(remaining));
    return lines.join("\n");
  }

  it.each([
    ["objectives", Array.from({ length: 31 }, (_, i) => `Repérer le cas ${i}`).join("\n"), /Au plus 30 lignes/],
    ["programme", `Accueil\n${"x".repeat(301)}`, /ligne 2 est trop longue/],
  ])("%s: too many or too long lines", (field, value, message) => {
    expect(errorsOf({ [field]: value })[field]).toMatch(message);
  });

  it("keeps one item per line, trimmed, blank lines dropped", () => {
    const result = parse();
    expect(result.success && result.data.objectives).toBe("Créer avec une personne son compte sur un site administratif\nRepérer un site frauduleux");
  });

  it.each([
    ["Comprendre les enjeux de la dématérialisation", "Comprendre"],
    ["connaître les acteurs du territoire", "connaître"],
    ["Être sensibilisé(e) aux risques", "Être sensibilisé"],
    ["Découvrir FranceConnect", "Découvrir"],
    ["S’approprier la grille", "S’approprier"],
    ["Repérer les signes de difficulté", null],
    ["Expliquer ce que comprend un mandat", null],
    ["Comprendreur", null],
  ])("objective %j starts with a non-observable verb: %j", (line, verb) => {
    expect(nonObservableStart(line)).toBe(verb);
  });

  it("refuses an objective that cannot be observed, naming its line", () => {
    expect(errorsOf({ objectives: "Repérer un site frauduleux\nComprendre FranceConnect" }).objectives).toMatch(/^Ligne 2 : « Comprendre »/);
  });

  it.each([
    ["number", "0", /entre 1 et 9999/],
    ["number", "10000", /entre 1 et 9999/],
    ["number", "4,5", /entre 1 et 9999/],
    ["number", "", /entre 1 et 9999/],
    ["certificateValidityMonths", "0", /entre 1 et 120/],
    ["certificateValidityMonths", "121", /entre 1 et 120/],
    ["certificateValidityMonths", "douze", /entre 1 et 120/],
  ])("%s %j is refused", (field, value, message) => {
    expect(errorsOf({ [field]: value })[field]).toMatch(message);
  });

  it.each([
    [{ certificateValidityMonths: "" }, { certificateValidityMonths: null }],
    [{ certificateValidityMonths: " 36 " }, { certificateValidityMonths: 36 }],
    [{ published: "on" }, { published: true }],
    [{ published: "" }, { published: false }],
    [{ number: " 12 " }, { number: 12 }],
  ])("%j → %j", (change, expected) => {
    const result = parse(change);
    expect(result.success && result.data).toMatchObject(expected);
  });

  it("reports every problem at once, each on its own field", () => {
    expect(Object.keys(errorsOf({ number: "", title: "", duration: "x", price: "-1", contact: "" })).sort()).toEqual(
      ["contact", "duration", "number", "price", "title"].sort(),
    );
  });
});

describe("a stored module shown back in the form", () => {
  it("parses back to the same module", () => {
    const first = parse({ duration: "3,25", price: "1 200,50", certificateValidityMonths: "24" });
    expect(first.success).toBe(true);
    const stored = first.data as ModuleInput;
    const again = ModuleFormSchema.safeParse(moduleFormValues(stored));
    expect(again.success && again.data).toEqual(stored);
  });

  it("lists the fields an edit changed", () => {
    const before = parse().data as ModuleInput;
    const after = parse({ title: "Autre titre", price: "400" }).data as ModuleInput;
    expect(changedFields(before, after).sort()).toEqual(["priceCents", "slug", "title"]);
    expect(changedFields(before, before)).toEqual([]);
  });
});
