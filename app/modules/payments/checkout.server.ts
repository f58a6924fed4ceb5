import type Stripe from "stripe";
import { enqueueConvocation, loadSessionForMail, lockSession, mySpaceUrl, sessionDates, withTxRetry } from "~/modules/enrolment/enrolment.server";
import { formatDateTime } from "~/modules/enrolment/enrolment.rules";
import { offerSeatToNextInLine } from "~/modules/enrolment/waitlist.server";
import { enqueueMail } from "~/modules/mail/outbox.server";
import { applyCardSaved, savedCardOf, type SavedCard } from "~/modules/contracts/contract.server";
import { db, type Tx } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";
import { issueInvoiceForEnrolment } from "~/modules/invoicing/invoicing.server";
import { applyChargeRefunded, knownRefundOf, settleStripeRefund } from "./card-refunds.server";
import { HOLD_EXPIRED_REASON, checkoutExpiry, checkoutIdempotencyKey, completionOutcome, paymentStartRefusal, signedInTheFuture } from "./payment.rules";
import { expireCheckoutQuietly, refundCardPayment, refundStrayPayment, retryPendingRefunds } from "./refunds.server";
import { describeStripeError, getStripe, verifyWebhook } from "./stripe.server";

/**
 * Card payment of an enrolment through Stripe Checkout.
 *
 * The seat is taken when the learner enrols (`enrolSelf` with CARD: PENDING_PAYMENT, held until
 * `holdExpiresAt`), then a Checkout Session is started here, outside any transaction. Stripe
 * tells the outcome through signed webhooks: each event is stored once by id and applied in
 * the same transaction, under the session's lock, by rules that give the same end state in
 * whatever order events come (payment.rules.ts `completionOutcome`). A hold that ends without
 * payment gives its seat back (the `checkout.session.expired` event, or the payment job as a
 * backstop when the event never comes).
 */

type Failure = { ok: false; message: string };
const fail = (message: string): Failure => ({ ok: false, message });

export const CHECKOUT_STARTED = "payment.checkout_started";
export const CHECKOUT_FAILED = "payment.checkout_failed";

const paymentPageUrl = (enrolmentId: string, state: "paye" | "abandon") =>
  `${getEnv().APP_URL}/mon-espace/paiement/${encodeURIComponent(enrolmentId)}?etat=${state}`;

// ───────────────────────────── Starting a payment ─────────────────────────────

/**
 * Sends the learner to Stripe to pay their held seat: reuses the Checkout Session still open,
 * or creates one. When Stripe cannot be reached, the enrolment and its hold stay as they were
 * and the message says until when the learner can try again.
 */
