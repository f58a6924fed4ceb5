import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { OPEN_BADGE_CONTEXT, openBadgeCredential, type BadgeCertificate } from "./open-badge";

const certificate = (over: Partial<BadgeCertificate> = {}): BadgeCertificate => ({
  kind: "COMPLETION",
  number: "MAI-2026-000123",
  holderName: "Александра Ковалёва",
  moduleTitle: "Pratiques d'accompagnement vers le numérique",
  attendedMinutes: 390,
  startsOn: new Date("2026-03-02T08:00:00.000Z"),
  endsOn: new Date("2026-03-03T16:00:00.000Z"),
  objectivesReached: true,
  issuedAt: new Date("2026-03-04T09:15:00.000Z"),
  expiresAt: new Date("2028-03-02T23:00:00.000Z"),
  ...over,
});

const module = {
  url: "https://maillon.example.org/formations/pratiques-accompagnement",
  summary: "Accompagner une personne vers les démarches en ligne, pas à pas.",
  objectives: ["Repérer les difficultés numériques d'une personne", "  Orienter vers la bonne ressource  ", ""],
};
const issuer = { id: "https://maillon.example.org", name: "Maillon — inclusion numérique", url: "https://maillon.example.org", email: "formation@maillon.example.org" };
const verificationUrl = "https://maillon.example.org/verifier/7KQH-2M9X-PD4R-W0ZB";

const recipient = { email: " Alexandra.Kovaleva@Example.org", salt: "5f1c0e2a9b7d4c3e", nameInClear: true };
const status = { listUrl: "https://maillon.example.org/certificats/statuts/2026", index: 123 };
const credential = (over: Partial<BadgeCertificate> = {}) => openBadgeCredential({ certificate: certificate(over), module, issuer, verificationUrl, recipient, status });
const EMAIL_HASH = `sha256$${createHash("sha256").update("alexandra.kovaleva@example.org5f1c0e2a9b7d4c3e").digest("hex")}`;

