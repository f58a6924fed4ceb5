import { z } from "zod";
import {
  capacityError,
  centsToEurosInput,
  parisDateInput,
  parisTimeInput,
  parisInstant,
  parseEurosToCents,
  placeErrors,
  priceError,
  type SlotTimes,
} from "./sessions.rules";
import { SLOT_ROWS_MAX, SESSION_KINDS, SESSION_FORMATS, slotFieldNames } from "./sessions.labels";

export * from "./sessions.labels";

/**
 * The staff's session form (create and edit). Every field arrives as a string; all checks
 * run in one pass so the page shows every problem at once, each next to its field. Slot
 * rows are flat fields (`slot0Date`, `slot0Start`, `slot0End`, …) so the form works
 * without JavaScript; an empty row is ignored, and a row's error is keyed `slot<i>`.
 * The checks that need the database (trainer availability, seats taken, slots in the
 * past when editing) are done by sessions-admin.server.ts.
 */

const TEXT_MAX = 300;
const LONG_TEXT_MAX = 2000;
const REASON_MAX = 1000;

const asString = (v: unknown) => (typeof v === "string" ? v : "");
const text = (max: number) => z.preprocess(asString, z.string().max(max, `Ce champ est trop long (${max} caractères au plus).`));


const slotShape: Record<string, ReturnType<typeof text>> = {};
for (let i = 0; i < SLOT_ROWS_MAX; i++) {
  const f = slotFieldNames(i);
  slotShape[f.date] = text(20);
  slotShape[f.start] = text(20);
  slotShape[f.end] = text(20);
}

/** A slot as typed, with the form row it came from (errors go back to that row). */
export type SlotRow = SlotTimes & { row: number };

export type SessionInput = {
  moduleId: string;
  kind: "INTER" | "INTRA";
  structureId: string | null;
  format: "IN_PERSON" | "REMOTE";
  venueName: string | null;
  address: string | null;
  postcode: string | null;
  city: string | null;
  accessInfo: string | null;
  remoteUrl: string | null;
  capacity: number;
  trainerId: string | null;
  priceCents: number;
  isFree: boolean;
  slots: SlotRow[];
};

const orNull = (v: string) => (v.trim() === "" ? null : v.trim());

