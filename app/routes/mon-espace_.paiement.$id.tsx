import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { requireUser } from "~/modules/auth/session.server";
import { formatDateTime } from "~/modules/enrolment/enrolment.rules";
import { getPaymentState } from "~/modules/payments/checkout.server";
import { canPayNow } from "~/modules/payments/payment.rules";
import { formatPrice } from "~/modules/training/catalogue.rules";

/**
 * Where Stripe sends the learner back (`?etat=paye` after paying, `?etat=abandon` when they
 * left the payment page). The webhook, not this page, confirms the enrolment: while the
 * confirmation is on its way the page says so, checks again every few seconds with
 * JavaScript (the status is a live region), and offers a link to check again without it. No
 * meta refresh: a page that reloads by itself is a WCAG failure (2.2.1).
 */
type View = "confirmed" | "confirming" | "unpaid" | "cancelled";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const state = await getPaymentState({ userId: user.id, enrolmentId: params.id ?? "" });
  if (!state) throw new Response("Paiement introuvable", { status: 404 });
  const returned = new URL(request.url).searchParams.get("etat");
  const now = new Date();
  const view: View =
    state.status === "CONFIRMED"
      ? "confirmed"
      : state.status === "PENDING_PAYMENT"
        ? returned === "paye"
          ? "confirming"
          : "unpaid"
        : "cancelled";
  return {
    view,
    enrolmentId: state.id,
    sessionId: state.sessionId,
    moduleTitle: state.moduleTitle,
    dates: state.dates,
    amount: formatPrice(state.amountCents),
    holdUntil: state.holdExpiresAt ? formatDateTime(state.holdExpiresAt) : null,
    canPay: canPayNow({ status: state.status, funding: "CARD", paymentStatus: state.paymentStatus, holdExpiresAt: state.holdExpiresAt }, now),
    paymentStatus: state.paymentStatus,
    cancelReason: state.cancelReason,
  };
}

const TITLES: Record<View, string> = {
  confirmed: "Paiement reçu : inscription confirmée",
  confirming: "Paiement en cours de confirmation",
  unpaid: "Paiement non finalisé",
  cancelled: "Inscription annulée",
};

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: "Paiement introuvable — Maillon" }];
  return [{ title: `${TITLES[data.view]} — Maillon` }];
};

const RECHECK_MS = 3000;

export default function PaymentReturn() {
  const d = useLoaderData<typeof loader>();
  const location = useLocation();
  const revalidator = useRevalidator();
  useEffect(() => {
    if (d.view !== "confirming") return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, RECHECK_MS);
    return () => clearInterval(timer);
  }, [d.view, revalidator]);
  return (
    <>
      <h1>{TITLES[d.view]}</h1>
      <p>
        Formation « {d.moduleTitle} », {d.dates.toLowerCase()} — {d.amount}.
      </p>
      {d.view === "confirmed" ? (
        <p role="status">Votre paiement est enregistré et votre inscription est confirmée. Votre convocation vous a été envoyée par e-mail.</p>
      ) : null}
      {d.view === "confirming" ? (
        <>
          <p role="status">
            Stripe nous transmet la confirmation de votre paiement : cela prend en général quelques secondes. Vous recevrez aussi votre convocation par
            e-mail.
          </p>
          <p>
            <Link to={`${location.pathname}${location.search}`} reloadDocument>
              Vérifier à nouveau
            </Link>
          </p>
        </>
      ) : null}
      {d.view === "unpaid" ? (
        <>
          <p role="status">
            Le paiement n'a pas été effectué.
            {d.holdUntil ? ` Votre place reste réservée jusqu'au ${d.holdUntil} ; passé ce délai, elle sera libérée.` : null}
          </p>
          {d.canPay ? (
            <Form method="post" action={`/mon-espace/inscriptions/${encodeURIComponent(d.enrolmentId)}`}>
              <input type="hidden" name="intent" value="pay" />
              <button type="submit">Payer maintenant</button>
            </Form>
          ) : null}
        </>
      ) : null}
      {d.view === "cancelled" ? (
        <p role="status">
          {d.cancelReason ? `Cette inscription est annulée (${d.cancelReason}).` : "Cette inscription est annulée."}
          {d.paymentStatus === "PAID" ? " Votre paiement vous sera remboursé ; vous recevrez un e-mail quand ce sera fait." : null}
          {d.paymentStatus === "REFUNDED" ? " Votre paiement vous a été remboursé." : null}{" "}
          <Link to={`/sessions/${encodeURIComponent(d.sessionId)}`}>Voir la session</Link>
        </p>
      ) : null}
      <p>
        <Link to="/mon-espace">Retour à mon espace</Link>
      </p>
    </>
  );
}
