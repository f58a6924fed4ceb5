import { hkdfSync } from "node:crypto";
import QRCode from "qrcode";
import { DEVELOPMENT_SECRET } from "~/modules/recharges/code-crypto.server";
import { getEnv } from "~/utils/env.server";
import { slotCode, verifySlotCode, type CodeCheck, type SlotCode } from "./rotating-code";

/**
 * The rotating code and QR code shown in the room. Their key is derived with HKDF from the
 * server's `CODES_ENCRYPTION_KEY` under its own purpose, so it is as secret as that key and
 * never the key that encrypts recharge codes; without the variable, the public development
 * secret is used (as for recharge codes), acceptable only for demo and test sheets.
 */
let cached: { source: string; key: Buffer } | undefined;

function attendanceCodeKey(): Buffer {
  const source = process.env.CODES_ENCRYPTION_KEY || DEVELOPMENT_SECRET;
  if (cached?.source !== source) cached = { source, key: Buffer.from(hkdfSync("sha256", source, "maillon", "attendance-codes", 32)) };
  return cached.key;
}

/** Where the QR code sends the learner's phone: their sign page, with the current token. */
const qrSignPath = (slotId: string, token: string) => `/emargement/${encodeURIComponent(slotId)}?jeton=${encodeURIComponent(token)}`;

export type SlotCodeDisplay = SlotCode & { url: string; qrSvg: string };

/** The code to show for the slot at `now`, its QR link and that link as an inline SVG QR code. */
export async function slotCodeDisplay(slotId: string, now: Date): Promise<SlotCodeDisplay> {
  const code = slotCode({ secret: attendanceCodeKey(), slotId, now });
  const url = `${getEnv().APP_URL}${qrSignPath(slotId, code.token)}`;
  const qrSvg = await QRCode.toString(url, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return { ...code, url, qrSvg };
}

/** Checks a typed code or a QR token for the slot at `now` (the current or the previous step). */
export const checkSlotCode = (slotId: string, code: string, now: Date): CodeCheck => verifySlotCode({ secret: attendanceCodeKey(), slotId, code, now });

/** The code and token of `slotId` at `now`, without the QR drawing (tests play the learner with it). */
export const currentSlotCode = (slotId: string, now: Date): SlotCode => slotCode({ secret: attendanceCodeKey(), slotId, now });
