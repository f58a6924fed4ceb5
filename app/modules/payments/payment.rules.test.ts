import { describe, expect, it } from "vitest";
import {
  CARD_NEEDS_A_SEAT,
  CHECKOUT_MIN_MINUTES,
  HOLD_EXPIRED_REASON,
  HOLD_MINUTES,
  cardEnrolmentRefusal,
  cardPaymentOffered,
  checkoutExpiry,
  checkoutFormOrigin,
  checkoutIdempotencyKey,
  completionOutcome,
  holdDeadline,
  paymentStartRefusal,
  refundDue,
  refundIdempotencyKey,
  signedInTheFuture,
  staffRefundRefusal,
  type CompletionOutcome,
} from "./payment.rules";

const now = new Date("2031-03-04T10:00:00.000Z");
const minutes = (n: number) => new Date(now.getTime() + n * 60_000);

describe("hold and Checkout expiry", () => {
  it("holds the seat HOLD_MINUTES from enrolment", () => {
    expect(holdDeadline(now)).toEqual(minutes(HOLD_MINUTES));
  });

  it.each([
    ["a fresh hold: the checkout ends with the hold", minutes(HOLD_MINUTES), minutes(HOLD_MINUTES)],
    ["a retry late in the hold: Stripe's minimum wins", minutes(5), minutes(CHECKOUT_MIN_MINUTES)],
    ["a hold ending exactly at the minimum", minutes(CHECKOUT_MIN_MINUTES), minutes(CHECKOUT_MIN_MINUTES)],
  ])("%s", (_label, hold, expected) => {
    const expiry = checkoutExpiry(hold, now);
    expect(expiry).toEqual(expected);
    expect(expiry.getTime() - now.getTime()).toBeGreaterThanOrEqual(30 * 60_000);
  });

  it("rounds up to a whole second (Stripe takes Unix seconds)", () => {
    const expiry = checkoutExpiry(new Date(minutes(HOLD_MINUTES).getTime() + 1), now);
    expect(expiry.getTime() % 1000).toBe(0);
    expect(expiry.getTime()).toBe(minutes(HOLD_MINUTES).getTime() + 1000);
  });
});

describe("idempotency keys", () => {
  it("are the same for the same attempt and differ between attempts and enrolments", () => {
    expect(checkoutIdempotencyKey("e1", 0)).toBe(checkoutIdempotencyKey("e1", 0));
    expect(checkoutIdempotencyKey("e1", 0)).not.toBe(checkoutIdempotencyKey("e1", 1));
    expect(checkoutIdempotencyKey("e1", 0)).not.toBe(checkoutIdempotencyKey("e2", 0));
    expect(refundIdempotencyKey("e1", "pi_1", 0)).not.toBe(refundIdempotencyKey("e1", "pi_2", 0));
    expect(refundIdempotencyKey("e1", "pi_1", 0)).not.toBe(checkoutIdempotencyKey("e1", 0));
  });
});