export async function startCheckout(input: { user: { id: string }; enrolmentId: string; now?: Date }): Promise<{ ok: true; url: string } | Failure> {
  const { user, enrolmentId, now = new Date() } = input;
  const stripe = getStripe();
  if (!stripe) return fail("Le paiement par carte n'est pas proposé pour le moment. Contactez l'association pour régler votre inscription.");
  const enrolment = await db.enrolment.findFirst({
    where: { id: enrolmentId, userId: user.id },
    include: { user: { select: { email: true } }, session: { include: { module: { select: { title: true } }, slots: { orderBy: { startsAt: "asc" }, select: { startsAt: true, endsAt: true } } } } },
  });
  if (!enrolment) return fail("Cette inscription n'existe pas.");
  const refusal = paymentStartRefusal(enrolment, now);
  if (refusal) return fail(refusal);
  const holdExpiresAt = enrolment.holdExpiresAt as Date;
  const retryLater = `Le service de paiement ne répond pas pour le moment. Votre place reste réservée jusqu'au ${formatDateTime(holdExpiresAt)} : réessayez avec le bouton « Payer maintenant » de votre espace.`;

  if (enrolment.stripeCheckoutSessionId) {
    try {
      const open = await stripe.checkout.sessions.retrieve(enrolment.stripeCheckoutSessionId);
      if (open.status === "open" && open.url) return { ok: true, url: open.url };
      if (open.status === "complete") return fail("Votre paiement a bien été reçu : la confirmation de votre inscription est en cours.");
    } catch (error) {
      logger.warn("stripe checkout session not retrieved", { enrolmentId, error: describeStripeError(error) });
      return fail(retryLater);
    }
  }

  const attempt = await db.auditLog.count({ where: { entityType: "Enrolment", entityId: enrolmentId, action: { in: [CHECKOUT_STARTED, CHECKOUT_FAILED] } } });
  const expiresAt = checkoutExpiry(holdExpiresAt, now);
  let checkout: Stripe.Checkout.Session;
  try {
    checkout = await stripe.checkout.sessions.create(
      {
        mode: "payment",
        locale: "fr",
        currency: "eur",
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: "eur",
              unit_amount: enrolment.amountCents,
              product_data: { name: `Formation : ${enrolment.session.module.title}`, description: `Session ${sessionDates(enrolment.session.slots)}` },
            },
          },
        ],
        customer_email: enrolment.user.email,
        client_reference_id: enrolment.id,
        metadata: { enrolmentId: enrolment.id },
        payment_intent_data: { metadata: { enrolmentId: enrolment.id } },
        expires_at: Math.floor(expiresAt.getTime() / 1000),
        success_url: paymentPageUrl(enrolment.id, "paye"),
        cancel_url: paymentPageUrl(enrolment.id, "abandon"),
      },
      { idempotencyKey: checkoutIdempotencyKey(enrolment.id, attempt) },
    );
  } catch (error) {
    const kind = describeStripeError(error);
    logger.warn("stripe checkout session not created", { enrolmentId, error: kind });
    await db.auditLog.create({
      data: { actorId: user.id, action: CHECKOUT_FAILED, entityType: "Enrolment", entityId: enrolmentId, data: { attempt, error: kind }, createdAt: now },
    });
    return fail(retryLater);
  }

  const recorded = await withTxRetry(async (tx) => {
    const { count } = await tx.enrolment.updateMany({
      where: { id: enrolmentId, status: "PENDING_PAYMENT", holdExpiresAt: { gt: now } },
      data: { stripeCheckoutSessionId: checkout.id, holdExpiresAt: expiresAt },
    });
    if (count !== 1) return false;
    await tx.auditLog.create({
      data: {
        actorId: user.id,
        action: CHECKOUT_STARTED,
        entityType: "Enrolment",
        entityId: enrolmentId,
        data: { attempt, checkoutSessionId: checkout.id, holdExpiresAt: expiresAt.toISOString() },
        createdAt: now,
      },
    });
    return true;
  });
  if (!recorded || !checkout.url) {
    await expireCheckoutQuietly(checkout.id);
    return fail("Cette inscription vient de changer : rechargez votre espace.");
  }
  return { ok: true, url: checkout.url };
}

/** What the return pages show about one enrolment of the learner. */
export async function getPaymentState(input: { userId: string; enrolmentId: string }) {
  const enrolment = await db.enrolment.findFirst({
    where: { id: input.enrolmentId, userId: input.userId, funding: "CARD" },
    include: { session: { select: { id: true, module: { select: { title: true } }, slots: { orderBy: { startsAt: "asc" }, select: { startsAt: true, endsAt: true } } } } },
  });
  if (!enrolment) return null;
  return {
    id: enrolment.id,
    sessionId: enrolment.session.id,
    moduleTitle: enrolment.session.module.title,
    dates: sessionDates(enrolment.session.slots),
    status: enrolment.status,
    paymentStatus: enrolment.paymentStatus,
    amountCents: enrolment.amountCents,
    holdExpiresAt: enrolment.holdExpiresAt,
    cancelReason: enrolment.cancelReason,
  };
}

// ───────────────────────────── Giving a held seat back ─────────────────────────────

/**
 * The hold ends without payment: the enrolment is cancelled, its seat goes to the waiting
 * list, the learner is told. Inside a transaction, after `lockSession`. False when the
 * enrolment no longer waits for payment (paid, cancelled, or its hold was renewed).
 */
