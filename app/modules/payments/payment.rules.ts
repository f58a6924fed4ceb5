/**
 * Card payment rules: pure functions over plain data, tested as tables (payment.rules.test.ts).
 * The server modules (checkout.server.ts, refunds.server.ts) apply them around Stripe calls.
 */
import type { EnrolmentStatus, Funding, PaymentStatus } from "~/modules/enrolment/enrolment.rules";

const MINUTE_MS = 60_000;

/** How long a seat is held for a learner paying by card, from the moment they enrol. */
export const HOLD_MINUTES = 35;
/** Stripe refuses a Checkout Session that expires sooner than 30 minutes after its creation. */
export const CHECKOUT_MIN_MINUTES = 31;
/** Why a held seat went back: written as the enrolment's cancel reason, and recognised later. */
export const HOLD_EXPIRED_REASON = "paiement non finalisé dans le délai";

export const holdDeadline = (now: Date): Date => new Date(now.getTime() + HOLD_MINUTES * MINUTE_MS);

/**
 * When the Checkout Session started now must expire: at the end of the hold, or later if
 * Stripe's minimum requires it (a retry late in the hold). The hold is then stretched to
 * match, so a payment Stripe still accepts always finds its seat. Whole seconds: Stripe
 * takes a Unix time.
 */
export function checkoutExpiry(holdExpiresAt: Date, now: Date): Date {
  const earliest = now.getTime() + CHECKOUT_MIN_MINUTES * MINUTE_MS;
  return new Date(Math.ceil(Math.max(holdExpiresAt.getTime(), earliest) / 1000) * 1000);
}

/**
 * Stripe replays the stored answer of a key for 24 hours, errors included: a retry after a
 * failure needs a new key, a double click the same one. So the key names the enrolment and
 * the number of attempts already recorded for it.
 */
export const checkoutIdempotencyKey = (enrolmentId: string, attempt: number): string => `maillon-checkout-${enrolmentId}-${attempt}`;
export const refundIdempotencyKey = (enrolmentId: string, paymentIntentId: string, attempt: number): string =>
  `maillon-refund-${enrolmentId}-${paymentIntentId}-${attempt}`;

/** Card payment is offered for a paid session when Stripe is configured. */
export const cardPaymentOffered = (input: { stripeConfigured: boolean; isFree: boolean; priceCents: number }): boolean =>
  input.stripeConfigured && !input.isFree && input.priceCents > 0;

/** Why a card enrolment may not be started, in French; null when it may. */
export function cardEnrolmentRefusal(input: { stripeConfigured: boolean; isFree: boolean; priceCents: number; seatLeft: boolean }): string | null {
  if (!input.stripeConfigured) return "Le paiement par carte n'est pas proposé pour le moment : choisissez un autre mode de financement.";
  if (input.isFree || input.priceCents <= 0) return "Cette session est gratuite : aucun paiement n'est demandé.";
  if (!input.seatLeft) return CARD_NEEDS_A_SEAT;
  return null;
}

export const CARD_NEEDS_A_SEAT =
  "La session est complète : le paiement par carte n'est possible que pour une place libre. Choisissez un autre mode de financement pour rejoindre la liste d'attente.";

export type PayableEnrolment = { status: EnrolmentStatus; funding: Funding; paymentStatus: PaymentStatus; holdExpiresAt: Date | null };

/** Why the learner cannot (re)start paying this enrolment now, in French; null when they can. */
export function paymentStartRefusal(enrolment: PayableEnrolment, now: Date): string | null {
  if (enrolment.status === "CONFIRMED" && enrolment.paymentStatus === "PAID") return "Cette inscription est déjà payée.";
  if (enrolment.funding !== "CARD" || enrolment.status !== "PENDING_PAYMENT") return "Aucun paiement n'est attendu pour cette inscription.";
  if (!enrolment.holdExpiresAt || enrolment.holdExpiresAt.getTime() <= now.getTime()) {
    return "Le délai de paiement est dépassé : la place a été libérée. Vous pouvez vous inscrire à nouveau s'il reste des places.";
  }
  return null;
}

export const canPayNow = (enrolment: PayableEnrolment, now: Date): boolean => paymentStartRefusal(enrolment, now) === null;

/**
 * What a paid Checkout Session does to its enrolment, whatever order the events come in:
 * - confirm: the seat held for this payment becomes a confirmed enrolment;
 * - retake: the hold lapsed and the seat went back; take a seat again if one is free, else refund;
 * - refund: the money has no seat to pay for (the learner or staff cancelled meanwhile, or a
 *   second payment for the same enrolment);
 * - nothing: this payment is already recorded.
 */