describe("when card payment is offered", () => {
  it.each([
    [true, false, 18000, true],
    [false, false, 18000, false],
    [true, true, 18000, false],
    [true, false, 0, false],
  ])("configured %s, free %s, price %s → %s", (stripeConfigured, isFree, priceCents, offered) => {
    expect(cardPaymentOffered({ stripeConfigured, isFree, priceCents })).toBe(offered);
  });

  it.each([
    [{ stripeConfigured: false, isFree: false, priceCents: 18000, seatLeft: true }, /pas proposé/],
    [{ stripeConfigured: true, isFree: true, priceCents: 0, seatLeft: true }, /gratuite/],
    [{ stripeConfigured: true, isFree: false, priceCents: 18000, seatLeft: false }, /complète/],
  ])("refuses a card enrolment: %o", (input, message) => {
    expect(cardEnrolmentRefusal(input)).toMatch(message);
  });

  it("accepts a card enrolment for a free seat of a paid session", () => {
    expect(cardEnrolmentRefusal({ stripeConfigured: true, isFree: false, priceCents: 18000, seatLeft: true })).toBeNull();
    expect(CARD_NEEDS_A_SEAT).toMatch(/liste d'attente/);
  });
});

describe("paymentStartRefusal", () => {
  const pending = { status: "PENDING_PAYMENT" as const, funding: "CARD" as const, paymentStatus: "PENDING" as const, holdExpiresAt: minutes(10) };
  it.each([
    ["a held seat", pending, null],
    ["a lapsed hold", { ...pending, holdExpiresAt: minutes(-1) }, /délai de paiement est dépassé/],
    ["a hold ending now", { ...pending, holdExpiresAt: now }, /délai de paiement est dépassé/],
    ["a paid enrolment", { ...pending, status: "CONFIRMED" as const, paymentStatus: "PAID" as const, holdExpiresAt: null }, /déjà payée/],
    ["an invoiced enrolment", { ...pending, status: "CONFIRMED" as const, funding: "OPCO" as const }, /Aucun paiement/],
    ["a cancelled one", { ...pending, status: "CANCELLED" as const }, /Aucun paiement/],
  ])("%s", (_label, enrolment, expected) => {
    const refusal = paymentStartRefusal(enrolment, now);
    if (expected === null) expect(refusal).toBeNull();
    else expect(refusal).toMatch(expected);
  });
});

describe("completionOutcome: the same end state whatever the order of events", () => {
  const base = { funding: "CARD" as const, stripePaymentIntentId: null, cancelReason: null };
  const rows: [string, Parameters<typeof completionOutcome>[0]["enrolment"], boolean, CompletionOutcome][] = [
    ["payment of a held seat", { ...base, status: "PENDING_PAYMENT", paymentStatus: "PENDING" }, true, "confirm"],
    ["the same payment again (completed twice)", { ...base, status: "CONFIRMED", paymentStatus: "PAID", stripePaymentIntentId: "pi_1" }, true, "nothing"],
    ["already refunded payment again", { ...base, status: "CANCELLED", paymentStatus: "REFUNDED", stripePaymentIntentId: "pi_1" }, true, "nothing"],
    ["payment after the hold lapsed (expired came first)", { ...base, status: "CANCELLED", paymentStatus: "NOT_REQUIRED", cancelReason: HOLD_EXPIRED_REASON }, true, "retake"],
    ["payment after the hold lapsed, session cancelled since", { ...base, status: "CANCELLED", paymentStatus: "NOT_REQUIRED", cancelReason: HOLD_EXPIRED_REASON }, false, "refund"],
    ["payment after the learner cancelled", { ...base, status: "CANCELLED", paymentStatus: "NOT_REQUIRED", cancelReason: null }, true, "refund"],
    ["payment of a held seat in a session cancelled meanwhile", { ...base, status: "PENDING_PAYMENT", paymentStatus: "PENDING" }, false, "refund"],
    ["a second payment of a paid enrolment", { ...base, status: "CONFIRMED", paymentStatus: "PAID", stripePaymentIntentId: "pi_0" }, true, "refund"],
    ["a payment for an enrolment now funded by an OPCO", { ...base, funding: "OPCO", status: "CONFIRMED", paymentStatus: "PENDING" }, true, "refund"],
  ];
  it.each(rows)("%s", (_label, enrolment, sessionScheduled, outcome) => {
    expect(completionOutcome({ enrolment, sessionScheduled, paymentIntentId: "pi_1" })).toBe(outcome);
  });
});

describe("refundDue", () => {
  it.each([
    [{ status: "CANCELLED", funding: "CARD", paymentStatus: "PAID", stripePaymentIntentId: "pi_1" }, true],
    [{ status: "CANCELLED", funding: "CARD", paymentStatus: "REFUNDED", stripePaymentIntentId: "pi_1" }, false],
    [{ status: "CANCELLED", funding: "CARD", paymentStatus: "NOT_REQUIRED", stripePaymentIntentId: null }, false],
    [{ status: "CONFIRMED", funding: "CARD", paymentStatus: "PAID", stripePaymentIntentId: "pi_1" }, false],
    [{ status: "CANCELLED", funding: "OPCO", paymentStatus: "PAID", stripePaymentIntentId: null }, false],
  ] as const)("%o → %s", (enrolment, due) => {
    expect(refundDue(enrolment)).toBe(due);
  });
});

describe("checkoutFormOrigin (CSP form-action)", () => {
  it.each([
    [{}, null],
    [{ STRIPE_SECRET_KEY: "sk_live_x" }, "https://checkout.stripe.com"],
    [{ STRIPE_SECRET_KEY: "sk_test_x", STRIPE_API_URL: "http://127.0.0.1:4242/" }, "http://127.0.0.1:4242"],
  ])("%o → %s", (env, origin) => {
    expect(checkoutFormOrigin(env)).toBe(origin);
  });
});

describe("webhook signatures dated ahead of our clock", () => {
  const now = new Date("2026-03-02T10:00:00Z");
  const at = (offsetS: number) => `t=${Math.floor(now.getTime() / 1000) + offsetS},v1=abc`;
  it("accepts up to 5 minutes ahead, refuses beyond", () => {
    expect(signedInTheFuture(at(0), now)).toBe(false);
    expect(signedInTheFuture(at(-3600), now)).toBe(false);
    expect(signedInTheFuture(at(300), now)).toBe(false);
    expect(signedInTheFuture(at(301), now)).toBe(true);
    expect(signedInTheFuture(at(600), now)).toBe(true);
    expect(signedInTheFuture("v1=abc", now)).toBe(false);
  });
});

describe("staff refunds", () => {
  const paid = { funding: "CARD" as const, paymentStatus: "PAID" as const, paid: true, invoice: { number: "F-2026-00003", totalCents: 18_050, creditedCents: 0, lastCreditNote: null } };
  it("refunds up to what is left, and says plainly when it is already refunded", () => {
    expect(staffRefundRefusal(paid, 18_050)).toBeNull();
    expect(staffRefundRefusal(paid, 9_025)).toBeNull();
    expect(staffRefundRefusal(paid, 18_051)).toMatch(/dépasse ce qui reste à rembourser sur la facture F-2026-00003 \(180,50 €\)/);
    expect(staffRefundRefusal({ ...paid, paymentStatus: "REFUNDED", invoice: { ...paid.invoice, creditedCents: 18_050, lastCreditNote: "A-2026-00002" } }, 18_050)).toBe(
      "Cette inscription a déjà été remboursée (avoir A-2026-00002) : aucun nouveau remboursement n'est envoyé.",
    );
    expect(staffRefundRefusal({ ...paid, funding: "STRUCTURE" }, 100)).toMatch(/pas été payée par carte/);
  });
});