async function releaseHeldSeat(tx: Tx, input: { enrolmentId: string; sessionId: string; now: Date; cause: "hold_expired" | "checkout_expired"; holdEndedBy?: Date }): Promise<boolean> {
  const { enrolmentId, sessionId, now, cause } = input;
  const { count } = await tx.enrolment.updateMany({
    where: { id: enrolmentId, status: "PENDING_PAYMENT", ...(input.holdEndedBy ? { holdExpiresAt: { lte: input.holdEndedBy } } : {}) },
    data: { status: "CANCELLED", cancelReason: HOLD_EXPIRED_REASON, cancelledAt: now, holdExpiresAt: null, paymentStatus: "NOT_REQUIRED" },
  });
  if (count !== 1) return false;
  await tx.session.updateMany({ where: { id: sessionId, seatsTaken: { gt: 0 } }, data: { seatsTaken: { decrement: 1 } } });
  const enrolment = await tx.enrolment.findUniqueOrThrow({ where: { id: enrolmentId }, include: { user: { select: { email: true, name: true } } } });
  const session = await loadSessionForMail(tx, sessionId);
  await tx.auditLog.create({
    data: { actorId: null, action: "enrolment.hold_expired", entityType: "Enrolment", entityId: enrolmentId, reason: HOLD_EXPIRED_REASON, data: { sessionId, cause }, createdAt: now },
  });
  if (session) {
    await enqueueMail(tx, {
      template: "enrolment-cancelled",
      to: enrolment.user.email,
      data: { name: enrolment.user.name, moduleTitle: session.module.title, dates: sessionDates(session.slots), reason: HOLD_EXPIRED_REASON, byStaff: false, url: mySpaceUrl() },
    });
  }
  await offerSeatToNextInLine(tx, sessionId, now);
  return true;
}

/** Holds whose time is over give their seat back (backstop for a `checkout.session.expired` that never came). */
export async function releaseExpiredHolds(now = new Date()): Promise<number> {
  const due = await db.enrolment.findMany({
    where: { status: "PENDING_PAYMENT", funding: "CARD", holdExpiresAt: { lte: now } },
    select: { id: true, sessionId: true, stripeCheckoutSessionId: true },
  });
  let released = 0;
  for (const { id, sessionId, stripeCheckoutSessionId } of due) {
    const done = await withTxRetry(async (tx) => {
      await lockSession(tx, sessionId);
      return releaseHeldSeat(tx, { enrolmentId: id, sessionId, now, cause: "hold_expired", holdEndedBy: now });
    });
    if (!done) continue;
    released++;
    if (stripeCheckoutSessionId) await expireCheckoutQuietly(stripeCheckoutSessionId);
  }
  return released;
}

// ───────────────────────────── Webhooks ─────────────────────────────

export type WebhookAnswer = { status: 200 | 400 | 503; message: string };

type AfterCommit = { refund?: string; stray?: { enrolmentId: string; paymentIntentId: string; checkoutSessionId: string } };

const isUniqueViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === "P2002";

/**
 * The webhook: checks the signature on the raw body, stores the event once (its id is the
 * primary key) and applies it in the same transaction. A duplicate is answered 200 and does
 * nothing; an unknown type is stored and answered 200. Refunds decided here are sent after
 * the commit.
 */
export async function handleStripeWebhook(input: { rawBody: string; signature: string | null; now?: Date }): Promise<WebhookAnswer> {
  const { rawBody, signature, now = new Date() } = input;
  const verified = verifyWebhook(rawBody, signature);
  if (!verified.ok) {
    return verified.reason === "not-configured"
      ? { status: 503, message: "Paiement par carte non configuré." }
      : { status: 400, message: "Signature Stripe invalide." };
  }
  // Stripe checks that a signature is not too old; one dated ahead of our clock is a replay prepared in advance.
  if (signature && signedInTheFuture(signature, now)) return { status: 400, message: "Signature Stripe refusée : son horodatage est dans le futur." };
  const event = verified.event;
  // A saved card is read from Stripe before the transaction (never a Stripe call inside it).
  const card = await savedCardOf(event);
  if (card === "unavailable") return { status: 503, message: "Stripe ne répond pas : l'événement sera renvoyé." };
  let after: AfterCommit | null;
  try {
    after = await withTxRetry(async (tx) => {
      if (await tx.stripeEvent.findUnique({ where: { id: event.id }, select: { id: true } })) return null;
      await tx.stripeEvent.create({ data: { id: event.id, type: event.type, payload: JSON.parse(rawBody) as object, receivedAt: now } });
      const result = await applyEvent(tx, event, now, card);
      await tx.stripeEvent.update({ where: { id: event.id }, data: { processedAt: now } });
      return result;
    });
  } catch (error) {
    // The same event delivered twice at the same instant: the other delivery stored it.
    if (isUniqueViolation(error)) return { status: 200, message: "Événement déjà reçu." };
    throw error;
  }
  if (after === null) return { status: 200, message: "Événement déjà reçu." };
  if (after.refund) await refundCardPayment(after.refund, now);
  if (after.stray) await refundStrayPayment({ ...after.stray, now });
  return { status: 200, message: "Événement traité." };
}

