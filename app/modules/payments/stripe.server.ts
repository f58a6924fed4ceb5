import Stripe from "stripe";
import { getEnv } from "~/utils/env.server";

/**
 * The Stripe client, built once from the environment; null when STRIPE_SECRET_KEY is unset
 * (card payment is then not offered, and everything else works). STRIPE_API_URL points it
 * at a local fake of Stripe's API in tests.
 */
const globalForStripe = globalThis as unknown as { __maillonStripe?: Stripe | null };

export function getStripe(): Stripe | null {
  if (globalForStripe.__maillonStripe !== undefined) return globalForStripe.__maillonStripe;
  const env = getEnv();
  if (!env.STRIPE_SECRET_KEY) return (globalForStripe.__maillonStripe = null);
  const api = env.STRIPE_API_URL ? new URL(env.STRIPE_API_URL) : null;
  globalForStripe.__maillonStripe = new Stripe(env.STRIPE_SECRET_KEY, {
    timeout: 15_000,
    // The SDK retries a failed call with the same idempotency key; against the local fake a
    // simulated outage must fail at once.
    maxNetworkRetries: api ? 0 : 2,
    appInfo: { name: "maillon" },
    ...(api ? { host: api.hostname, port: Number(api.port || (api.protocol === "https:" ? 443 : 80)), protocol: api.protocol === "https:" ? "https" : "http" } : {}),
  });
  return globalForStripe.__maillonStripe;
}

export const isStripeConfigured = (): boolean => !!getEnv().STRIPE_SECRET_KEY;

/** Checks the signature of a webhook's raw body (the bytes Stripe signed, before any parsing). */
export function verifyWebhook(rawBody: string, signature: string | null): { ok: true; event: Stripe.Event } | { ok: false; reason: "not-configured" | "bad-signature" } {
  const stripe = getStripe();
  const secret = getEnv().STRIPE_WEBHOOK_SECRET;
  if (!stripe || !secret) return { ok: false, reason: "not-configured" };
  if (!signature) return { ok: false, reason: "bad-signature" };
  try {
    return { ok: true, event: stripe.webhooks.constructEvent(rawBody, signature, secret) };
  } catch (error) {
    if (error instanceof Stripe.errors.StripeSignatureVerificationError) return { ok: false, reason: "bad-signature" };
    throw error;
  }
}

/** One line for logs and audit rows: the error's kind and Stripe's code, never a card detail. */
export function describeStripeError(error: unknown): string {
  if (error instanceof Stripe.errors.StripeError) return [error.type, error.code, error.statusCode].filter(Boolean).join(" ");
  return (error as Error)?.name ?? "unknown";
}
