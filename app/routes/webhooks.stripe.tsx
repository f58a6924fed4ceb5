import type { ActionFunctionArgs } from "@remix-run/node";
import { handleStripeWebhook } from "~/modules/payments/checkout.server";

/**
 * Stripe's webhook (POST only; exempt from the Origin check, authenticated by its signature).
 * The signature covers the exact bytes sent, so the body is read raw, never parsed first.
 */
export async function loader() {
  return new Response("Méthode non autorisée.", { status: 405, headers: { Allow: "POST", "Content-Type": "text/plain; charset=utf-8" } });
}

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return loader();
  const answer = await handleStripeWebhook({ rawBody: await request.text(), signature: request.headers.get("stripe-signature") });
  return new Response(answer.message, { status: answer.status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}
