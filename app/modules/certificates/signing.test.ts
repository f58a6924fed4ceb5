import { generateKeyPairSync, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  canonicalCertificate,
  canonicalJson,
  generateSigningKeyPair,
  loadPrivateKey,
  loadPublicKey,
  publicKeyBase64url,
  signCertificate,
  verifyCertificateSignature,
  type SignedCertificateFields,
} from "./signing";

const keys = generateSigningKeyPair();

const certificate = (over: Partial<SignedCertificateFields> = {}): SignedCertificateFields => ({
  number: "MAI-2026-000123",
  kind: "COMPLETION",
  verificationCode: "7KQH-2M9X-PD4R-W0ZB",
  holderName: "Nguyễn Thị Ánh",
  employerName: "CCAS de Villeurbanne",
  moduleTitle: "Sensibilisation et compréhension de l'inclusion numérique",
  attendedMinutes: 390,
  startsOn: new Date("2026-03-02T08:00:00Z"),
  endsOn: new Date("2026-03-02T16:00:00Z"),
  objectivesReached: true,
  issuedAt: new Date("2026-03-03T09:15:00Z"),
  expiresAt: new Date("2028-03-01T23:00:00Z"),
  ...over,
});

describe("canonicalJson", () => {
  it("sorts keys at every level and writes dates in ISO UTC", () => {
    expect(canonicalJson({ b: 1, a: { d: [true, null], c: new Date("2026-03-02T08:00:00+01:00") } })).toBe('{"a":{"c":"2026-03-02T07:00:00.000Z","d":[true,null]},"b":1}');
  });

  it("does not depend on the order fields were written in", () => {
    expect(canonicalJson({ x: "1", y: 2 })).toBe(canonicalJson({ y: 2, x: "1" }));
  });

  it("normalises strings to NFC", () => {
    const decomposed = "Nguye\u0302\u0303n"; // e + circumflex + tilde, combining
    expect(decomposed).not.toBe("Nguyễn");
    expect(canonicalJson(decomposed)).toBe(canonicalJson("Nguyễn"));
  });

  it.each([
    ["a float", 1.5],
    ["NaN", Number.NaN],
    ["an unsafe integer", 2 ** 60],
    ["an invalid date", new Date("nope")],
    ["an undefined field", { a: undefined }],
  ])("refuses %s", (_case, value) => {
    expect(() => canonicalJson(value as never)).toThrow(TypeError);
  });
});

describe("canonicalCertificate", () => {
  it("is exactly the printed fields, in a stable order", () => {
    expect(canonicalCertificate(certificate({ holderName: "Anna", employerName: null, expiresAt: null, objectivesReached: null }))).toBe(
      '{"attendedMinutes":390,"employerName":null,"endsOn":"2026-03-02T16:00:00.000Z","expiresAt":null,"format":"maillon-certificate/v1",' +
        '"holderName":"Anna","issuedAt":"2026-03-03T09:15:00.000Z","kind":"COMPLETION",' +
        '"moduleTitle":"Sensibilisation et compréhension de l\'inclusion numérique","number":"MAI-2026-000123",' +
        '"objectivesReached":null,"startsOn":"2026-03-02T08:00:00.000Z","verificationCode":"7KQH-2M9X-PD4R-W0ZB"}',
    );
  });

  it("ignores what is not signed (ids, status), so a database row can be passed as is", () => {
    const row = { ...certificate(), id: "clcert1", revokedAt: new Date(), supersededAt: null, signature: "x" };
    expect(canonicalCertificate(row)).toBe(canonicalCertificate(certificate()));
  });
});

