import { nominalRetryDelayMs } from "~/modules/mail/backoff";
import { enqueueMail } from "~/modules/mail/outbox.server";
import { formatPrice } from "~/modules/training/catalogue.rules";
import { formatDateRange } from "~/utils/dates";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";
import { HOLD_EXPIRED_REASON, refundDue, refundIdempotencyKey } from "./payment.rules";
import { describeStripeError, getStripe } from "./stripe.server";

/**
 * Refunds of card payments, and the clean-up at Stripe after a cancellation. Never inside a
 * database transaction: the cancellation commits first (a PAID card enrolment left CANCELLED
 * is a refund still owed), then Stripe is called, then the result is recorded. A failed call
 * keeps the debt visible (audit row `payment.refund_failed`) and the payment job retries it
 * with a new idempotency key, backing off like the mail outbox.
 */

export const REFUND_FAILED = "payment.refund_failed";

const refundReason = (input: { sessionCancelled: boolean; cancelReason: string | null }): string => {
  if (input.sessionCancelled) return "la session a été annulée";
  if (input.cancelReason === HOLD_EXPIRED_REASON) return "votre paiement est arrivé après la fin du délai de réservation et la session est désormais complète";
  return "votre inscription est annulée";
};

export type RefundResult = { ok: true; refunded: boolean } | { ok: false; message: string };

/** Refunds the card payment of a cancelled enrolment, once; a no-op when nothing is owed. */
export async function refundCardPayment(enrolmentId: string, now = new Date()): Promise<RefundResult> {
  const enrolment = await db.enrolment.findUnique({
    where: { id: enrolmentId },
    include: {
      user: { select: { email: true, name: true } },
      session: { select: { status: true, module: { select: { title: true } }, slots: { orderBy: { startsAt: "asc" }, select: { startsAt: true, endsAt: true } } } },
    },
  });
  if (!enrolment || !refundDue(enrolment) || !enrolment.stripePaymentIntentId) return { ok: true, refunded: false };
  const stripe = getStripe();
  if (!stripe) return { ok: false, message: "Le paiement par carte n'est pas configuré : le remboursement reste à faire." };
  const paymentIntentId = enrolment.stripePaymentIntentId;
  const attempt = await db.auditLog.count({ where: { entityType: "Enrolment", entityId: enrolmentId, action: REFUND_FAILED } });
  let refund;
  try {
    refund = await stripe.refunds.create(
      { payment_intent: paymentIntentId, reason: "requested_by_customer", metadata: { enrolmentId } },
      { idempotencyKey: refundIdempotencyKey(enrolmentId, paymentIntentId, attempt) },
    );
  } catch (error) {
    const kind = describeStripeError(error);
    logger.warn("stripe refund failed", { enrolmentId, error: kind });
    await db.auditLog.create({
      data: { actorId: null, action: REFUND_FAILED, entityType: "Enrolment", entityId: enrolmentId, data: { paymentIntentId, attempt, error: kind }, createdAt: now },
    });
    return { ok: false, message: "Le remboursement n'a pas pu être envoyé à Stripe ; il sera relancé automatiquement." };
  }
  const first = enrolment.session.slots[0];
  const last = enrolment.session.slots.at(-1);
  const recorded = await db.$transaction(async (tx) => {
    const { count } = await tx.enrolment.updateMany({
      where: { id: enrolmentId, status: "CANCELLED", paymentStatus: "PAID", stripePaymentIntentId: paymentIntentId },
      data: { paymentStatus: "REFUNDED" },
    });
    if (count !== 1) return false;
    await tx.auditLog.create({
      data: {
        actorId: null,
        action: "payment.refunded",
        entityType: "Enrolment",
        entityId: enrolmentId,
        data: { paymentIntentId, refundId: refund.id, amountCents: refund.amount, status: refund.status },
        createdAt: now,
      },
    });
    await enqueueMail(tx, {
      template: "payment-refunded",
      to: enrolment.user.email,
      data: {
        name: enrolment.user.name,
        moduleTitle: enrolment.session.module.title,
        dates: first && last ? formatDateRange(first.startsAt, last.endsAt) : "dates à venir",
        amount: formatPrice(refund.amount),
        reason: refundReason({ sessionCancelled: enrolment.session.status === "CANCELLED", cancelReason: enrolment.cancelReason }),
        url: `${getEnv().APP_URL}/mon-espace`,
      },
    });
    return true;
  });
  return { ok: true, refunded: recorded };
}

