import type Stripe from "stripe";
import { holdsSeat } from "~/modules/enrolment/enrolment.rules";
import { lockSession, mySpaceUrl, sessionDates, withTxRetry } from "~/modules/enrolment/enrolment.server";
import { offerSeatToNextInLine } from "~/modules/enrolment/waitlist.server";
import { issueCreditNote } from "~/modules/invoicing/invoicing.server";
import { enqueueMail } from "~/modules/mail/outbox.server";
import { formatPrice } from "~/modules/training/catalogue.rules";
import { db, type Tx } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";
import { REFUNDED_REASON, staffRefundRefusal, type KnownRefund } from "./payment.rules";
import { describeStripeError, getStripe } from "./stripe.server";

/**
 * Refunds that do not start from a cancellation in the portal: one made in Stripe's
 * dashboard (the signed `charge.refunded` event), whatever the order of events, and one
 * staff make from the enrolment's page (whole or part). Each is credited by a credit note on
 * the card invoice; a whole refund also cancels the enrolment and gives its seat to the
 * waiting list (docs/decisions/028).
 */

const STRIPE_REFUND_SEEN = "payment.refunded_at_stripe";

/** What Stripe said about a payment's refunds, kept by payment intent (it may come before the payment is known). */
export async function knownRefundOf(tx: Tx, paymentIntentId: string): Promise<KnownRefund | null> {
  const rows = await tx.auditLog.findMany({ where: { entityType: "PaymentIntent", entityId: paymentIntentId, action: STRIPE_REFUND_SEEN }, select: { data: true } });
  let best: KnownRefund | null = null;
  for (const { data } of rows) {
    const d = data as { refundedCents?: number; full?: boolean } | null;
    if (!d || typeof d.refundedCents !== "number") continue;
    if (!best || d.refundedCents > best.refundedCents) best = { paymentIntentId, refundedCents: d.refundedCents, full: !!d.full };
  }
  return best;
}

const admins = (tx: Tx) => tx.user.findMany({ where: { roles: { some: { role: "ADMIN" } }, deactivatedAt: null }, select: { email: true } });

/**
 * Brings an enrolment in line with what Stripe refunded on its payment: a credit note for the
 * part not yet credited, and on a whole refund the enrolment cancelled (seat to the waiting
 * list) and marked refunded. Learner and staff are told when something changed. Inside a
 * transaction that holds the session's lock.
 */
