import { z } from "zod";
import { emailFieldWith } from "~/modules/auth/auth.schema";
import { personNameField } from "~/utils/person-name";
import { normaliseRna, normaliseSiret, rnaProblem, siretProblem } from "./identifiers.rules";
import { MEDIATION_SERVICES, parseDayHours, serializeServices, toOsmOpeningHours, WEEKDAYS, type WeekdayCode, type WeekHours } from "./open-data.rules";

/**
 * The relay application form, one schema per step. Each step is checked and saved on its
 * own (the draft grows step by step); sending checks every step again on what was saved.
 */
export const APPLICATION_STEPS = [
  { number: 1, title: "La structure" },
  { number: 2, title: "Les personnes" },
  { number: 3, title: "Les publics et l'équipe" },
  { number: 4, title: "Les engagements" },
] as const;
export type StepNumber = 1 | 2 | 3 | 4;
export const LAST_STEP: StepNumber = 4;

export const STRUCTURE_TYPES = ["CCAS", "CIAS", "CHRS", "CHU", "CADA", "ASSOCIATION", "FRANCE_SERVICES", "OTHER"] as const;
export type StructureType = (typeof STRUCTURE_TYPES)[number];
export const STRUCTURE_TYPE_LABELS: Record<StructureType, string> = {
  CCAS: "CCAS (centre communal d'action sociale)",
  CIAS: "CIAS (centre intercommunal d'action sociale)",
  CHRS: "CHRS (centre d'hébergement et de réinsertion sociale)",
  CHU: "CHU (centre d'hébergement d'urgence)",
  CADA: "CADA (centre d'accueil de demandeurs d'asile)",
  ASSOCIATION: "Association",
  FRANCE_SERVICES: "France Services",
  OTHER: "Autre",
};

export const TEXT_LIMITS = { name: 200, line: 200, city: 100, function: 120, phone: 30, long: 4000 } as const;
export const MOTIVATION_MAX = TEXT_LIMITS.long;

const asString = (v: unknown) => (typeof v === "string" ? v.replace(/\r\n?/g, "\n") : "");
const required = (missing: string, max: number, tooLong: string) =>
  z.preprocess(asString, z.string().trim().min(1, missing).max(max, tooLong));
const optional = (max: number, tooLong: string) =>
  z.preprocess(asString, z.string().trim().max(max, tooLong)).transform((v) => (v === "" ? null : v));
const phone = (label: string) =>
  optional(TEXT_LIMITS.phone, `Le numéro de téléphone ${label} est trop long.`).refine(
    (v) => v === null || /^\+?[\d\s.()-]{10,}$/.test(v),
    `Le numéro de téléphone ${label} n'est pas valide (par exemple 04 72 00 00 00).`,
  );
const whole = (missing: string, min: number, max: number, outOfRange: string) =>
  z.preprocess(asString, z.string().trim().min(1, missing).regex(/^\d+$/, "Indiquez un nombre entier.").transform(Number).pipe(z.number().int().min(min, outOfRange).max(max, outOfRange)));
const checkbox = (missing: string) => z.preprocess((v) => v === "on" || v === "true", z.literal(true, { error: missing }));

export const StructureStepSchema = z
  .object({
    structureName: required("Indiquez le nom de la structure.", TEXT_LIMITS.name, `Le nom compte ${TEXT_LIMITS.name} caractères au plus.`),
    siret: z.preprocess(asString, z.string().transform(normaliseSiret)),
    rna: z.preprocess(asString, z.string().transform(normaliseRna)),
    structureType: z.enum(STRUCTURE_TYPES, { error: "Choisissez le type de structure." }),
    address: required("Indiquez l'adresse de la structure.", TEXT_LIMITS.line, `L'adresse compte ${TEXT_LIMITS.line} caractères au plus.`),
    postcode: z.preprocess(asString, z.string().trim().regex(/^\d{5}$/, "Le code postal compte 5 chiffres.")),
    city: required("Indiquez la commune.", TEXT_LIMITS.city, `La commune compte ${TEXT_LIMITS.city} caractères au plus.`),
  })
  .superRefine((v, ctx) => {
    if (!v.siret && !v.rna) {
      ctx.addIssue({ code: "custom", path: ["siret"], message: "Indiquez le SIRET de la structure, ou le numéro RNA pour une association sans SIRET." });
      return;
    }
    const siret = v.siret ? siretProblem(v.siret) : null;
    if (siret) ctx.addIssue({ code: "custom", path: ["siret"], message: siret });
    const rna = v.rna ? rnaProblem(v.rna) : null;
    if (rna) ctx.addIssue({ code: "custom", path: ["rna"], message: rna });
  })
  .transform((v) => ({ ...v, siret: v.siret || null, rna: v.rna || null }));

