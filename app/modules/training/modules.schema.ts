import { z } from "zod";
import { formatPrice, NSF_CODE } from "./catalogue.rules";
import {
  durationError,
  isValidSlug,
  listLines,
  minutesToHoursInput,
  nonObservableStart,
  parseHoursToMinutes,
  SLUG_MAX,
  slugFromTitle,
} from "./modules.rules";
import { centsToEurosInput, parseEurosToCents, PRICE_MAX_CENTS } from "./sessions.rules";

/**
 * The staff's module form (create and edit): every field French rules ask a training offer
 * to publish. Every field arrives as a string; all checks run in one pass so the page shows
 * every problem at once, each next to its field. Uniqueness of the number and the slug needs
 * the database: modules-admin.server.ts checks it.
 */
export const MODULE_NUMBER_MAX = 9999;
export const CERTIFICATE_VALIDITY_MAX_MONTHS = 120;
export const LIST_ITEMS_MAX = 30;
export const LIST_ITEM_MAX = 300;

/** Characters allowed per field (after line endings are normalised to "\n"). */
export const MODULE_TEXT_LIMITS = {
  title: 200,
  summary: 1000,
  objectives: 4000,
  programme: 4000,
  prerequisites: 2000,
  audience: 2000,
  methods: 2000,
  assessment: 2000,
  accessLeadTime: 500,
  accessibility: 2000,
  contact: 500,
} as const;
type TextField = keyof typeof MODULE_TEXT_LIMITS;

/** What each required text says when left empty. */
const MISSING: Record<TextField, string> = {
  title: "Indiquez le titre du module.",
  summary: "Indiquez un résumé du module.",
  objectives: "Indiquez au moins un objectif.",
  programme: "Indiquez le programme.",
  prerequisites: "Indiquez les prérequis (écrivez « Aucun prérequis » s'il n'y en a pas).",
  audience: "Indiquez le public visé.",
  methods: "Indiquez les méthodes pédagogiques.",
  assessment: "Indiquez comment les acquis sont évalués.",
  accessLeadTime: "Indiquez le délai d'accès.",
  accessibility: "Indiquez les conditions d'accessibilité aux personnes en situation de handicap.",
  contact: "Indiquez un contact.",
};

export type ModuleInput = {
  number: number;
  slug: string;
  title: string;
  summary: string;
  objectives: string;
  programme: string;
  durationMinutes: number;
  prerequisites: string;
  audience: string;
  methods: string;
  assessment: string;
  accessLeadTime: string;
  priceCents: number;
  accessibility: string;
  contact: string;
  certificateValidityMonths: number | null;
  /** The NSF training speciality code (BPF F-4), or none yet. */
  nsfCode: string | null;
  published: boolean;
};

const asString = (v: unknown) => (typeof v === "string" ? v.replace(/\r\n?/g, "\n") : "");
// Generous raw bounds (the real limits give French messages below); they only stop absurd bodies.
const raw = z.preprocess(asString, z.string().max(20_000, "Ce champ est bien trop long."));