describe("openBadgeCredential", () => {
  it("has the Verifiable Credential 2.0 / Open Badges 3.0 envelope", () => {
    const vc = credential();
    expect(vc["@context"]).toEqual(["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]);
    expect(vc["@context"]).toBe(OPEN_BADGE_CONTEXT);
    expect(vc.id).toBe(verificationUrl);
    expect(vc.type).toEqual(["VerifiableCredential", "OpenBadgeCredential"]);
    expect(vc.name).toBe("Certificat de réalisation — Pratiques d'accompagnement vers le numérique — Александра Ковалёва");
    expect(vc.issuer).toEqual({ id: issuer.id, type: ["Profile"], name: issuer.name, url: issuer.url, email: issuer.email });
    expect(vc.validFrom).toBe("2026-03-04T09:15:00Z");
    expect(vc.validUntil).toBe("2028-03-02T23:00:00Z");
  });

  it("describes the subject and the achievement of a certificat de réalisation", () => {
    const vc = credential();
    expect(vc.description).toBe("Александра Ковалёва a suivi 6 h 30 de la formation « Pratiques d'accompagnement vers le numérique », du 2 mars 2026 au 3 mars 2026.");
    expect(vc.credentialSubject).toEqual({
      type: ["AchievementSubject"],
      identifier: [
        { type: "IdentityObject", identityHash: EMAIL_HASH, identityType: "emailAddress", hashed: true, salt: "5f1c0e2a9b7d4c3e" },
        { type: "IdentityObject", identityHash: "Александра Ковалёва", identityType: "name", hashed: false },
      ],
      activityStartDate: "2026-03-02T08:00:00Z",
      activityEndDate: "2026-03-03T16:00:00Z",
      achievement: {
        id: "https://maillon.example.org/formations/pratiques-accompagnement#certificat-de-realisation",
        type: ["Achievement"],
        achievementType: "CertificateOfCompletion",
        name: "Certificat de réalisation — Pratiques d'accompagnement vers le numérique",
        description: module.summary,
        criteria: { narrative: expect.stringContaining("feuille d'émargement") },
        humanCode: "MAI-2026-000123",
        inLanguage: "fr",
      },
    });
  });

  it("gives an attestation its objectives and the assessment as a status result", () => {
    const reached = credential({ kind: "END_OF_TRAINING" });
    const achievement = reached.credentialSubject.achievement;
    expect(achievement.id).toBe("https://maillon.example.org/formations/pratiques-accompagnement#attestation-de-fin-de-formation");
    expect(achievement.achievementType).toBe("Certificate");
    expect(achievement.criteria.narrative).toBe(
      "Avoir suivi la formation et passé l'évaluation des acquis.\n\nObjectifs visés :\n- Repérer les difficultés numériques d'une personne\n- Orienter vers la bonne ressource",
    );
    expect(achievement.resultDescription).toEqual([{ id: `${achievement.id}-objectifs`, type: ["ResultDescription"], name: "Objectifs de la formation", resultType: "Status" }]);
    expect(reached.credentialSubject.result).toEqual([{ type: ["Result"], resultDescription: `${achievement.id}-objectifs`, status: "Completed" }]);
    expect(reached.description).toContain(": objectifs atteints.");

    expect(credential({ kind: "END_OF_TRAINING", objectivesReached: false }).credentialSubject.result?.[0]?.status).toBe("Failed");
    expect(credential({ kind: "END_OF_TRAINING", objectivesReached: null }).credentialSubject).not.toHaveProperty("result");
    expect(credential().credentialSubject).not.toHaveProperty("result");
  });

  it("points at its bit of the year's revocation list", () => {
    expect(credential().credentialStatus).toEqual({
      id: "https://maillon.example.org/certificats/statuts/2026#123",
      type: "BitstringStatusListEntry",
      statusPurpose: "revocation",
      statusListIndex: "123",
      statusListCredential: status.listUrl,
    });
  });

  it("names the holder only by the hashed e-mail when they asked for their name not to appear", () => {
    const vc = openBadgeCredential({ certificate: certificate(), module, issuer, verificationUrl, status, recipient: { ...recipient, nameInClear: false } });
    expect(vc.credentialSubject.identifier).toEqual([{ type: "IdentityObject", identityHash: EMAIL_HASH, identityType: "emailAddress", hashed: true, salt: recipient.salt }]);
    expect(JSON.stringify(vc)).not.toContain("Александра");
    expect(vc.name).toBe("Certificat de réalisation — Pratiques d'accompagnement vers le numérique");
  });

  it("accepts a did:web issuer", () => {
    expect(openBadgeCredential({ certificate: certificate(), module, verificationUrl, recipient, status, issuer: { ...issuer, id: "did:web:localhost%3A3000" } }).issuer.id).toBe("did:web:localhost%3A3000");
  });

  it("leaves validUntil out for a certificate that does not expire", () => {
    expect(credential({ expiresAt: null })).not.toHaveProperty("validUntil");
  });

  it("keeps names in any script intact through JSON, normalised to NFC", () => {
    for (const holderName of ["فاطمة الزهراء بن علي", "Nguyễn Thị Ánh", "Zoë Łukasiewicz-Ødegård"]) {
      const vc = credential({ holderName: holderName.normalize("NFD") });
      const parsed = JSON.parse(JSON.stringify(vc)) as typeof vc;
      expect(parsed).toEqual(vc);
      expect(parsed.credentialSubject.identifier[1]!.identityHash).toBe(holderName.normalize("NFC"));
    }
  });

  it("has every property Open Badges 3.0 requires on the credential, subject, issuer and achievement", () => {
    const vc = credential({ kind: "END_OF_TRAINING" });
    for (const key of ["@context", "id", "type", "issuer", "validFrom", "name", "credentialSubject"]) expect(vc).toHaveProperty(key);
    for (const key of ["id", "type", "name"]) expect(vc.issuer).toHaveProperty(key);
    for (const key of ["id", "type", "name", "description", "criteria"]) expect(vc.credentialSubject.achievement).toHaveProperty(key);
    expect(vc.credentialSubject.type).toContain("AchievementSubject");
    // A subject must be identified: by an id or by identifiers.
    expect(vc.credentialSubject.identifier.length).toBeGreaterThan(0);
  });

  it.each([
    ["a relative verification URL", { verificationUrl: "/verifier/ABC" }],
    ["a non-http verification URL", { verificationUrl: "javascript:alert(1)" }],
    ["a relative module URL", { module: { ...module, url: "formations/x" } }],
    ["an issuer id that is not a URL", { issuer: { ...issuer, id: "Maillon" } }],
  ])("refuses %s", (_case, over) => {
    expect(() => openBadgeCredential({ certificate: certificate(), module, issuer, verificationUrl, recipient, status, ...over })).toThrow(TypeError);
  });
});