export const PeopleStepSchema = z.object({
  applicantFunction: required("Indiquez votre fonction dans la structure.", TEXT_LIMITS.function, `La fonction compte ${TEXT_LIMITS.function} caractères au plus.`),
  applicantPhone: phone("de la personne qui candidate"),
  referentName: personNameField("Indiquez le nom de la ou du référent·e."),
  referentEmail: emailFieldWith("Indiquez l'adresse e-mail de la ou du référent·e."),
  referentPhone: phone("de la ou du référent·e"),
});

export const ActivityStepSchema = z.object({
  publicsServed: required("Décrivez les publics que vous accompagnez.", TEXT_LIMITS.long, `Ce texte compte ${TEXT_LIMITS.long} caractères au plus.`),
  peoplePerMonth: whole("Indiquez le nombre de personnes reçues par mois (une estimation suffit).", 1, 100_000, "Indiquez un nombre entre 1 et 100 000."),
  staffToTrain: whole("Indiquez le nombre de personnes à former.", 1, 500, "Indiquez un nombre entre 1 et 500."),
  staffToTrainNames: optional(TEXT_LIMITS.long, `Cette liste compte ${TEXT_LIMITS.long} caractères au plus.`),
  motivation: optional(MOTIVATION_MAX, `Votre texte de motivation est trop long : ${MOTIVATION_MAX.toLocaleString("fr-FR")} caractères au plus.`),
});

export const CommitmentsStepSchema = z.object({
  charterAccepted: checkbox("Acceptez la charte des Relais Numériques pour envoyer la candidature."),
  dpoInformed: checkbox("Confirmez que la ou le délégué·e à la protection des données de la structure est informé·e."),
});

export const STEP_SCHEMAS = { 1: StructureStepSchema, 2: PeopleStepSchema, 3: ActivityStepSchema, 4: CommitmentsStepSchema } as const;

export const parseStep = (value: unknown): StepNumber => {
  const n = Number(value);
  return n === 1 || n === 2 || n === 3 || n === 4 ? n : 1;
};

/** A staff decision's reason or message, and a message in the thread. */
export const MESSAGE_MAX = 4000;
export const MessageSchema = z.object({
  body: required("Écrivez votre message.", MESSAGE_MAX, `Le message compte ${MESSAGE_MAX} caractères au plus.`),
});
export const ReasonSchema = z.object({
  reason: z.preprocess(asString, z.string().trim().min(10, "Indiquez la raison (10 caractères au moins) : elle est transmise à la structure.").max(MESSAGE_MAX, `La raison compte ${MESSAGE_MAX} caractères au plus.`)),
});

export const REQUIRED_STAFF_MAX = 50;
export const RequiredStaffSchema = z.object({
  required: z.preprocess(
    asString,
    z.string().trim().regex(/^\d+$/, "Indiquez un nombre entier.").transform(Number).pipe(z.number().int().min(1, `Indiquez un nombre entre 1 et ${REQUIRED_STAFF_MAX}.`).max(REQUIRED_STAFF_MAX, `Indiquez un nombre entre 1 et ${REQUIRED_STAFF_MAX}.`)),
  ),
});

const dayHours = z.preprocess(asString, z.string().max(200, "Écrivez les horaires en 200 caractères au plus.")).transform((text, ctx) => {
  const parsed = parseDayHours(text);
  if (!parsed.ok) {
    ctx.addIssue({ code: "custom", message: parsed.message });
    return z.NEVER;
  }
  return parsed.ranges;
});

/**
 * The relay's public details, in the terms of the national open-data standard (decision 020):
 * services among the standard's list (checkboxes), hours typed per weekday and stored in
 * OpenStreetMap syntax. Field names: `services` (repeated), `hours_Mo` … `hours_Su`.
 */
export const RelayDetailsSchema = z
  .object({
    description: optional(1000, "La présentation compte 1 000 caractères au plus."),
    services: z
      .preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string()))
      .refine((list) => list.every((s) => (MEDIATION_SERVICES as readonly string[]).includes(s)), "Choisissez les services dans la liste."),
    ...(Object.fromEntries(WEEKDAYS.map((d) => [`hours_${d.osm}`, dayHours])) as Record<`hours_${WeekdayCode}`, typeof dayHours>),
  })
  .transform((form) => ({
    description: form.description,
    services: serializeServices(form.services),
    openingHours: toOsmOpeningHours(Object.fromEntries(WEEKDAYS.map((d) => [d.osm, form[`hours_${d.osm}`]])) as WeekHours),
  }));

export const ConventionSchema = z.object({
  name: personNameField("Écrivez vos prénom et nom pour signer."),
  accepted: checkbox("Cochez la case pour accepter la convention."),
});
