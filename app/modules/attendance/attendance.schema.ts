import { z } from "zod";
import { CORRECTION_REASON_MIN_LENGTH } from "./attendance.rules";

/**
 * The attendance forms: a learner signing (typed name, drawn image, code shown in the room,
 * QR token), the trainer marking a line and countersigning, and the staff's correction.
 */

/** A drawn signature is a small PNG: a few kilobytes; anything far bigger is not one. */
export const MAX_SIGNATURE_DATA_URL_LENGTH = 150_000;
export const MAX_MINUTES_LATE = 240;
const REASON_MAX = 500;

const asString = (v: unknown) => (typeof v === "string" ? v : "");
const text = (max: number) => z.preprocess(asString, z.string().trim().max(max));
const idField = z.preprocess(asString, z.string().trim().min(1, "Ligne manquante.").max(100, "Ligne manquante."));

const drawnSignature = z.preprocess(
  asString,
  z
    .string()
    .trim()
    .max(MAX_SIGNATURE_DATA_URL_LENGTH, "Ce dessin de signature est trop lourd : effacez-le et signez à nouveau, plus simplement.")
    .refine((v) => v === "" || v.startsWith("data:image/png;base64,"), "Ce dessin de signature n'est pas une image PNG."),
);

export const SIGN_METHODS = ["TYPED", "DRAWN", "CODE", "QR"] as const;
export type SignMethod = (typeof SIGN_METHODS)[number];

/**
 * One form for every way of signing. Without JavaScript the learner types their name; the
 * canvas adds a drawn image to the same form; the code and QR token come with their own method.
 */
export const SignSchema = z
  .object({
    method: z.preprocess(asString, z.enum(SIGN_METHODS, "Choisissez une façon de signer.")),
    enrolmentId: text(100),
    typedName: text(200),
    signature: drawnSignature,
    code: text(40),
    token: text(60),
  })
  .superRefine((v, ctx) => {
    if ((v.method === "TYPED" || v.method === "DRAWN") && v.typedName === "")
      ctx.addIssue({ code: "custom", path: ["typedName"], message: "Écrivez votre nom et prénom pour confirmer votre présence." });
    if (v.method === "DRAWN" && v.signature === "") ctx.addIssue({ code: "custom", path: ["signature"], message: "Dessinez votre signature dans le cadre." });
    if (v.method === "CODE" && v.code === "") ctx.addIssue({ code: "custom", path: ["code"], message: "Saisissez le code à 6 chiffres affiché dans la salle." });
    if (v.method === "QR" && v.token === "") ctx.addIssue({ code: "custom", path: ["code"], message: "Ce lien ne porte pas de code : scannez à nouveau le QR code affiché dans la salle." });
  });
export type SignInput = z.infer<typeof SignSchema>;

const statusField = z.preprocess(asString, z.enum(["PRESENT", "LATE", "ABSENT"], "Choisissez présent, en retard ou absent."));
const minutesField = z.preprocess(
  (v) => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined),
  z.coerce
    .number("Indiquez le retard en minutes (un nombre entier).")
    .int("Indiquez le retard en minutes (un nombre entier).")
    .min(1, "Un retard compte au moins une minute.")
    .max(MAX_MINUTES_LATE, `Un retard de plus de ${MAX_MINUTES_LATE} minutes est une absence.`)
    .optional(),
);

const withLateness = <T extends { status: "PRESENT" | "LATE" | "ABSENT"; minutesLate?: number | undefined }>(v: T, ctx: z.RefinementCtx) => {
  if (v.status === "LATE" && v.minutesLate === undefined) ctx.addIssue({ code: "custom", path: ["minutesLate"], message: "Indiquez de combien de minutes la personne est arrivée en retard." });
};

export const MarkSchema = z.object({ enrolmentId: idField, status: statusField, minutesLate: minutesField }).superRefine(withLateness);
export type MarkInput = z.infer<typeof MarkSchema>;

export const CountersignSchema = z.object({
  typedName: z.preprocess(asString, z.string().trim().min(1, "Écrivez votre nom et prénom pour contresigner.").max(200)),
  signature: drawnSignature,
});

export const CorrectionSchema = z
  .object({
    enrolmentId: idField,
    status: statusField,
    minutesLate: minutesField,
    reason: z.preprocess(
      asString,
      z
        .string()
        .trim()
        .min(CORRECTION_REASON_MIN_LENGTH, `Indiquez la raison de la correction (${CORRECTION_REASON_MIN_LENGTH} caractères au moins) : elle est gardée dans le journal.`)
        .max(REASON_MAX, `La raison est trop longue (${REASON_MAX} caractères au plus).`),
    ),
  })
  .superRefine(withLateness);
export type CorrectionInput = z.infer<typeof CorrectionSchema>;