/**
 * A payment that belongs to no seat (a second Checkout Session of an enrolment already paid
 * or funded otherwise): refunded at once; a failure is left to staff through the audit log.
 */
export async function refundStrayPayment(input: { enrolmentId: string; paymentIntentId: string; checkoutSessionId: string; now?: Date }): Promise<void> {
  const { enrolmentId, paymentIntentId, checkoutSessionId, now = new Date() } = input;
  const stripe = getStripe();
  try {
    if (!stripe) throw new Error("Stripe is not configured");
    const refund = await stripe.refunds.create(
      { payment_intent: paymentIntentId, reason: "duplicate", metadata: { enrolmentId } },
      { idempotencyKey: refundIdempotencyKey(enrolmentId, paymentIntentId, 0) },
    );
    await db.auditLog.create({
      data: { actorId: null, action: "payment.refunded", entityType: "Enrolment", entityId: enrolmentId, data: { paymentIntentId, checkoutSessionId, refundId: refund.id, amountCents: refund.amount, stray: true }, createdAt: now },
    });
  } catch (error) {
    await db.auditLog.create({
      data: { actorId: null, action: REFUND_FAILED, entityType: "Enrolment", entityId: enrolmentId, data: { paymentIntentId, checkoutSessionId, stray: true, error: describeStripeError(error) }, createdAt: now },
    });
  }
}

/** Best effort: closes a Checkout Session nobody should pay any more. A failure changes nothing (it expires by itself). */
export async function expireCheckoutQuietly(checkoutSessionId: string): Promise<void> {
  const stripe = getStripe();
  if (!stripe) return;
  try {
    await stripe.checkout.sessions.expire(checkoutSessionId);
  } catch (error) {
    logger.info("stripe checkout session not expired", { checkoutSessionId, error: describeStripeError(error) });
  }
}

/**
 * After enrolments were cancelled (by the learner, by staff, with their session): refunds
 * what was paid and closes Checkout Sessions still open. Call it after the commit.
 */
export async function settleCancelledPayments(enrolmentIds: readonly string[], now = new Date()): Promise<void> {
  if (enrolmentIds.length === 0) return;
  const rows = await db.enrolment.findMany({
    where: { id: { in: [...enrolmentIds] }, funding: "CARD", status: "CANCELLED" },
    select: { id: true, status: true, funding: true, paymentStatus: true, stripePaymentIntentId: true, stripeCheckoutSessionId: true },
  });
  for (const row of rows) {
    if (refundDue(row)) await refundCardPayment(row.id, now);
    else if (row.stripeCheckoutSessionId && row.paymentStatus !== "REFUNDED") await expireCheckoutQuietly(row.stripeCheckoutSessionId);
  }
}

/** The payment job: refunds still owed, each no sooner than its back-off after its last failure. Returns how many were refunded. */
export async function retryPendingRefunds(now = new Date()): Promise<number> {
  const owed = await db.enrolment.findMany({
    where: { status: "CANCELLED", funding: "CARD", paymentStatus: "PAID", stripePaymentIntentId: { not: null } },
    select: { id: true },
    take: 50,
  });
  let refunded = 0;
  for (const { id } of owed) {
    const failures = await db.auditLog.findMany({
      where: { entityType: "Enrolment", entityId: id, action: REFUND_FAILED },
      orderBy: { createdAt: "desc" },
      select: { createdAt: true },
    });
    const last = failures[0];
    if (last && last.createdAt.getTime() + nominalRetryDelayMs(failures.length) > now.getTime()) continue;
    const result = await refundCardPayment(id, now);
    if (result.ok && result.refunded) refunded++;
  }
  return refunded;
}