export const ModuleFormSchema = z
  .object({
    number: raw,
    slug: raw,
    title: raw,
    summary: raw,
    objectives: raw,
    programme: raw,
    duration: raw,
    prerequisites: raw,
    audience: raw,
    methods: raw,
    assessment: raw,
    accessLeadTime: raw,
    price: raw,
    accessibility: raw,
    contact: raw,
    certificateValidityMonths: raw,
    nsfCode: raw,
    published: z.preprocess((v) => v === "on" || v === "true", z.boolean()),
  })
  .transform((form, ctx): ModuleInput => {
    const fail = (field: string, message: string) => ctx.addIssue({ code: "custom", path: [field], message });

    const texts = {} as Record<TextField, string>;
    for (const field of Object.keys(MODULE_TEXT_LIMITS) as TextField[]) {
      const value = field === "objectives" || field === "programme" ? listLines(form[field]).join("\n") : form[field].trim();
      const max = MODULE_TEXT_LIMITS[field];
      if (value === "") fail(field, MISSING[field]);
      else if (value.length > max) fail(field, `Ce champ est trop long : ${value.length} caractères pour ${max} au plus.`);
      texts[field] = value;
    }
    for (const field of ["objectives", "programme"] as const) {
      const items = listLines(texts[field]);
      if (items.length > LIST_ITEMS_MAX) fail(field, `Au plus ${LIST_ITEMS_MAX} lignes.`);
      const long = items.findIndex((item) => item.length > LIST_ITEM_MAX);
      if (long >= 0) fail(field, `La ligne ${long + 1} est trop longue (${LIST_ITEM_MAX} caractères au plus par ligne).`);
    }
    const vague = listLines(texts.objectives)
      .map((item, i) => [i, nonObservableStart(item)] as const)
      .find(([, verb]) => verb);
    if (vague) {
      fail(
        "objectives",
        `Ligne ${vague[0] + 1} : « ${vague[1]} » ne se constate pas. Formulez chaque objectif comme une compétence observable, avec un verbe d'action (repérer, expliquer, réaliser…).`,
      );
    }

    const numberText = form.number.trim();
    const number = /^\d{1,4}$/.test(numberText) ? Number(numberText) : null;
    if (number === null || number < 1 || number > MODULE_NUMBER_MAX) fail("number", `Indiquez un numéro entier entre 1 et ${MODULE_NUMBER_MAX}.`);

    const typedSlug = form.slug.trim();
    const slug = typedSlug === "" ? slugFromTitle(texts.title) : typedSlug;
    if (typedSlug !== "" && !isValidSlug(typedSlug)) {
      const suggestion = slugFromTitle(typedSlug);
      fail(
        "slug",
        typedSlug.length > SLUG_MAX
          ? `L'adresse est trop longue (${SLUG_MAX} caractères au plus).`
          : `Seulement des lettres minuscules sans accent, des chiffres et des tirets entre les mots${suggestion ? `, par exemple « ${suggestion} »` : ""}.`,
      );
    } else if (slug === "" && texts.title !== "") {
      fail("slug", "Le titre ne permet pas de composer l'adresse : indiquez-la (lettres minuscules sans accent, chiffres, tirets).");
    }

    const durationMinutes = parseHoursToMinutes(form.duration);
    const durationMessage = durationError(durationMinutes);
    if (durationMessage) fail("duration", durationMessage);

    const priceText = form.price.trim();
    const priceCents = parseEurosToCents(priceText);
    if (priceText.startsWith("-")) fail("price", "Le prix ne peut pas être négatif.");
    else if (priceCents === null) fail("price", "Indiquez un prix en euros, par exemple 350 ou 1 200,50 (0 si le module est gratuit).");
    else if (priceCents > PRICE_MAX_CENTS) fail("price", `Le prix ne peut pas dépasser ${formatPrice(PRICE_MAX_CENTS)}.`);

    const validityText = form.certificateValidityMonths.trim();
    const validity = validityText === "" ? null : /^\d{1,3}$/.test(validityText) ? Number(validityText) : Number.NaN;
    if (validity !== null && !(validity >= 1 && validity <= CERTIFICATE_VALIDITY_MAX_MONTHS)) {
      fail("certificateValidityMonths", `Indiquez un nombre de mois entre 1 et ${CERTIFICATE_VALIDITY_MAX_MONTHS}, ou laissez vide si le certificat n'expire pas.`);
    }

    const nsfText = form.nsfCode.trim().toLowerCase();
    if (nsfText !== "" && !NSF_CODE.test(nsfText)) {
      fail("nsfCode", "Indiquez le code NSF de la spécialité : trois chiffres, suivis s'il y a lieu de la lettre du champ (par exemple 332 ou 326t), ou laissez vide.");
    }

    if (ctx.issues.length > 0) return z.NEVER;
    return {
      number: number!,
      slug,
      ...texts,
      durationMinutes: durationMinutes!,
      priceCents: priceCents!,
      certificateValidityMonths: validity,
      nsfCode: nsfText === "" ? null : nsfText,
      published: form.published,
    };
  });

/** A stored module as the form's typed values (to edit it). */
export function moduleFormValues(m: ModuleInput): Record<string, string> {
  const values: Record<string, string> = {
    number: String(m.number),
    slug: m.slug,
    title: m.title,
    summary: m.summary,
    objectives: m.objectives,
    programme: m.programme,
    duration: minutesToHoursInput(m.durationMinutes),
    prerequisites: m.prerequisites,
    audience: m.audience,
    methods: m.methods,
    assessment: m.assessment,
    accessLeadTime: m.accessLeadTime,
    price: centsToEurosInput(m.priceCents),
    accessibility: m.accessibility,
    contact: m.contact,
    certificateValidityMonths: m.certificateValidityMonths === null ? "" : String(m.certificateValidityMonths),
    nsfCode: m.nsfCode ?? "",
  };
  if (m.published) values.published = "on";
  return values;
}