export const SessionFormSchema = z
  .object({
    moduleId: text(100),
    kind: text(20),
    structureId: text(100),
    format: text(20),
    venueName: text(TEXT_MAX),
    address: text(TEXT_MAX),
    postcode: text(20),
    city: text(TEXT_MAX),
    accessInfo: text(LONG_TEXT_MAX),
    remoteUrl: text(TEXT_MAX),
    capacity: text(20),
    trainerId: text(100),
    price: text(30),
    isFree: z.preprocess((v) => v === "on" || v === "true", z.boolean()),
    ...slotShape,
  })
  .transform((raw, ctx): SessionInput => {
    const fail = (field: string, message: string) => ctx.addIssue({ code: "custom", path: [field], message });
    const kind = (SESSION_KINDS as readonly string[]).includes(raw.kind) ? (raw.kind as SessionInput["kind"]) : null;
    const format = (SESSION_FORMATS as readonly string[]).includes(raw.format) ? (raw.format as SessionInput["format"]) : null;
    if (!orNull(raw.moduleId)) fail("moduleId", "Choisissez le module.");
    if (!kind) fail("kind", "Choisissez le type de session.");
    if (!format) fail("format", "Choisissez le format.");

    const capacity = /^\s*\d{1,4}\s*$/.test(raw.capacity) ? Number(raw.capacity) : null;
    const capacityMessage = capacityError(capacity);
    if (capacityMessage) fail("capacity", capacityMessage);

    const isFree = raw.isFree;
    // A free session costs nothing whatever the price field says (it may be left empty).
    const priceCents = isFree && raw.price.trim() === "" ? 0 : parseEurosToCents(raw.price);
    const priceMessage = priceError(priceCents);
    if (priceMessage) fail("price", priceMessage);

    const place = {
      kind: kind ?? "INTER",
      structureId: orNull(raw.structureId),
      format: format ?? "IN_PERSON",
      address: orNull(raw.address),
      postcode: orNull(raw.postcode),
      city: orNull(raw.city),
      remoteUrl: orNull(raw.remoteUrl),
    };
    for (const [field, message] of Object.entries(placeErrors(place))) if (field !== "structureId" || kind) fail(field, message);

    const slots: SlotRow[] = [];
    const fields = raw as unknown as Record<string, string>;
    for (let row = 0; row < SLOT_ROWS_MAX; row++) {
      const f = slotFieldNames(row);
      const [date, start, end] = [fields[f.date] ?? "", fields[f.start] ?? "", fields[f.end] ?? ""].map((s) => s.trim());
      if (!date && !start && !end) continue;
      if (!date || !start || !end) {
        fail(f.error, "Indiquez la date, l'heure de début et l'heure de fin du créneau.");
        continue;
      }
      const startsAt = parisInstant(date!, start!);
      const endsAt = parisInstant(date!, end!);
      if (!startsAt || !endsAt) {
        fail(f.error, "Date ou heure invalide (format attendu : jj/mm/aaaa et hh:mm).");
        continue;
      }
      slots.push({ row, startsAt, endsAt });
    }
    if (slots.length === 0 && !ctx.issues.some((i) => String(i.path?.[0] ?? "").startsWith("slot"))) {
      fail(slotFieldNames(0).error, "Indiquez au moins un créneau (une demi-journée).");
    }

    if (ctx.issues.length > 0) return z.NEVER;
    return {
      moduleId: orNull(raw.moduleId)!,
      kind: place.kind,
      structureId: place.kind === "INTRA" ? place.structureId : null,
      format: place.format,
      venueName: place.format === "IN_PERSON" ? orNull(raw.venueName) : null,
      address: place.format === "IN_PERSON" ? place.address : null,
      postcode: place.format === "IN_PERSON" ? place.postcode : null,
      city: place.format === "IN_PERSON" ? place.city : null,
      accessInfo: orNull(raw.accessInfo),
      remoteUrl: place.format === "REMOTE" ? place.remoteUrl : null,
      capacity: capacity!,
      trainerId: orNull(raw.trainerId),
      priceCents: isFree ? 0 : priceCents!,
      isFree,
      slots,
    };
  });

export const CancelSessionSchema = z.object({
  reason: z.preprocess(
    asString,
    z.string().trim().min(3, "Indiquez la raison de l'annulation : elle est envoyée aux personnes inscrites.").max(REASON_MAX, "La raison est trop longue."),
  ),
});

export const MarkPaidSchema = z.object({
  enrolmentId: z.preprocess(asString, z.string().trim().min(1, "Inscription manquante.").max(100, "Inscription invalide.")),
});


/** A stored session as the form's typed values (to edit it). */
export function sessionFormValues(s: {
  moduleId: string;
  kind: string;
  structureId: string | null;
  format: string;
  venueName: string | null;
  address: string | null;
  postcode: string | null;
  city: string | null;
  accessInfo: string | null;
  remoteUrl: string | null;
  capacity: number;
  trainerId: string | null;
  priceCents: number;
  isFree: boolean;
  slots: SlotTimes[];
}): Record<string, string> {
  const values: Record<string, string> = {
    moduleId: s.moduleId,
    kind: s.kind,
    structureId: s.structureId ?? "",
    format: s.format,
    venueName: s.venueName ?? "",
    address: s.address ?? "",
    postcode: s.postcode ?? "",
    city: s.city ?? "",
    accessInfo: s.accessInfo ?? "",
    remoteUrl: s.remoteUrl ?? "",
    capacity: String(s.capacity),
    trainerId: s.trainerId ?? "",
    price: centsToEurosInput(s.priceCents),
  };
  if (s.isFree) values.isFree = "on";
  s.slots.forEach((slot, i) => {
    const f = slotFieldNames(i);
    values[f.date] = parisDateInput(slot.startsAt);
    values[f.start] = parisTimeInput(slot.startsAt);
    values[f.end] = parisTimeInput(slot.endsAt);
  });
  return values;
}