describe("signCertificate and verifyCertificateSignature", () => {
  it.each([
    ["Vietnamese", "Nguyễn Thị Ánh", "Trung tâm Xã hội Quận 8"],
    ["Cyrillic", "Александра Ковалёва", "Ассоциация «Помощь»"],
    ["Arabic", "فاطمة الزهراء بن علي", "جمعية التضامن"],
    ["French with a long name", "Marie-Thérèse de La Rochefoucauld-Dœuvre", "Centre d'hébergement et de réinsertion sociale « Les Œillets »"],
  ])("signs and verifies a %s name", (_case, holderName, employerName) => {
    const fields = certificate({ holderName, employerName });
    const signature = signCertificate(fields, keys.privateKeyPem);
    expect(signature).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(verifyCertificateSignature(fields, signature, keys.publicKeyPem)).toBe(true);
    expect(verifyCertificateSignature({ ...fields, holderName: `${holderName} ` }, signature, keys.publicKeyPem)).toBe(false);
  });

  it("verifies a name stored decomposed (NFD) against one signed precomposed", () => {
    const signature = signCertificate(certificate(), keys.privateKeyPem);
    expect(verifyCertificateSignature(certificate({ holderName: "Nguyễn Thị Ánh".normalize("NFD") }), signature, keys.publicKeyPem)).toBe(true);
  });

  it("fails when any signed field is changed", () => {
    const fields = certificate();
    const signature = signCertificate(fields, keys.privateKeyPem);
    const tampered: Array<[string, Partial<SignedCertificateFields>]> = [
      ["number", { number: "MAI-2026-000124" }],
      ["kind", { kind: "END_OF_TRAINING" }],
      ["verificationCode", { verificationCode: "7KQH-2M9X-PD4R-W0ZC" }],
      ["holderName", { holderName: "Nguyễn Thị Anh" }],
      ["employerName", { employerName: null }],
      ["moduleTitle", { moduleTitle: "Pratiques d'accompagnement vers le numérique" }],
      ["attendedMinutes", { attendedMinutes: 420 }],
      ["startsOn", { startsOn: new Date("2026-03-01T08:00:00Z") }],
      ["endsOn", { endsOn: new Date("2026-03-02T16:00:01Z") }],
      ["objectivesReached", { objectivesReached: false }],
      ["issuedAt", { issuedAt: new Date("2026-03-03T09:15:00.001Z") }],
      ["expiresAt", { expiresAt: null }],
    ];
    expect(tampered.map(([name]) => name).sort()).toEqual(Object.keys(fields).sort()); // every field is covered
    for (const [name, change] of tampered) {
      expect(verifyCertificateSignature({ ...fields, ...change }, signature, keys.publicKeyPem), name).toBe(false);
    }
    expect(verifyCertificateSignature(fields, signature, keys.publicKeyPem)).toBe(true);
  });

  it("fails with another key, a flipped bit or a malformed signature", () => {
    const fields = certificate();
    const signature = signCertificate(fields, keys.privateKeyPem);
    expect(verifyCertificateSignature(fields, signature, generateSigningKeyPair().publicKeyPem)).toBe(false);
    const bytes = Buffer.from(signature, "base64url");
    bytes.writeUInt8(bytes.readUInt8(10) ^ 1, 10);
    expect(verifyCertificateSignature(fields, bytes.toString("base64url"), keys.publicKeyPem)).toBe(false);
    for (const bad of ["", "abc", signature.slice(0, -1), `${signature}A`, signature.replace(/^./, "+")]) {
      expect(verifyCertificateSignature(fields, bad, keys.publicKeyPem)).toBe(false);
    }
  });

  it("is deterministic (Ed25519): the same fields and key give the same signature", () => {
    expect(signCertificate(certificate(), keys.privateKeyPem)).toBe(signCertificate(certificate(), keys.privateKeyPem));
  });
});

describe("keys", () => {
  it("accepts PEM, raw base64, raw base64url and KeyObjects interchangeably", () => {
    const fields = certificate();
    const rawUrl = Buffer.from(keys.privateKeyBase64, "base64").toString("base64url");
    const signatures = [keys.privateKeyPem, keys.privateKeyBase64, rawUrl, loadPrivateKey(keys.privateKeyPem)].map((k) => signCertificate(fields, k));
    expect(new Set(signatures).size).toBe(1);
    for (const pub of [keys.publicKeyPem, keys.publicKeyBase64, loadPublicKey(keys.publicKeyBase64), loadPrivateKey(keys.privateKeyPem)]) {
      expect(verifyCertificateSignature(fields, signatures[0]!, pub)).toBe(true);
    }
    expect(publicKeyBase64url(keys.publicKeyPem)).toBe(Buffer.from(keys.publicKeyBase64, "base64").toString("base64url"));
  });

  it("wraps raw keys correctly (RFC 8032 test vector 1)", () => {
    const seed = Buffer.from("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "hex").toString("base64");
    const expectedPublic = Buffer.from("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "hex").toString("base64url");
    const privateKey = loadPrivateKey(seed);
    expect(publicKeyBase64url(privateKey)).toBe(expectedPublic);
    expect(sign(null, Buffer.alloc(0), privateKey).toString("hex")).toBe(
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
    );
  });

  it("refuses keys that are not Ed25519 or not 32 bytes", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 });
    expect(() => loadPrivateKey(rsa.privateKey.export({ format: "pem", type: "pkcs8" }).toString())).toThrow(/Ed25519/);
    expect(() => loadPublicKey(rsa.publicKey)).toThrow(/Ed25519/);
    expect(() => loadPrivateKey(Buffer.alloc(31).toString("base64"))).toThrow(/32 bytes/);
    expect(() => loadPublicKey("not a key!")).toThrow(/neither PEM nor base64/);
  });

  it("generates distinct pairs whose halves match", () => {
    const other = generateSigningKeyPair();
    expect(other.privateKeyPem).not.toBe(keys.privateKeyPem);
    expect(other.privateKeyPem).toContain("-----BEGIN PRIVATE KEY-----");
    expect(other.publicKeyPem).toContain("-----BEGIN PUBLIC KEY-----");
    expect(Buffer.from(other.privateKeyBase64, "base64")).toHaveLength(32);
    expect(publicKeyBase64url(loadPrivateKey(other.privateKeyBase64))).toBe(publicKeyBase64url(other.publicKeyPem));
    // A raw string is always read as a public key: the private seed must go through loadPrivateKey.
    expect(publicKeyBase64url(other.privateKeyBase64)).not.toBe(publicKeyBase64url(other.publicKeyPem));
  });
});
