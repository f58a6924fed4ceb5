import Stripe from "stripe";
import { loadSessionForMail, lockSession, mySpaceUrl, sessionDates, withTxRetry } from "~/modules/enrolment/enrolment.server";
import { formatDateTime } from "~/modules/enrolment/enrolment.rules";
import { offerSeatToNextInLine } from "~/modules/enrolment/waitlist.server";
import { enqueueMail } from "~/modules/mail/outbox.server";
import { recordCardPayment } from "~/modules/payments/checkout.server";
import { describeStripeError, getStripe } from "~/modules/payments/stripe.server";
import { formatPrice } from "~/modules/training/catalogue.rules";
import { db, type Tx } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";
import { contractPath } from "./contract.server";
import { CHARGE_CLAIM_STALE_MS, CHARGE_FAILED_REASON, chargeIdempotencyKey, graceEnd, nextChargeAttempt, releaseSeatOnUnpaid } from "./contract.rules";

/**
 * The contract charges job: takes what is due once the withdrawal period is over (decision
 * 031). Each charge is claimed by a conditional update (SCHEDULED/FAILED → CHARGING) before
 * Stripe is called, so two instances, or two runs, never charge it twice; the call carries an
 * idempotency key named after the charge and its attempt. A card that refuses keeps the seat
 * for the grace days (tried again daily, learner and staff told); when the grace ends unpaid,
 * a deposit frees the seat for the waiting list.
 */

const BATCH = 50;
/** Stripe could not be reached: try again soon, with the same key (the charge may have gone through). */
const UNREACHABLE_RETRY_MS = 15 * 60_000;

const adminUrl = (enrolmentId: string) => `${getEnv().APP_URL}/admin/inscriptions/${encodeURIComponent(enrolmentId)}`;

async function tellStaff(tx: Tx, data: { learnerName: string; moduleTitle: string; dates: string; amount: string; outcome: "failed" | "released" | "unpaid"; detail: string; enrolmentId: string }) {
  const admins = await tx.user.findMany({ where: { roles: { some: { role: "ADMIN" } } }, select: { email: true } });
  const { enrolmentId, ...rest } = data;
  for (const admin of admins) await enqueueMail(tx, { template: "contract-charge-staff", to: admin.email, data: { ...rest, url: adminUrl(enrolmentId) } });
}

const chargeWithContext = {
  contract: {
    select: {
      id: true,
      withdrawnAt: true,
      stripeCustomerId: true,
      stripePaymentMethodId: true,
      enrolment: { select: { id: true, status: true, sessionId: true, user: { select: { email: true, name: true } } } },
    },
  },
} as const;

const DECLINE_REASONS: Record<string, string> = {
  authentication_required: "votre banque demande que vous confirmiez le paiement vous-même",
  insufficient_funds: "le solde de la carte est insuffisant",
  expired_card: "la carte a expiré",
};
const declineReason = (error: Stripe.errors.StripeCardError) => DECLINE_REASONS[error.decline_code ?? ""] ?? DECLINE_REASONS[error.code ?? ""] ?? "la carte a été refusée";

type Claimed = { id: string; attempts: number };

/** SCHEDULED or FAILED and due → CHARGING, a new attempt; or a claim left by a crashed run → claimed again, same attempt. */
async function claim(chargeId: string, now: Date): Promise<Claimed | null> {
  const fresh = await db.contractCharge.updateMany({
    where: { id: chargeId, status: { in: ["SCHEDULED", "FAILED"] }, nextAttemptAt: { lte: now }, OR: [{ graceEndsAt: null }, { graceEndsAt: { gt: now } }] },
    data: { status: "CHARGING", claimedAt: now, attempts: { increment: 1 } },
  });
  const stale = fresh.count === 1 ? fresh : await db.contractCharge.updateMany({ where: { id: chargeId, status: "CHARGING", claimedAt: { lte: new Date(now.getTime() - CHARGE_CLAIM_STALE_MS) } }, data: { claimedAt: now } });
  if (stale.count !== 1) return null;
  return db.contractCharge.findUniqueOrThrow({ where: { id: chargeId }, select: { id: true, attempts: true } });
}

type Outcome = "charged" | "failed" | "cancelled" | "later" | "skipped";

