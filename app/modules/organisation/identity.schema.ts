import { z } from "zod";
import { siretProblem } from "~/modules/relays/identifiers.rules";
import { personNameField } from "~/utils/person-name";

const text = (label: string, max: number) =>
  z
    .string({ error: `Indiquez ${label}.` })
    .transform((v) => v.normalize("NFC").replace(/\s+/g, " ").trim())
    .pipe(z.string().min(1, `Indiquez ${label}.`).max(max, `${max} caractères au plus.`));

/** The /admin/organisation form. */
export const IdentitySchema = z.object({
  name: text("le nom de l'organisation", 120),
  legalForm: text("la forme juridique", 160),
  street: text("l'adresse", 160),
  postalCode: z
    .string()
    .transform((v) => v.replace(/\s/g, ""))
    .pipe(z.string().regex(/^\d{5}$/, "Le code postal compte 5 chiffres.")),
  city: text("la commune", 80),
  siret: z
    .string()
    .transform((v) => v.replace(/\s/g, ""))
    .superRefine((v, ctx) => {
      const problem = siretProblem(v);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  nda: z
    .string()
    .transform((v) => v.replace(/\s/g, ""))
    .pipe(z.string().regex(/^\d{11}$/, "Le numéro de déclaration d'activité compte 11 chiffres (il figure sur le récépissé de la préfecture).")),
  ndaRegion: text("la région de la déclaration d'activité", 80),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email("Adresse e-mail invalide (exemple : formation@association.fr).").max(160)),
  phone: z
    .string()
    .trim()
    .pipe(z.string().regex(/^\+?[\d .()-]{10,20}$/, "Numéro de téléphone invalide (exemple : 01 23 45 67 89).")),
  signatoryName: personNameField("Indiquez le nom de la personne qui signe les documents."),
  signatoryTitle: text("sa fonction", 120),
  documentMentions: z
    .string()
    .transform((v) => v.normalize("NFC").trim())
    .pipe(z.string().max(600, "600 caractères au plus.")),
});

export type IdentityInput = z.infer<typeof IdentitySchema>;