const enrolmentIdOf = (checkout: Stripe.Checkout.Session): string | null => checkout.metadata?.enrolmentId || checkout.client_reference_id || null;

async function applyEvent(tx: Tx, event: Stripe.Event, now: Date, card: SavedCard | null): Promise<AfterCommit> {
  switch (event.type) {
    case "checkout.session.completed":
      // Setup mode saves the card of a contrat de formation: no money moves (decision 031).
      if (event.data.object.mode === "setup") {
        await applyCardSaved(tx, event.data.object, card, now);
        return {};
      }
      return applyCompleted(tx, event.data.object, now);
    case "checkout.session.expired":
      await applyExpired(tx, event.data.object, now);
      return {};
    case "charge.refunded":
      await applyChargeRefunded(tx, event.data.object, now);
      return {};
    default:
      return {};
  }
}

async function applyCompleted(tx: Tx, checkout: Stripe.Checkout.Session, now: Date): Promise<AfterCommit> {
  const enrolmentId = enrolmentIdOf(checkout);
  const paymentIntentId = typeof checkout.payment_intent === "string" ? checkout.payment_intent : (checkout.payment_intent?.id ?? null);
  if (!enrolmentId || checkout.payment_status !== "paid" || !paymentIntentId) {
    logger.warn("stripe checkout completed without a payment to apply", { checkoutSessionId: checkout.id, paymentStatus: checkout.payment_status });
    return {};
  }
  const found = await tx.enrolment.findUnique({ where: { id: enrolmentId }, select: { sessionId: true } });
  if (!found) {
    logger.warn("stripe checkout completed for an unknown enrolment", { checkoutSessionId: checkout.id });
    return {};
  }
  await lockSession(tx, found.sessionId);
  const enrolment = await tx.enrolment.findUniqueOrThrow({ where: { id: enrolmentId }, include: { user: { select: { id: true, email: true, name: true } } } });
  const session = await loadSessionForMail(tx, enrolment.sessionId);
  if (!session) return {};
  const outcome = completionOutcome({ enrolment, sessionScheduled: session.status === "SCHEDULED", paymentIntentId });
  const paid = { paymentStatus: "PAID" as const, stripePaymentIntentId: paymentIntentId, stripeCheckoutSessionId: checkout.id };
  const audit = { checkoutSessionId: checkout.id, paymentIntentId, amountCents: checkout.amount_total };

  // Refunded in Stripe before this completion reached us: no seat, no convocation, nothing to refund again.
  const refundedFirst = await knownRefundOf(tx, paymentIntentId);
  if (refundedFirst?.full && outcome !== "nothing") {
    if (outcome === "confirm") {
      await tx.enrolment.update({ where: { id: enrolmentId }, data: paid });
      await issueInvoiceForEnrolment(tx, enrolmentId, { now, paid: true });
      await settleStripeRefund(tx, enrolmentId, refundedFirst, now);
    }
    await tx.auditLog.create({ data: { actorId: null, action: "payment.refunded_before_completion", entityType: "Enrolment", entityId: enrolmentId, data: { sessionId: session.id, ...audit }, createdAt: now } });
    return {};
  }

  const confirm = async (from: "PENDING_PAYMENT" | "CANCELLED", action: string) => {
    const { count } = await tx.enrolment.updateMany({
      where: { id: enrolmentId, status: from },
      data: { status: "CONFIRMED", confirmedAt: now, holdExpiresAt: null, cancelReason: null, cancelledAt: null },
    });
    if (count !== 1) throw new Error(`Enrolment ${enrolmentId} changed while its session was locked`);
    await recordCardPayment(tx, { enrolmentId, paymentIntentId, checkoutSessionId: checkout.id, amountCents: checkout.amount_total, now });
    await enqueueConvocation(tx, { session, learner: enrolment.user, enrolmentId, now });
    await tx.auditLog.create({ data: { actorId: null, action, entityType: "Enrolment", entityId: enrolmentId, data: { sessionId: session.id, ...audit }, createdAt: now } });
    // Part of it already refunded in Stripe: credited at once.
    if (refundedFirst) await settleStripeRefund(tx, enrolmentId, refundedFirst, now);
  };

  switch (outcome) {
    case "nothing":
      return {};
    case "confirm":
      await confirm("PENDING_PAYMENT", "enrolment.confirmed");
      return {};
    case "retake": {
      const seat = await tx.session.updateMany({
        where: { id: session.id, status: "SCHEDULED", seatsTaken: { lt: session.capacity } },
        data: { seatsTaken: { increment: 1 } },
      });
      if (seat.count === 1) {
        await confirm("CANCELLED", "enrolment.confirmed_after_hold");
        return {};
      }
      return owe(tx, enrolmentId, paid, audit, now);
    }
    case "refund":
      if (enrolment.status === "CANCELLED" && enrolment.paymentStatus !== "PAID" && enrolment.paymentStatus !== "REFUNDED") return owe(tx, enrolmentId, paid, audit, now);
      await tx.auditLog.create({
        data: { actorId: null, action: "payment.stray_payment", entityType: "Enrolment", entityId: enrolmentId, data: { sessionId: session.id, ...audit }, createdAt: now },
      });
      return { stray: { enrolmentId, paymentIntentId, checkoutSessionId: checkout.id } };
  }
}

