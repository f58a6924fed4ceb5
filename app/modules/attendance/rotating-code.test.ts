import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CODE_STEP_SECONDS, slotCode, timeStep, verifySlotCode } from "./rotating-code";

const secret = "test-secret-for-attendance-codes-0123456789";
const slotId = "clslot0000000000000000001";
// A step boundary: 2026-03-02T08:00:00Z is a multiple of 30 s.
const t0 = new Date("2026-03-02T08:00:00Z");
const later = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

describe("slotCode", () => {
  it("gives six digits and a 22-character URL-safe token, shown until the end of the step", () => {
    const code = slotCode({ secret, slotId, now: later(7) });
    expect(code.digits).toMatch(/^\d{6}$/);
    expect(code.token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(code.step).toBe(timeStep(t0));
    expect(code.validUntil.toISOString()).toBe("2026-03-02T08:00:30.000Z");
  });

  it("is the HMAC-SHA256 of the slot and step, truncated as HOTP", () => {
    const digest = createHmac("sha256", secret).update(`maillon/attendance-code/v1\n${slotId}\n${timeStep(t0)}`).digest();
    const offset = digest[digest.length - 1]! & 0x0f;
    const expected = String((digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, "0");
    expect(slotCode({ secret, slotId, now: t0 }).digits).toBe(expected);
    expect(slotCode({ secret, slotId, now: t0 }).token).toBe(digest.subarray(0, 16).toString("base64url"));
  });

  it("stays the same within a step and changes with the step, the slot and the secret", () => {
    const base = slotCode({ secret, slotId, now: t0 });
    expect(slotCode({ secret, slotId, now: later(29) })).toEqual(base);
    expect(slotCode({ secret, slotId, now: later(30) }).token).not.toBe(base.token);
    expect(slotCode({ secret, slotId: `${slotId}x`, now: t0 }).token).not.toBe(base.token);
    expect(slotCode({ secret: `${secret}!`, slotId, now: t0 }).token).not.toBe(base.token);
  });

  it("spreads digits evenly enough (no fixed prefix, leading zeros kept)", () => {
    const codes = Array.from({ length: 2000 }, (_, i) => slotCode({ secret, slotId, now: later(i * CODE_STEP_SECONDS) }).digits);
    expect(new Set(codes).size).toBeGreaterThan(1990);
    expect(new Set(codes.map((c) => c[0])).size).toBe(10);
    expect(codes.every((c) => c.length === 6)).toBe(true);
  });

  it("refuses a short secret", () => {
    expect(() => slotCode({ secret: "short", slotId, now: t0 })).toThrow(/at least 16 bytes/);
    expect(() => slotCode({ secret: Buffer.alloc(15), slotId, now: t0 })).toThrow();
    expect(() => slotCode({ secret: Buffer.alloc(16, 7), slotId, now: t0 })).not.toThrow();
  });
});

describe("verifySlotCode", () => {
  const shown = slotCode({ secret, slotId, now: later(10) });

  it.each([
    ["in the same step", 25],
    ["in the next step (read just before it rotated)", 55],
  ])("accepts the digits and the token %s", (_case, seconds) => {
    expect(verifySlotCode({ secret, slotId, code: shown.digits, now: later(seconds) })).toEqual({ ok: true, step: shown.step });
    expect(verifySlotCode({ secret, slotId, code: shown.token, now: later(seconds) })).toEqual({ ok: true, step: shown.step });
  });

  it("reads digits typed with spaces or a dash", () => {
    const spaced = `${shown.digits.slice(0, 3)} ${shown.digits.slice(3)}`;
    expect(verifySlotCode({ secret, slotId, code: spaced, now: later(12) }).ok).toBe(true);
    expect(verifySlotCode({ secret, slotId, code: `${shown.digits.slice(0, 3)}-${shown.digits.slice(3)}`, now: later(12) }).ok).toBe(true);
  });

  it("refuses a code replayed after it rotated twice", () => {
    const check = verifySlotCode({ secret, slotId, code: shown.token, now: later(60) });
    expect(check).toMatchObject({ ok: false, reason: "EXPIRED" });
    if (!check.ok) expect(check.message).toContain("a déjà changé");
    expect(verifySlotCode({ secret, slotId, code: shown.digits, now: later(3600) }).ok).toBe(false);
  });

  it("refuses a code from the future (a later step)", () => {
    const next = slotCode({ secret, slotId, now: later(40) });
    expect(verifySlotCode({ secret, slotId, code: next.token, now: later(10) }).ok).toBe(false);
  });

  it("refuses a code shown for another slot or made with another secret", () => {
    expect(verifySlotCode({ secret, slotId: "clslot0000000000000000002", code: shown.token, now: later(10) }).ok).toBe(false);
    const forged = slotCode({ secret: "another-secret-of-enough-length", slotId, now: later(10) });
    expect(verifySlotCode({ secret, slotId, code: forged.token, now: later(10) }).ok).toBe(false);
  });

  it("refuses a tampered token and a wrong digit", () => {
    const last = shown.token.at(-1) === "A" ? "B" : "A";
    expect(verifySlotCode({ secret, slotId, code: shown.token.slice(0, -1) + last, now: later(10) }).ok).toBe(false);
    const wrong = shown.digits.slice(0, 5) + String((Number(shown.digits[5]) + 1) % 10);
    expect(verifySlotCode({ secret, slotId, code: wrong, now: later(10) }).ok).toBe(false);
  });

  it.each(["", "12345", "1234567", "abcdef", "12 34 5", "x".repeat(23)])("says %j is malformed", (code) => {
    expect(verifySlotCode({ secret, slotId, code, now: later(10) })).toMatchObject({ ok: false, reason: "MALFORMED" });
  });

  it("honours another step length", () => {
    const minute = slotCode({ secret, slotId, now: later(5), stepSeconds: 60 });
    expect(verifySlotCode({ secret, slotId, code: minute.digits, now: later(115), stepSeconds: 60 }).ok).toBe(true);
    expect(verifySlotCode({ secret, slotId, code: minute.digits, now: later(120), stepSeconds: 60 }).ok).toBe(false);
  });
});
