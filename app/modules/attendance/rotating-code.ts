/**
 * Short-lived sign-in codes shown in the room (émargement par code ou QR code): for each
 * slot and each 30-second time step, HMAC-SHA256(secret, slot id + step) gives a 6-digit
 * code to type and a URL token for the QR code. Verification accepts the current step and
 * the one before (so a code read just before it rotated still works, for 30 to 60 s in all)
 * and compares in constant time. A code photographed and sent to someone outside the room
 * stops working once it has rotated; signing twice is refused by the sheet rules anyway.
 *
 * The secret is a parameter: the caller reads it from the environment. Tested in
 * rotating-code.test.ts.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

/** How long one code is shown, in seconds. */
export const CODE_STEP_SECONDS = 30;
/** Secrets shorter than this (bytes) are refused: codes would be guessable offline. */
export const MIN_SECRET_BYTES = 16;
const DIGITS = 6;
const TOKEN_BYTES = 16;
const DOMAIN = "maillon/attendance-code/v1";

export type SlotCode = { digits: string; token: string; step: number; validUntil: Date };
export type CodeCheck =
  | { ok: true; step: number }
  | { ok: false; reason: "MALFORMED" | "EXPIRED"; message: string };

/** The time step `now` falls in (Unix seconds / step length, floored). */
export const timeStep = (now: Date, stepSeconds = CODE_STEP_SECONDS): number => Math.floor(now.getTime() / 1000 / stepSeconds);

/** Throws unless the secret is long enough to key an HMAC safely. */
function secretBytes(secret: string | Buffer): Buffer {
  const bytes = typeof secret === "string" ? Buffer.from(secret, "utf8") : secret;
  if (bytes.length < MIN_SECRET_BYTES) throw new Error(`Attendance code secret must be at least ${MIN_SECRET_BYTES} bytes`);
  return bytes;
}

/** HMAC-SHA256 over the slot id and step, separated so that ("a1", 2) and ("a", 12) never collide. */
function mac(secret: Buffer, slotId: string, step: number): Buffer {
  return createHmac("sha256", secret).update(`${DOMAIN}\n${slotId}\n${step}`, "utf8").digest();
}

/** Six digits from the MAC by dynamic truncation (as HOTP, RFC 4226). */
function digitsOf(digest: Buffer): string {
  const offset = digest[digest.length - 1]! & 0x0f;
  const value = digest.readUInt32BE(offset) & 0x7fffffff;
  return String(value % 10 ** DIGITS).padStart(DIGITS, "0");
}

/** The URL-safe token (128 bits of the MAC, base64url) carried by the QR code. */
const tokenOf = (digest: Buffer): string => digest.subarray(0, TOKEN_BYTES).toString("base64url");

/** The code and QR token to show for `slotId` at `now`, and until when they are shown. */
export function slotCode(input: { secret: string | Buffer; slotId: string; now: Date; stepSeconds?: number }): SlotCode {
  const stepSeconds = input.stepSeconds ?? CODE_STEP_SECONDS;
  const step = timeStep(input.now, stepSeconds);
  const digest = mac(secretBytes(input.secret), input.slotId, step);
  return { digits: digitsOf(digest), token: tokenOf(digest), step, validUntil: new Date((step + 1) * stepSeconds * 1000) };
}

const DIGITS_SHAPE = /^\d{6}$/;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{22}$/;

/** Constant-time equality of two ASCII strings of the same shape. */
const sameText = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));

/**
 * Checks a typed code ("123 456" is read as "123456") or a QR token against `slotId` at
 * `now`: valid for the current and the previous step only.
 */
export function verifySlotCode(input: { secret: string | Buffer; slotId: string; code: string; now: Date; stepSeconds?: number }): CodeCheck {
  const secret = secretBytes(input.secret);
  const typed = input.code.replace(/[\s\u00a0\u202f-]/g, "");
  const isDigits = DIGITS_SHAPE.test(typed);
  if (!isDigits && !TOKEN_SHAPE.test(input.code.trim())) {
    return { ok: false, reason: "MALFORMED", message: "Le code d'émargement compte 6 chiffres : recopiez celui affiché dans la salle." };
  }
  const current = timeStep(input.now, input.stepSeconds ?? CODE_STEP_SECONDS);
  let matched: number | null = null;
  for (const step of [current, current - 1]) {
    const digest = mac(secret, input.slotId, step);
    const ok = isDigits ? sameText(typed, digitsOf(digest)) : sameText(input.code.trim(), tokenOf(digest));
    if (ok && matched === null) matched = step;
  }
  if (matched === null) {
    return { ok: false, reason: "EXPIRED", message: "Ce code n'est pas valable ou a déjà changé : saisissez le code affiché en ce moment dans la salle, ou scannez à nouveau le QR code." };
  }
  return { ok: true, step: matched };
}