/**
 * The one place a card payment becomes a success, whichever way it came: a Checkout Session
 * paid (above), or a contract's charge taken off session when its withdrawal period ended
 * (contracts/charges.server.ts). Inside the transaction that records it.
 */
export async function recordCardPayment(
  tx: Tx,
  input: { enrolmentId: string; paymentIntentId: string; checkoutSessionId: string | null; amountCents: number | null; now: Date },
): Promise<void> {
  const { enrolmentId, paymentIntentId, checkoutSessionId, amountCents, now } = input;
  await tx.enrolment.update({
    where: { id: enrolmentId },
    data: { paymentStatus: "PAID", stripePaymentIntentId: paymentIntentId, ...(checkoutSessionId ? { stripeCheckoutSessionId: checkoutSessionId } : {}) },
  });
  await tx.auditLog.create({ data: { actorId: null, action: "payment.succeeded", entityType: "Enrolment", entityId: enrolmentId, data: { paymentIntentId, checkoutSessionId, amountCents }, createdAt: now } });
  // The invoice is issued with the first payment (a no-op when it already exists). Paid in
  // full by a Checkout; a contract's first charge is its 30 % deposit, so it stays unpaid.
  await issueInvoiceForEnrolment(tx, enrolmentId, { now, paid: checkoutSessionId !== null });
}

/** A cancelled enrolment was paid after all: record the payment, so that it is refunded (now, or by the job). */
async function owe(tx: Tx, enrolmentId: string, paid: { paymentStatus: "PAID"; stripePaymentIntentId: string; stripeCheckoutSessionId: string }, audit: object, now: Date): Promise<AfterCommit> {
  await tx.enrolment.update({ where: { id: enrolmentId }, data: paid });
  await tx.auditLog.create({ data: { actorId: null, action: "payment.refund_due", entityType: "Enrolment", entityId: enrolmentId, data: { ...audit }, createdAt: now } });
  return { refund: enrolmentId };
}

async function applyExpired(tx: Tx, checkout: Stripe.Checkout.Session, now: Date): Promise<void> {
  const enrolmentId = enrolmentIdOf(checkout);
  if (!enrolmentId) return;
  const found = await tx.enrolment.findUnique({ where: { id: enrolmentId }, select: { sessionId: true, stripeCheckoutSessionId: true } });
  // Only the Checkout Session that holds the seat releases it: an older one expiring changes nothing.
  if (!found || found.stripeCheckoutSessionId !== checkout.id) return;
  await lockSession(tx, found.sessionId);
  await releaseHeldSeat(tx, { enrolmentId, sessionId: found.sessionId, now, cause: "checkout_expired" });
}

// ───────────────────────────── The payment job ─────────────────────────────

const JOB_INTERVAL_MS = 60_000;

export async function runPaymentJobs(now = new Date()): Promise<{ released: number; refunded: number }> {
  if (!getStripe()) return { released: await releaseExpiredHolds(now), refunded: 0 };
  return { released: await releaseExpiredHolds(now), refunded: await retryPendingRefunds(now) };
}

