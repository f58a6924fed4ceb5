import { describe, expect, it } from "vitest";
import { IdentitySchema } from "./identity.schema";
import { DEMO_IDENTITY, LOGO_MAX_BYTES, checkLogo, formatNda, formatSiret, ndaMention } from "./identity.rules";

const bytes = (text: string) => new TextEncoder().encode(text);
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]);

describe("checkLogo", () => {
  it.each([
    ["a PNG", PNG, "image/png"],
    ["a JPEG", JPEG, "image/jpeg"],
    ["a plain SVG", bytes('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4" fill="#8a1c3c"/></svg>'), "image/svg+xml"],
    ["an SVG with an XML prolog, a comment and an internal gradient", bytes('<?xml version="1.0"?>\n<!-- Logo -->\n<svg xmlns="http://www.w3.org/2000/svg"><defs><linearGradient id="g"/></defs><rect fill="url(#g)" width="1" height="1"/><use href="#g"/></svg>'), "image/svg+xml"],
  ])("accepts %s", (_label, file, type) => {
    expect(checkLogo(file)).toEqual({ ok: true, type });
  });

  it.each([
    ["a script", '<svg><script>alert(1)</script></svg>', "un script"],
    ["an event handler", '<svg onload="alert(1)"></svg>', "un attribut d'événement"],
    ["a javascript: link", '<svg><a href="javascript:alert(1)"><text>x</text></a></svg>', "un lien javascript:"],
    ["embedded HTML", "<svg><foreignObject><iframe src='x'/></foreignObject></svg>", "du HTML intégré"],
    ["an entity", '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;</svg>', "DOCTYPE"],
    ["an external image", '<svg><image href="https://tracker.example/p.png"/></svg>', "une ressource extérieure"],
    ["an external style", "<svg><style>@import url(https://x.example/a.css);</style></svg>", "une ressource extérieure dans son style"],
  ])("refuses an SVG with %s, in French", (_label, svg, reason) => {
    const result = checkLogo(bytes(svg));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(reason);
  });

  it("refuses an empty file, a file too large, and what is not an image", () => {
    expect(checkLogo(new Uint8Array())).toEqual({ ok: false, error: "Le fichier du logo est vide." });
    const big = new Uint8Array(LOGO_MAX_BYTES + 1);
    big.set(PNG);
    expect(checkLogo(big)).toMatchObject({ ok: false, error: expect.stringContaining("Le logo dépasse 500 Ko") });
    expect(checkLogo(bytes("%PDF-1.7"))).toEqual({ ok: false, error: "Le logo doit être une image PNG, JPEG ou SVG." });
    expect(checkLogo(bytes("<html><svg></svg></html>"))).toMatchObject({ ok: false });
  });
});

describe("formatting", () => {
  it("prints the SIRET, the NDA and the mention the law asks for", () => {
    expect(formatSiret("79012345900014")).toBe("790 123 459 00014");
    expect(formatNda("11755512375")).toBe("11 75 55123 75");
    expect(ndaMention({ nda: "84691234569", ndaRegion: "Auvergne-Rhône-Alpes" })).toBe(
      "Déclaration d'activité enregistrée sous le numéro 84 69 12345 69 auprès du préfet de la région Auvergne-Rhône-Alpes. Cet enregistrement ne vaut pas agrément de l'État.",
    );
  });
});

describe("IdentitySchema", () => {
  const { id: _id, hasLogo: _h, logoType: _t, ...valid } = DEMO_IDENTITY;
  it("accepts the demo identity, spaces in numbers removed", () => {
    const parsed = IdentitySchema.safeParse({ ...valid, siret: "790 123 459 00014", nda: "11 75 55123 75", postalCode: "75 011" });
    expect(parsed.success && parsed.data).toMatchObject({ siret: "79012345900014", nda: "11755512375", postalCode: "75011" });
  });
  it.each([
    ["siret", "00000000000000", "un même chiffre répété"],
    ["siret", "79012345900015", "la clé de contrôle"],
    ["nda", "1175551237", "11 chiffres"],
    ["postalCode", "7501", "5 chiffres"],
    ["email", "formation@", "Adresse e-mail invalide"],
    ["phone", "appelez-nous", "Numéro de téléphone invalide"],
    ["name", "   ", "Indiquez le nom de l'organisation."],
    ["documentMentions", "x".repeat(601), "600 caractères au plus."],
  ])("refuses %s = %j with a French message", (field, value, message) => {
    const parsed = IdentitySchema.safeParse({ ...valid, [field]: value });
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(parsed.error.issues.find((i) => i.path[0] === field)?.message).toContain(message);
  });
});