async function chargeOnce(stripe: Stripe, chargeId: string, now: Date): Promise<Outcome> {
  const claimed = await claim(chargeId, now);
  if (!claimed) return "skipped";
  const charge = await db.contractCharge.findUniqueOrThrow({ where: { id: chargeId }, include: chargeWithContext });
  const { contract } = charge;
  const enrolment = contract.enrolment;
  if (contract.withdrawnAt || enrolment.status !== "CONFIRMED" || !contract.stripeCustomerId || !contract.stripePaymentMethodId) {
    await db.contractCharge.updateMany({ where: { id: chargeId, status: "CHARGING" }, data: { status: "CANCELLED", claimedAt: null } });
    return "cancelled";
  }
  let intent: Stripe.PaymentIntent;
  try {
    intent = await stripe.paymentIntents.create(
      {
        amount: charge.amountCents,
        currency: "eur",
        customer: contract.stripeCustomerId,
        payment_method: contract.stripePaymentMethodId,
        off_session: true,
        confirm: true,
        description: charge.kind === "DEPOSIT" ? "Formation : acompte de 30 % à la fin du délai de rétractation" : "Formation : solde",
        metadata: { enrolmentId: enrolment.id, contractId: contract.id, chargeId, kind: charge.kind },
      },
      { idempotencyKey: chargeIdempotencyKey(chargeId, claimed.attempts) },
    );
  } catch (error) {
    if (error instanceof Stripe.errors.StripeCardError) {
      await recordRefusal(chargeId, declineReason(error), describeStripeError(error), now);
      return "failed";
    }
    // No answer, or Stripe's own failure: back to the queue. Without an answer the same key is
    // kept (the charge may have gone through: Stripe will replay it); after an error, a new one.
    const noAnswer = error instanceof Stripe.errors.StripeConnectionError;
    logger.warn("stripe contract charge not made", { chargeId, error: describeStripeError(error) });
    await db.contractCharge.updateMany({
      where: { id: chargeId, status: "CHARGING" },
      data: { status: charge.firstFailedAt ? "FAILED" : "SCHEDULED", claimedAt: null, nextAttemptAt: new Date(now.getTime() + UNREACHABLE_RETRY_MS), lastError: describeStripeError(error), ...(noAnswer ? { attempts: { decrement: 1 } } : {}) },
    });
    return "later";
  }
  if (intent.status !== "succeeded") {
    await recordRefusal(chargeId, DECLINE_REASONS.authentication_required!, `payment_intent ${intent.status}`, now);
    return "failed";
  }
  await withTxRetry(async (tx) => {
    const { count } = await tx.contractCharge.updateMany({
      where: { id: chargeId, status: "CHARGING" },
      data: { status: "SUCCEEDED", stripePaymentIntentId: intent.id, paidAt: now, claimedAt: null, lastError: null },
    });
    if (count !== 1) return;
    await recordCardPayment(tx, { enrolmentId: enrolment.id, paymentIntentId: intent.id, checkoutSessionId: null, amountCents: intent.amount, now });
    await tx.auditLog.create({ data: { actorId: null, action: "contract.charged", entityType: "Enrolment", entityId: enrolment.id, data: { chargeId, kind: charge.kind, amountCents: intent.amount, paymentIntentId: intent.id }, createdAt: now } });
  });
  return "charged";
}

/** The card refused: the seat is kept until the grace ends; the first refusal is told to the learner and staff. */
async function recordRefusal(chargeId: string, reason: string, error: string, now: Date): Promise<void> {
  await withTxRetry(async (tx) => {
    const charge = await tx.contractCharge.findUniqueOrThrow({ where: { id: chargeId }, include: chargeWithContext });
    const first = !charge.firstFailedAt;
    const graceEndsAt = charge.graceEndsAt ?? graceEnd(now);
    const retry = nextChargeAttempt(now, graceEndsAt);
    const { count } = await tx.contractCharge.updateMany({
      where: { id: chargeId, status: "CHARGING" },
      data: { status: "FAILED", claimedAt: null, firstFailedAt: charge.firstFailedAt ?? now, graceEndsAt, nextAttemptAt: retry ?? graceEndsAt, lastError: error },
    });
    if (count !== 1) return;
    const enrolment = charge.contract.enrolment;
    await tx.auditLog.create({ data: { actorId: null, action: "contract.charge_failed", entityType: "Enrolment", entityId: enrolment.id, data: { chargeId, kind: charge.kind, error, graceEndsAt: graceEndsAt.toISOString() }, createdAt: now } });
    if (!first) return;
    const session = await loadSessionForMail(tx, enrolment.sessionId);
    const moduleTitle = session?.module.title ?? "";
    const dates = session ? sessionDates(session.slots) : "";
    const amount = formatPrice(charge.amountCents);
    await enqueueMail(tx, {
      template: "contract-charge-failed",
      to: enrolment.user.email,
      data: { name: enrolment.user.name, moduleTitle, dates, amount, reason, retryOn: retry ? formatDateTime(retry) : null, seatKeptUntil: formatDateTime(graceEndsAt), url: `${getEnv().APP_URL}${contractPath(enrolment.id)}` },
    });
    await tellStaff(tx, {
      learnerName: enrolment.user.name,
      moduleTitle,
      dates,
      amount,
      outcome: "failed",
      detail: `Le prélèvement ${charge.kind === "DEPOSIT" ? "de l'acompte" : "du solde"} a été refusé (${reason}). La place est gardée jusqu'au ${formatDateTime(graceEndsAt)} ; le prélèvement est relancé chaque jour et dès que la personne enregistre une autre carte.`,
      enrolmentId: enrolment.id,
    });
  });
}

