import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/modules/auth/session.server";
import { enrolSelf } from "~/modules/enrolment/enrolment.server";
import { contractPath, issueContract } from "~/modules/contracts/contract.server";
import { EnrolSchema } from "~/modules/enrolment/enrolment.schema";
import { redirectWithFlash } from "~/utils/flash.server";
import { parseForm } from "~/utils/forms.server";

/**
 * The session page's enrolment form posts here ("M'inscrire" or "Rejoindre la liste
 * d'attente": the module decides whether a seat is left). No page of its own: success goes
 * to the learner space (or to the contrat de formation for a card payment), a refusal back to
 * the session page with the reason.
 */
const sessionPath = (id: string) => `/sessions/${encodeURIComponent(id)}`;

export async function loader({ params }: LoaderFunctionArgs) {
  return redirect(sessionPath(params.id ?? ""));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const sessionId = params.id ?? "";
  const parsed = parseForm(EnrolSchema, await request.formData());
  if (!parsed.ok) {
    return redirectWithFlash(sessionPath(sessionId), { kind: "error", message: parsed.errors.funding ?? "Choisissez le mode de financement." });
  }
  const result = await enrolSelf({ user, sessionId, funding: parsed.data.funding });
  if (!result.ok) return redirectWithFlash(sessionPath(sessionId), { kind: "error", message: result.message });
  if (result.status === "PENDING_PAYMENT") {
    // The seat is held; the learner reads and accepts their contrat de formation, then saves
    // their card. Nothing is charged before the withdrawal period ends (decision 031).
    await issueContract({ enrolmentId: result.enrolmentId });
    return redirect(contractPath(result.enrolmentId), 303);
  }
  return redirectWithFlash("/mon-espace", {
    kind: "success",
    message:
      result.status === "CONFIRMED"
        ? "Votre inscription est confirmée. Votre convocation vous a été envoyée par e-mail."
        : `La session est complète : vous êtes sur la liste d'attente, au rang ${result.position}. Nous vous écrirons si une place se libère.`,
  });
}
