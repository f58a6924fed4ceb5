import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { getOptionalUser } from "~/modules/auth/session.server";
import { formatHours, formatPrice, fundingChoices, type FundingChoice } from "~/modules/training/catalogue.rules";
import { getSessionPage, type SessionPage } from "~/modules/training/catalogue.server";
import { HOLD_MINUTES, cardPaymentOffered } from "~/modules/payments/payment.rules";
import { isStripeConfigured } from "~/modules/payments/stripe.server";
import { formatDate, formatDateRange, formatSlot } from "~/utils/dates";

/** What the page (and its enrolment form) is built from. */
export type SessionLoaderData = {
  session: SessionPage;
  loggedIn: boolean;
  /** The viewer is a referent of a structure and may enrol colleagues. */
  isReferent: boolean;
  /** The choices of the "Financement" select; the action `/sessions/:id/inscription` accepts these. */
  fundingChoices: FundingChoice[];
};

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: "Session introuvable — Maillon" }];
  const { session } = data;
  const when = session.slots[0] ? ` du ${formatDate(session.slots[0].startsAt)}` : "";
  const prefix = session.openness === "cancelled" ? "Session annulée : " : "";
  return [{ title: `${prefix}${session.module.title}${when} — Maillon` }];
};

export async function loader({ request, params }: LoaderFunctionArgs): Promise<SessionLoaderData> {
  const user = await getOptionalUser(request);
  const session = await getSessionPage({ id: params.id ?? "", viewer: user, now: new Date() });
  if (!session) throw new Response("Session introuvable", { status: 404 });
  const isReferent = user?.memberships.some((m) => m.role === "REFERENT") ?? false;
  const card = cardPaymentOffered({ stripeConfigured: isStripeConfigured(), isFree: session.isFree, priceCents: session.priceCents }) && session.seatsLeft > 0;
  return { session, loggedIn: user !== null, isReferent, fundingChoices: fundingChoices(session.isFree, { card }) };
}

const ENROLMENT_STATUS: Record<string, string> = {
  CONFIRMED: "Vous êtes inscrit·e à cette session.",
  PENDING_PAYMENT: "Votre inscription attend le paiement.",
  OFFERED: "Une place vous est proposée : confirmez-la depuis votre espace.",
  WAITLISTED: "Vous êtes sur la liste d'attente de cette session.",
};

function Place({ session }: { session: SessionPage }) {
  if (session.format === "REMOTE") return <>À distance (le lien de connexion est envoyé avec la convocation)</>;
  const lines = [session.venueName, session.address, [session.postcode, session.city].filter(Boolean).join(" ")].filter(Boolean);
  return lines.length === 0 ? <>Lieu à préciser</> : <>{lines.join(", ")}</>;
}

function Enrol({ data }: { data: SessionLoaderData }) {
  const { session, loggedIn } = data;
  const full = session.seatsLeft === 0;
  const card = data.fundingChoices.some((c) => c.value === "CARD");
  if (!loggedIn) {
    return (
      <p>
        <Link to={`/connexion?redirectTo=${encodeURIComponent(`/sessions/${session.id}`)}`}>Connectez-vous pour vous inscrire</Link>
        {" "}
        (ou <Link to="/inscription">créez un compte</Link>).
      </p>
    );
  }
  const mine = session.myEnrolment && session.myEnrolment.status !== "CANCELLED" ? session.myEnrolment : null;
  if (mine) {
    return (
      <p role="status">
        {ENROLMENT_STATUS[mine.status] ?? "Vous êtes inscrit·e à cette session."} <Link to="/mon-espace">Voir mes inscriptions</Link>
      </p>
    );
  }
  return (
    <Form method="post" action={`/sessions/${session.id}/inscription`} className="stack">
      {full ? <p>Cette session est complète : inscrivez-vous sur la liste d'attente, nous vous écrirons si une place se libère.</p> : null}
      <div className="field">
        <label htmlFor="funding">Financement</label>
        <select id="funding" name="funding" required aria-describedby={card ? "funding-hint" : undefined}>
          {data.fundingChoices.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
        {card ? (
          <p className="hint" id="funding-hint">
            Par carte, vous payez vous-même : vous acceptez en ligne votre contrat de formation, puis enregistrez votre carte sur la page sécurisée de notre
            prestataire Stripe ; votre place vous est réservée {HOLD_MINUTES} minutes le temps de ces deux étapes. Rien n'est prélevé pendant les 10 jours où vous
            pouvez vous rétracter.
          </p>
        ) : null}
      </div>
      <p>
        <button type="submit">{full ? "Rejoindre la liste d'attente" : "M'inscrire"}</button>
      </p>
    </Form>
  );
}

export default function SessionDetail() {
  const data = useLoaderData<typeof loader>();
  const { session } = data;
  const first = session.slots[0];
  const last = session.slots.at(-1);

  if (session.openness === "cancelled") {
    return (
      <>
        <h1>Session annulée</h1>
        <p>
          La session de la formation « {session.module.title} »{first ? ` prévue ${formatDateRange(first.startsAt, (last ?? first).endsAt).toLowerCase()}` : ""}{" "}
          a été annulée.
        </p>
        {session.cancelReason ? <p>Motif : {session.cancelReason}</p> : null}
        <p>
          <Link to={`/formations/${session.module.slug}`}>Voir les autres sessions de cette formation</Link>
        </p>
      </>
    );
  }

  return (
    <>
      <p>
        <Link to={`/formations/${session.module.slug}`}>← {session.module.title}</Link>
      </p>
      <h1>
        {session.module.title}
        <span className="subtitle">{first && last ? formatDateRange(first.startsAt, last.endsAt) : "Dates à préciser"}</span>
      </h1>
      {session.kind === "INTRA" ? <p className="muted">Session réservée à {session.structureName ?? "une structure"}.</p> : null}

      <dl className="details">
        <dt>Durée</dt>
        <dd>
          {formatHours(session.module.durationMinutes)}, en {session.slots.length} demi-journée{session.slots.length > 1 ? "s" : ""}
        </dd>
        <dt>Lieu</dt>
        <dd>
          <Place session={session} />
        </dd>
        {session.accessInfo ? (
          <>
            <dt>Accès</dt>
            <dd>{session.accessInfo}</dd>
          </>
        ) : null}
        <dt>Formateur ou formatrice</dt>
        <dd>{session.trainerName ?? "À préciser"}</dd>
        <dt>Tarif</dt>
        <dd>{session.isFree || session.priceCents === 0 ? "Gratuit" : `${formatPrice(session.priceCents)} par personne, net de taxes`}</dd>
        <dt>Places restantes</dt>
        <dd>{session.seatsLeft === 0 ? <strong className="full">Complet — liste d'attente</strong> : `${session.seatsLeft} sur ${session.capacity}`}</dd>
      </dl>

      <h2>Horaires (heure de Paris)</h2>
      {session.slots.length === 0 ? (
        <p>Les horaires seront précisés prochainement.</p>
      ) : (
        <ul>
          {session.slots.map((slot) => (
            <li key={slot.startsAt.toISOString()}>{formatSlot(slot)}</li>
          ))}
        </ul>
      )}

      <h2>Inscription</h2>
      {session.openness === "past" ? (
        <p>Cette session a commencé ou est terminée : les inscriptions sont closes.</p>
      ) : (
        <>
          <Enrol data={data} />
          {data.isReferent ? (
            <p>
              <Link to={`/sessions/${session.id}/inscrire-des-collegues`}>Inscrire des collègues de ma structure</Link>
            </p>
          ) : null}
        </>
      )}
    </>
  );
}