export async function settleStripeRefund(tx: Tx, enrolmentId: string, refund: KnownRefund, now: Date): Promise<void> {
  const enrolment = await tx.enrolment.findUniqueOrThrow({
    where: { id: enrolmentId },
    include: { user: { select: { email: true, name: true } }, session: { select: { module: { select: { title: true } }, slots: { orderBy: { startsAt: "asc" }, select: { startsAt: true, endsAt: true } } } } },
  });
  if (enrolment.stripePaymentIntentId !== refund.paymentIntentId) return;
  const invoice = await tx.invoice.findFirst({
    where: { enrolmentId, kind: "INVOICE", funding: "CARD" },
    orderBy: { issuedAt: "desc" },
    include: { creditNotes: { select: { totalTtcCents: true } } },
  });
  let creditNote: { number: string; amountCents: number } | null = null;
  if (invoice) {
    const credited = invoice.creditNotes.reduce((sum, c) => sum + c.totalTtcCents, 0);
    const target = Math.min(refund.full ? invoice.totalTtcCents : refund.refundedCents, invoice.totalTtcCents);
    if (target > credited) {
      const note = await issueCreditNote(tx, invoice.id, target - credited, refund.full ? "remboursement intégral du paiement par carte" : "remboursement partiel du paiement par carte", { now });
      if (note.ok) creditNote = { number: note.number, amountCents: target - credited };
    }
  }
  let seatFreed = false;
  let changed = creditNote !== null;
  if (refund.full && enrolment.status !== "CANCELLED") {
    const { count } = await tx.enrolment.updateMany({
      where: { id: enrolmentId, status: enrolment.status },
      data: { status: "CANCELLED", paymentStatus: "REFUNDED", cancelReason: REFUNDED_REASON, cancelledAt: now, holdExpiresAt: null, offerExpiresAt: null },
    });
    if (count !== 1) throw new Error(`Enrolment ${enrolmentId} changed while its session was locked`);
    if (holdsSeat(enrolment.status)) {
      await tx.session.updateMany({ where: { id: enrolment.sessionId, seatsTaken: { gt: 0 } }, data: { seatsTaken: { decrement: 1 } } });
      await offerSeatToNextInLine(tx, enrolment.sessionId, now);
      seatFreed = true;
    }
    changed = true;
  } else if (refund.full && enrolment.paymentStatus === "PAID") {
    // Cancelled in the portal and refunded in Stripe: nothing is owed any more (the retry job stops).
    await tx.enrolment.update({ where: { id: enrolmentId }, data: { paymentStatus: "REFUNDED" } });
    changed = true;
  }
  if (!changed) return;
  const amountCents = creditNote?.amountCents ?? refund.refundedCents;
  await tx.auditLog.create({
    data: { actorId: null, action: STRIPE_REFUND_SEEN, entityType: "Enrolment", entityId: enrolmentId, data: { paymentIntentId: refund.paymentIntentId, refundedCents: refund.refundedCents, full: refund.full, creditNote: creditNote?.number ?? null, seatFreed }, createdAt: now },
  });
  await enqueueMail(tx, {
    template: "payment-refunded",
    to: enrolment.user.email,
    data: {
      name: enrolment.user.name,
      moduleTitle: enrolment.session.module.title,
      dates: sessionDates(enrolment.session.slots),
      amount: formatPrice(amountCents),
      reason: refund.full ? "votre inscription est annulée et votre paiement remboursé" : "l'association vous rembourse une partie du prix",
      url: mySpaceUrl(),
    },
  });
  for (const admin of await admins(tx)) {
    await enqueueMail(tx, {
      template: "refund-recorded",
      to: admin.email,
      data: { learnerName: enrolment.user.name, moduleTitle: enrolment.session.module.title, amount: formatPrice(amountCents), creditNote: creditNote?.number ?? null, seatFreed, url: `${getEnv().APP_URL}/admin/inscriptions/${enrolmentId}` },
    });
  }
}

/**
 * `charge.refunded`: remembered by payment intent (a completion that comes later reads it),
 * then applied to the enrolment that this payment paid, if it is known yet.
 */
export async function applyChargeRefunded(tx: Tx, charge: Stripe.Charge, now: Date): Promise<void> {
  const paymentIntentId = typeof charge.payment_intent === "string" ? charge.payment_intent : (charge.payment_intent?.id ?? null);
  if (!paymentIntentId) return;
  const refund: KnownRefund = { paymentIntentId, refundedCents: charge.amount_refunded, full: charge.refunded || charge.amount_refunded >= charge.amount };
  await tx.auditLog.create({
    data: { actorId: null, action: STRIPE_REFUND_SEEN, entityType: "PaymentIntent", entityId: paymentIntentId, data: { chargeId: charge.id, refundedCents: refund.refundedCents, full: refund.full }, createdAt: now },
  });
  const enrolment = await tx.enrolment.findFirst({ where: { stripePaymentIntentId: paymentIntentId }, select: { id: true, sessionId: true } });
  if (!enrolment) {
    logger.info("stripe refund for a payment not recorded yet", { paymentIntentId });
    return;
  }
  await lockSession(tx, enrolment.sessionId);
  await settleStripeRefund(tx, enrolment.id, refund, now);
}

type Failure = { ok: false; message: string };

/**
 * Staff refund a card payment from the enrolment's page, whole (the enrolment is then
 * cancelled and its seat offered to the waiting list) or part (a credit note, the seat kept).
 * Stripe is called outside any transaction with a key derived from what is already credited,
 * so a double click sends one refund; the credit note records Stripe's refund id once.
 */