export type CompletionOutcome = "confirm" | "retake" | "refund" | "nothing";

export function completionOutcome(input: {
  enrolment: { status: EnrolmentStatus; funding: Funding; paymentStatus: PaymentStatus; stripePaymentIntentId: string | null; cancelReason: string | null };
  sessionScheduled: boolean;
  paymentIntentId: string;
}): CompletionOutcome {
  const { enrolment, sessionScheduled, paymentIntentId } = input;
  if (enrolment.stripePaymentIntentId === paymentIntentId && (enrolment.paymentStatus === "PAID" || enrolment.paymentStatus === "REFUNDED")) return "nothing";
  if (enrolment.funding === "CARD" && enrolment.status === "PENDING_PAYMENT") return sessionScheduled ? "confirm" : "refund";
  if (enrolment.funding === "CARD" && enrolment.status === "CANCELLED" && enrolment.cancelReason === HOLD_EXPIRED_REASON && enrolment.paymentStatus !== "PAID") {
    return sessionScheduled ? "retake" : "refund";
  }
  return "refund";
}

/**
 * A card payment is owed back once its enrolment is cancelled, whoever cancelled: the learner
 * only can within the cancellation rules (`cancellationDecision`), and staff cancel for the
 * association. A row in that state is a refund still to make (the retry job finds it).
 */
export const refundDue = (enrolment: { status: EnrolmentStatus; funding: Funding; paymentStatus: PaymentStatus; stripePaymentIntentId: string | null }): boolean =>
  enrolment.status === "CANCELLED" && enrolment.funding === "CARD" && enrolment.paymentStatus === "PAID" && !!enrolment.stripePaymentIntentId;

/** The origin the enrolment form may be redirected to (CSP form-action), or null without Stripe. */
export function checkoutFormOrigin(env: { STRIPE_SECRET_KEY?: string | undefined; STRIPE_API_URL?: string | undefined }): string | null {
  if (!env.STRIPE_SECRET_KEY) return null;
  return env.STRIPE_API_URL ? new URL(env.STRIPE_API_URL).origin : "https://checkout.stripe.com";
}


/** Why an enrolment was cancelled when its payment was refunded in full outside a cancellation. */
export const REFUNDED_REASON = "paiement remboursé";

/** What Stripe says was refunded on one payment (cumulative). */
export type KnownRefund = { paymentIntentId: string; refundedCents: number; full: boolean };

/** Why staff cannot refund this amount of this enrolment's card payment, in French; null when they can. */
export function staffRefundRefusal(
  enrolment: { funding: Funding; paymentStatus: PaymentStatus; paid: boolean; invoice: { number: string; totalCents: number; creditedCents: number; lastCreditNote: string | null } | null },
  amountCents: number,
): string | null {
  if (enrolment.funding !== "CARD" || !enrolment.paid) return "Cette inscription n'a pas été payée par carte : il n'y a rien à rembourser dans Stripe.";
  const { invoice } = enrolment;
  if (enrolment.paymentStatus === "REFUNDED" || (invoice && invoice.creditedCents >= invoice.totalCents)) {
    return `Cette inscription a déjà été remboursée${invoice?.lastCreditNote ? ` (avoir ${invoice.lastCreditNote})` : ""} : aucun nouveau remboursement n'est envoyé.`;
  }
  if (!invoice) return "Cette inscription n'a pas de facture : le remboursement passe par son annulation.";
  const left = invoice.totalCents - invoice.creditedCents;
  if (!Number.isSafeInteger(amountCents) || amountCents <= 0) return "Indiquez un montant à rembourser supérieur à zéro.";
  if (amountCents > left) return `Le montant demandé dépasse ce qui reste à rembourser sur la facture ${invoice.number} (${(left / 100).toFixed(2).replace(".", ",")} €).`;
  return null;
}

/** Stripe's tolerance is for old signatures; one dated more than this ahead of our clock is refused too. */
export const WEBHOOK_FUTURE_TOLERANCE_S = 300;

/** The signature's timestamp (`t=` of the Stripe-Signature header), or null. */
export function signatureTimestamp(header: string): number | null {
  const t = header.split(",").find((part) => part.trim().startsWith("t="));
  const value = t ? Number(t.trim().slice(2)) : NaN;
  return Number.isSafeInteger(value) ? value : null;
}

export const signedInTheFuture = (header: string, now: Date): boolean => {
  const t = signatureTimestamp(header);
  return t !== null && t > Math.floor(now.getTime() / 1000) + WEBHOOK_FUTURE_TOLERANCE_S;
};
