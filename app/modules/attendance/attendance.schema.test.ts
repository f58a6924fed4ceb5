import { describe, expect, it } from "vitest";
import { CorrectionSchema, MarkSchema, MAX_SIGNATURE_DATA_URL_LENGTH, SignSchema } from "./attendance.schema";
import { parseForm } from "~/utils/forms.server";

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
};

describe("SignSchema", () => {
  it.each([
    [{ method: "TYPED", typedName: "Zoë" }, null],
    [{ method: "TYPED", typedName: "  " }, ["typedName", "Écrivez votre nom et prénom pour confirmer votre présence."]],
    [{ method: "DRAWN", typedName: "Zoë", signature: "" }, ["signature", "Dessinez votre signature dans le cadre."]],
    [{ method: "DRAWN", typedName: "Zoë", signature: "data:image/svg+xml;base64,PHN2Zy8+" }, ["signature", "Ce dessin de signature n'est pas une image PNG."]],
    [{ method: "DRAWN", typedName: "Zoë", signature: `data:image/png;base64,${"A".repeat(MAX_SIGNATURE_DATA_URL_LENGTH)}` }, ["signature", "Ce dessin de signature est trop lourd : effacez-le et signez à nouveau, plus simplement."]],
    [{ method: "CODE", code: "" }, ["code", "Saisissez le code à 6 chiffres affiché dans la salle."]],
    [{ method: "QR", token: "" }, ["code", "Ce lien ne porte pas de code : scannez à nouveau le QR code affiché dans la salle."]],
    [{ method: "FAX" }, ["method", "Choisissez une façon de signer."]],
  ] as const)("%j → %j", (fields, expected) => {
    const parsed = parseForm(SignSchema, form(fields));
    if (!expected) return expect(parsed.ok).toBe(true);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors[expected[0]]).toBe(expected[1]);
  });
});

describe("MarkSchema and CorrectionSchema", () => {
  it("asks for the delay of a late arrival, in whole minutes within bounds", () => {
    expect(parseForm(MarkSchema, form({ enrolmentId: "e1", status: "LATE", minutesLate: "" }))).toMatchObject({ ok: false, errors: { minutesLate: "Indiquez de combien de minutes la personne est arrivée en retard." } });
    expect(parseForm(MarkSchema, form({ enrolmentId: "e1", status: "LATE", minutesLate: "2.5" }))).toMatchObject({ ok: false, errors: { minutesLate: "Indiquez le retard en minutes (un nombre entier)." } });
    expect(parseForm(MarkSchema, form({ enrolmentId: "e1", status: "LATE", minutesLate: "300" }))).toMatchObject({ ok: false, errors: { minutesLate: "Un retard de plus de 240 minutes est une absence." } });
    expect(parseForm(MarkSchema, form({ enrolmentId: "e1", status: "LATE", minutesLate: "15" }))).toEqual({ ok: true, data: { enrolmentId: "e1", status: "LATE", minutesLate: 15 } });
    expect(parseForm(MarkSchema, form({ enrolmentId: "e1", status: "ABSENT", minutesLate: "" }))).toEqual({ ok: true, data: { enrolmentId: "e1", status: "ABSENT" } });
  });

  it("keeps the typed values and asks for a reason of 10 characters at least", () => {
    const parsed = parseForm(CorrectionSchema, form({ enrolmentId: "e1", status: "PRESENT", reason: "oubli" }));
    expect(parsed).toMatchObject({ ok: false, errors: { reason: "Indiquez la raison de la correction (10 caractères au moins) : elle est gardée dans le journal." }, values: { reason: "oubli" } });
  });
});