/** Charges refused until the end of their grace: a deposit frees the seat (session not begun); otherwise staff recover the debt. */
async function settleUnpaid(chargeId: string, now: Date): Promise<boolean> {
  return withTxRetry(async (tx) => {
    const charge = await tx.contractCharge.findUniqueOrThrow({ where: { id: chargeId }, include: chargeWithContext });
    const enrolment = charge.contract.enrolment;
    await lockSession(tx, enrolment.sessionId);
    const { count } = await tx.contractCharge.updateMany({ where: { id: chargeId, status: "FAILED", graceEndsAt: { lte: now } }, data: { status: "UNPAID" } });
    if (count !== 1) return false;
    const session = await loadSessionForMail(tx, enrolment.sessionId);
    const moduleTitle = session?.module.title ?? "";
    const dates = session ? sessionDates(session.slots) : "";
    const release = enrolment.status === "CONFIRMED" && releaseSeatOnUnpaid(charge.kind, session?.slots[0]?.startsAt ?? null, now);
    if (release) {
      const cancelled = await tx.enrolment.updateMany({
        where: { id: enrolment.id, status: "CONFIRMED" },
        data: { status: "CANCELLED", cancelReason: CHARGE_FAILED_REASON, cancelledAt: now, paymentStatus: "NOT_REQUIRED" },
      });
      if (cancelled.count !== 1) throw new Error(`Enrolment ${enrolment.id} changed while its session was locked`);
      await tx.contractCharge.updateMany({ where: { contractId: charge.contract.id, status: "SCHEDULED" }, data: { status: "CANCELLED" } });
      await tx.session.updateMany({ where: { id: enrolment.sessionId, seatsTaken: { gt: 0 } }, data: { seatsTaken: { decrement: 1 } } });
      await enqueueMail(tx, {
        template: "enrolment-cancelled",
        to: enrolment.user.email,
        data: { name: enrolment.user.name, moduleTitle, dates, reason: CHARGE_FAILED_REASON, byStaff: false, url: mySpaceUrl() },
      });
      await offerSeatToNextInLine(tx, enrolment.sessionId, now);
    }
    await tx.auditLog.create({
      data: { actorId: null, action: release ? "contract.seat_released_unpaid" : "contract.unpaid", entityType: "Enrolment", entityId: enrolment.id, data: { chargeId, kind: charge.kind }, createdAt: now },
    });
    await tellStaff(tx, {
      learnerName: enrolment.user.name,
      moduleTitle,
      dates,
      amount: formatPrice(charge.amountCents),
      outcome: release ? "released" : "unpaid",
      detail: release
        ? "Le délai de régularisation est passé sans paiement : l'inscription est annulée et la place proposée à la liste d'attente."
        : "Le délai de régularisation est passé sans paiement ; la formation a commencé (ou il s'agit du solde) : la place reste acquise, la somme est à recouvrer.",
      enrolmentId: enrolment.id,
    });
    return true;
  });
}

/** The job: first the refusals whose grace is over, then what is due. Safe to run on several instances at once. */
export async function runContractCharges(now = new Date()): Promise<{ charged: number; failed: number; released: number }> {
  const overdue = await db.contractCharge.findMany({ where: { status: "FAILED", graceEndsAt: { lte: now } }, select: { id: true }, take: BATCH });
  let released = 0;
  for (const { id } of overdue) if (await settleUnpaid(id, now)) released++;
  const stripe = getStripe();
  if (!stripe) return { charged: 0, failed: 0, released };
  const due = await db.contractCharge.findMany({
    where: {
      OR: [
        { status: { in: ["SCHEDULED", "FAILED"] }, nextAttemptAt: { lte: now } },
        { status: "CHARGING", claimedAt: { lte: new Date(now.getTime() - CHARGE_CLAIM_STALE_MS) } },
      ],
    },
    orderBy: { nextAttemptAt: "asc" },
    select: { id: true },
    take: BATCH,
  });
  let charged = 0;
  let failed = 0;
  for (const { id } of due) {
    const outcome = await chargeOnce(stripe, id, now);
    if (outcome === "charged") charged++;
    if (outcome === "failed") failed++;
  }
  return { charged, failed, released };
}