export async function refundByStaff(input: { staff: { id: string }; enrolmentId: string; amountCents: number | null; reason: string; now?: Date }): Promise<{ ok: true; creditNote: string; whole: boolean } | Failure> {
  const { staff, enrolmentId, reason, now = new Date() } = input;
  const load = (client: Tx | typeof db) =>
    client.enrolment.findUnique({
      where: { id: enrolmentId },
      include: { invoices: { where: { kind: "INVOICE" }, orderBy: { issuedAt: "desc" }, take: 1, include: { creditNotes: { orderBy: { issuedAt: "desc" }, select: { number: true, totalTtcCents: true } } } } },
    });
  const enrolment = await load(db);
  if (!enrolment) return { ok: false, message: "Cette inscription n'existe pas." };
  const invoice = enrolment.invoices[0] ?? null;
  const credited = invoice ? invoice.creditNotes.reduce((sum, c) => sum + c.totalTtcCents, 0) : 0;
  const facts = {
    funding: enrolment.funding,
    paymentStatus: enrolment.paymentStatus,
    paid: !!enrolment.stripePaymentIntentId,
    invoice: invoice ? { number: invoice.number, totalCents: invoice.totalTtcCents, creditedCents: credited, lastCreditNote: invoice.creditNotes[0]?.number ?? null } : null,
  };
  const amountCents = input.amountCents ?? (invoice ? invoice.totalTtcCents - credited : 0);
  const refusal = staffRefundRefusal(facts, amountCents);
  if (refusal || !invoice || !enrolment.stripePaymentIntentId) return { ok: false, message: refusal ?? "Aucun paiement par carte à rembourser." };
  const stripe = getStripe();
  if (!stripe) return { ok: false, message: "Le paiement par carte n'est pas configuré : le remboursement ne peut pas être envoyé." };
  let refund: Stripe.Refund;
  try {
    refund = await stripe.refunds.create(
      { payment_intent: enrolment.stripePaymentIntentId, amount: amountCents, reason: "requested_by_customer", metadata: { enrolmentId, invoice: invoice.number } },
      { idempotencyKey: `maillon-staff-refund-${invoice.id}-${credited}-${amountCents}` },
    );
  } catch (error) {
    logger.warn("stripe staff refund failed", { enrolmentId, error: describeStripeError(error) });
    return { ok: false, message: "Stripe n'a pas accepté le remboursement pour le moment ; rien n'a été enregistré. Réessayez dans quelques minutes." };
  }
  return withTxRetry(async (tx) => {
    await lockSession(tx, enrolment.sessionId);
    const already = await tx.invoice.findUnique({ where: { stripeRefundId: refund.id }, select: { number: true } });
    if (already) return { ok: false as const, message: `Ce remboursement est déjà enregistré (avoir ${already.number}) : l'inscription a déjà été remboursée.` };
    const note = await issueCreditNote(tx, invoice.id, amountCents, `remboursement par l'association : ${reason}`, { now, stripeRefundId: refund.id });
    if (!note.ok) return note;
    const whole = credited + amountCents >= invoice.totalTtcCents;
    const current = await tx.enrolment.findUniqueOrThrow({ where: { id: enrolmentId }, include: { user: { select: { email: true, name: true } }, session: { select: { module: { select: { title: true } }, slots: { orderBy: { startsAt: "asc" }, select: { startsAt: true, endsAt: true } } } } } });
    if (whole) {
      await tx.enrolment.update({
        where: { id: enrolmentId },
        data: { status: "CANCELLED", paymentStatus: "REFUNDED", cancelReason: current.status === "CANCELLED" ? current.cancelReason : reason, cancelledAt: current.cancelledAt ?? now, holdExpiresAt: null, offerExpiresAt: null },
      });
      if (holdsSeat(current.status)) {
        await tx.session.updateMany({ where: { id: current.sessionId, seatsTaken: { gt: 0 } }, data: { seatsTaken: { decrement: 1 } } });
        await offerSeatToNextInLine(tx, current.sessionId, now);
      }
    }
    await tx.auditLog.create({
      data: { actorId: staff.id, action: "payment.refunded", entityType: "Enrolment", entityId: enrolmentId, reason, data: { refundId: refund.id, amountCents, creditNote: note.number, whole }, createdAt: now },
    });
    await enqueueMail(tx, {
      template: "payment-refunded",
      to: current.user.email,
      data: {
        name: current.user.name,
        moduleTitle: current.session.module.title,
        dates: sessionDates(current.session.slots),
        amount: formatPrice(amountCents),
        reason: whole ? `votre inscription est annulée (${reason})` : `l'association vous rembourse une partie du prix (${reason})`,
        url: mySpaceUrl(),
      },
    });
    return { ok: true as const, creditNote: note.number, whole };
  });
}
