import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/modules/auth/session.server";
import { CONVOCATION_FILENAME, ICS_CONTENT_TYPE, cancelEnrolment, getConvocationIcs } from "~/modules/enrolment/enrolment.server";
import { EnrolmentActionSchema } from "~/modules/enrolment/enrolment.schema";
import { confirmOffer, leaveWaitlist } from "~/modules/enrolment/waitlist.server";
import { startCheckout } from "~/modules/payments/checkout.server";
import { contractPath, hasContract } from "~/modules/contracts/contract.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { parseForm } from "~/utils/forms.server";

/**
 * One enrolment of the learner space, without a page of its own: GET downloads the
 * convocation's calendar again; POST cancels, confirms an offered seat or leaves the
 * waiting list, then goes back to /mon-espace with a message; or (re)starts a card payment
 * and goes to Stripe's payment page.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const ics = await getConvocationIcs({ userId: user.id, enrolmentId: params.id ?? "" });
  if (!ics) throw new Response("Aucune convocation pour cette inscription.", { status: 404 });
  return new Response(ics, {
    headers: {
      "Content-Type": ICS_CONTENT_TYPE,
      "Content-Disposition": `attachment; filename="${CONVOCATION_FILENAME}"`,
      "Cache-Control": "private, no-store",
    },
  });
}

const SUCCESS: Record<"cancel" | "confirm" | "leave", string> = {
  cancel: "Votre inscription est annulée.",
  confirm: "Votre place est confirmée. Votre convocation vous a été envoyée par e-mail.",
  leave: "Vous avez quitté la liste d'attente.",
};

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const enrolmentId = params.id ?? "";
  const parsed = parseForm(EnrolmentActionSchema, await request.formData());
  if (!parsed.ok) return redirectWithFlash("/mon-espace", { kind: "error", message: "Cette demande n'est pas valide." });
  const form = parsed.data;
  if (form.intent === "pay") {
    // A card enrolment under a contrat de formation pays nothing now: its contract page says what to do.
    if (await hasContract({ userId: user.id, enrolmentId })) return redirect(contractPath(enrolmentId), 303);
    const checkout = await startCheckout({ user, enrolmentId });
    if (checkout.ok) return redirect(checkout.url, 303);
    return redirectWithFlash("/mon-espace", { kind: "error", message: checkout.message });
  }
  const result =
    form.intent === "cancel"
      ? await cancelEnrolment({ actor: user, enrolmentId, reason: form.reason })
      : form.intent === "confirm"
        ? await confirmOffer({ user, enrolmentId })
        : await leaveWaitlist({ user, enrolmentId });
  if (!result.ok) return redirectWithFlash("/mon-espace", { kind: "error", message: result.message });
  return redirectWithFlash("/mon-espace", { kind: "success", message: SUCCESS[form.intent] });
}
