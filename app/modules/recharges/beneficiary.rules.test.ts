import { describe, expect, it } from "vitest";
import { normaliseBeneficiaryReference } from "./beneficiary.rules";

describe("normaliseBeneficiaryReference (one person, one reference)", () => {
  it.each([
    ["D-2026-041", "D-2026-041"],
    ["d-2026-041", "D-2026-041"],
    ["  D-2026-041  ", "D-2026-041"],
    ["dossier élodie", "DOSSIER ÉLODIE"],
    ["dossier e\u0301lodie", "DOSSIER ÉLODIE"], // a decomposed accent, as some keyboards send it
    ["жк-12", "ЖК-12"],
  ])("%j → %j", (raw, key) => {
    expect(normaliseBeneficiaryReference(raw)).toBe(key);
  });

  it("keeps inner spaces: only the surrounding ones are noise", () => {
    expect(normaliseBeneficiaryReference("D 41")).not.toBe(normaliseBeneficiaryReference("D41"));
  });
});
