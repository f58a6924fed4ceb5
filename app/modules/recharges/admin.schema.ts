import { z } from "zod";
import { MIN_VALIDITY_DAYS_MAX } from "./stock.rules";

const euros = (label: string) =>
  z
    .string({ error: `Indiquez ${label}.` })
    .trim()
    .regex(/^\d{1,4}([,.]\d{1,2})?$/, `Indiquez ${label} en euros (ex. 4 ou 4,50).`)
    .transform((v) => Math.round(Number(v.replace(",", ".")) * 100));
const count = (message: string, min = 0) => z.coerce.number({ error: message }).int(message).min(min, message).max(100_000, message);
const minValidityMessage = `Indiquez un nombre entier de jours, de 0 à ${MIN_VALIDITY_DAYS_MAX}.`;
/** A blank field would coerce to 0: it is an error, not "any code". */
const minValidityDays = z.preprocess(
  (v) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim() : v),
  z.coerce.number({ error: minValidityMessage }).int(minValidityMessage).min(0, minValidityMessage).max(MIN_VALIDITY_DAYS_MAX, minValidityMessage),
);

export const ProductSchema = z.object({
  name: z.string({ error: "Indiquez le nom." }).trim().min(2, "Indiquez le nom.").max(60, "60 caractères au plus."),
  description: z.string({ error: "Dites ce que donne la recharge." }).trim().min(3, "Dites ce que donne la recharge.").max(200, "200 caractères au plus."),
  faceValue: euros("la valeur faciale"),
  solidarityPrice: euros("le prix solidaire"),
  validityDays: count("Indiquez une durée en jours (1 à 365).", 1).refine((n) => n <= 365, "Indiquez une durée en jours (1 à 365)."),
  minValidityDays,
  lowStockThreshold: count("Indiquez un nombre entier, 0 ou plus."),
});

export const MinValiditySchema = z.object({
  productId: z.string({ error: "Choisissez un produit." }).min(1, "Choisissez un produit."),
  minValidityDays,
});

const period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "Choisissez un mois (AAAA-MM).");

export const AllocateSchema = z.object({
  relayId: z.string().min(1, "Choisissez un relais."),
  productId: z.string().min(1, "Choisissez une recharge."),
  period,
  units: count("Indiquez un nombre entier de recharges, au moins 1.", 1),
});

export const MoveSchema = z.object({
  fromRelayId: z.string().min(1, "Choisissez le relais d'origine."),
  toRelayId: z.string().min(1, "Choisissez le relais qui reçoit."),
  productId: z.string().min(1, "Choisissez une recharge."),
  period,
  units: count("Indiquez un nombre entier de recharges, au moins 1.", 1),
  reason: z.string({ error: "Indiquez la raison du transfert." }).trim().min(5, "Indiquez la raison du transfert (5 caractères au moins).").max(300, "300 caractères au plus."),
});

export const CeilingSchema = z.object({
  relayId: z.string().min(1, "Choisissez un relais."),
  ceiling: euros("le plafond mensuel"),
});

export const RestoreSchema = z.object({
  issueId: z.string().min(1, "Choisissez une recharge."),
  reason: z.string({ error: "Indiquez la raison." }).trim().min(5, "Indiquez la raison (5 caractères au moins).").max(300, "300 caractères au plus."),
});
