import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CertificatesTable } from "~/components/CertificatesTable";
import { Field } from "~/components/Field";
import { renameOwnAccount } from "~/modules/auth/account.server";
import { ProfileNameSchema } from "~/modules/auth/auth.schema";
import { requireUser } from "~/modules/auth/session.server";
import { listMyCertificates } from "~/modules/certificates/documents.server";
import { listMyEnrolments } from "~/modules/enrolment/enrolment.server";
import { enrolmentStatusLabel, formatDateTime } from "~/modules/enrolment/enrolment.rules";
import { redirectWithFlash } from "~/utils/flash.server";
import { parseForm, type FormFailure } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Mon espace — Maillon" }];

const ROLE_LABELS: Record<string, string> = {
  LEARNER: "Apprenant·e",
  TRAINER: "Formateur·rice",
  ADMIN: "Administrateur·rice",
};
const MEMBERSHIP_LABELS: Record<string, string> = { MEMBER: "Membre", REFERENT: "Référent·e" };
const RELAY_LABELS: Record<string, string> = {
  PENDING_CERTIFICATION: "Relais Numérique en attente de certification",
  ACTIVE: "Relais Numérique actif",
  SUSPENDED: "Relais Numérique suspendu",
};

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [enrolments, certificates] = await Promise.all([listMyEnrolments(user.id), listMyCertificates(user.id)]);
  return {
    certificates,
    enrolments: enrolments.map((e) => ({
      ...e,
      statusLabel:
        enrolmentStatusLabel({ status: e.status, position: e.position, offerExpiresAt: e.offerExpiresAt }) +
        (e.holdExpiresAt ? ` — place réservée jusqu'au ${formatDateTime(e.holdExpiresAt)}` : ""),
    })),
    name: user.name,
    email: user.email,
    roles: user.roles.map((r) => ROLE_LABELS[r] ?? r),
    memberships: user.memberships.map((m) => ({
      structureId: m.structureId,
      structureName: m.structureName,
      role: MEMBERSHIP_LABELS[m.role] ?? m.role,
      isReferent: m.role === "REFERENT",
      relay: m.relayStatus ? (RELAY_LABELS[m.relayStatus] ?? null) : null,
    })),
  };
}

/** Correcting one's own name, as the next certificates will print it. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = parseForm(ProfileNameSchema, await request.formData());
  if (!parsed.ok) return Response.json(parsed, { status: 400 });
  await renameOwnAccount({ userId: user.id, name: parsed.data.name });
  return redirectWithFlash("/mon-espace", { kind: "success", message: `Votre nom est enregistré : ${parsed.data.name}.` });
}

export default function MySpace() {
  const { name, email, roles, memberships, enrolments, certificates } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>() as FormFailure | undefined;
  return (
    <>
      <h1>Mon espace</h1>
      <section aria-labelledby="profil">
        <h2 id="profil">Mon profil</h2>
        <dl>
          <dt>Nom</dt>
          <dd>{name}</dd>
          <dt>Adresse e-mail</dt>
          <dd>{email}</dd>
          <dt>{roles.length > 1 ? "Rôles" : "Rôle"}</dt>
          <dd>{roles.join(", ")}</dd>
        </dl>
        <Form method="post" className="stack" noValidate>
          <Field
            label="Corriger mon nom"
            name="name"
            autoComplete="name"
            defaultValue={failed?.values.name ?? name}
            error={failed?.errors.name}
            hint="Nom et prénom tels qu'ils doivent figurer sur vos prochains certificats."
            required
            maxLength={200}
          />
          <p>
            <button type="submit">Enregistrer mon nom</button>
          </p>
        </Form>
      </section>
      <section aria-labelledby="inscriptions">
        <h2 id="inscriptions">Mes inscriptions</h2>
        <p>
          Vos factures et avoirs : <Link to="/mon-espace/factures">Mes factures</Link>.
        </p>
        {enrolments.length > 0 ? (
          <p>
            Pendant une formation, signez la feuille de présence de chaque demi-journée : <Link to="/emargement">Émargement</Link>.
          </p>
        ) : null}
        {enrolments.length > 0 ? (
          <p>
            Le <Link to="/mon-espace/reglement-interieur">règlement intérieur</Link> s'applique pendant les formations ; il vous est remis avec chaque convocation.
          </p>
        ) : null}
        {enrolments.length === 0 ? (
          <p className="muted">
            Vous n'êtes inscrit·e à aucune session. <Link to="/formations">Voir les formations</Link>
          </p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Formation</th>
                <th scope="col">Dates</th>
                <th scope="col">Statut</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {enrolments.map((e) => (
                <tr key={e.id}>
                  <th scope="row">
                    <Link to={`/sessions/${encodeURIComponent(e.sessionId)}`}>{e.moduleTitle}</Link>
                  </th>
                  <td>{e.dates}</td>
                  <td>{e.statusLabel}</td>
                  <td>
                    <EnrolmentActions enrolment={e} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="certificats">
        <h2 id="certificats">Mes certificats</h2>
        {certificates.length === 0 ? (
          <p>Vos certificats de réalisation et attestations de fin de formation apparaîtront ici à la clôture de chaque session suivie.</p>
        ) : (
          <CertificatesTable certificates={certificates} forStaff={false} />
        )}
      </section>
      <section aria-labelledby="structures">
        <h2 id="structures">Mes structures</h2>
        {memberships.length === 0 ? (
          <p className="muted">
            Vous n'êtes rattaché·e à aucune structure. Si vous travaillez dans une structure partenaire, demandez à sa ou son
            référent·e de vous inviter.
          </p>
        ) : (
          <ul>
            {memberships.map((m) => (
              <li key={m.structureId}>
                <strong>{m.structureName}</strong> : {m.role}
                {m.relay ? ` (${m.relay})` : null}
                {m.isReferent ? (
                  <>
                    {" "}
                    — <Link to={`/ma-structure?structure=${encodeURIComponent(m.structureId)}`}>gérer les membres de {m.structureName}</Link>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

type EnrolmentRow = {
  id: string;
  moduleTitle: string;
  status: string;
  offerOpen: boolean;
  canCancel: boolean;
  hasConvocation: boolean;
  hasQuote: boolean;
  hasContract: boolean;
  canPay: boolean;
  past: boolean;
};

function EnrolmentButton({ id, intent, label, title }: { id: string; intent: string; label: string; title: string }) {
  return (
    <Form method="post" action={`/mon-espace/inscriptions/${encodeURIComponent(id)}`} className="inline-form">
      <input type="hidden" name="intent" value={intent} />
      <button type="submit" className="link-button">
        {label}
        <span className="visually-hidden"> : {title}</span>
      </button>
    </Form>
  );
}

/** The quote of an enrolment funded by the structure or an OPCO (a PDF). */
function QuoteLink({ enrolment: e }: { enrolment: EnrolmentRow }) {
  return (
    <p>
      <a href={`/mon-espace/inscriptions/${encodeURIComponent(e.id)}/devis`} download>
        Télécharger le devis (PDF)<span className="visually-hidden"> : {e.moduleTitle}</span>
      </a>
    </p>
  );
}

/** What the learner can do with one enrolment; every action is a plain form (no JavaScript needed). */
/** The contrat de formation of a card enrolment: read, accept, withdraw. */
function ContractLink({ enrolment: e }: { enrolment: EnrolmentRow }) {
  return (
    <p>
      <Link to={`/mon-espace/inscriptions/${encodeURIComponent(e.id)}/contrat`}>
        {e.status === "PENDING_PAYMENT" ? "Lire et accepter mon contrat de formation" : "Mon contrat de formation"}
        <span className="visually-hidden"> : {e.moduleTitle}</span>
      </Link>
    </p>
  );
}

function EnrolmentActions({ enrolment: e }: { enrolment: EnrolmentRow }) {
  if (e.past || e.status === "CANCELLED") return e.hasQuote ? <QuoteLink enrolment={e} /> : e.hasContract ? <ContractLink enrolment={e} /> : <span className="muted">—</span>;
  return (
    <>
      {e.hasQuote ? <QuoteLink enrolment={e} /> : null}
      {e.hasContract ? <ContractLink enrolment={e} /> : null}
      {e.hasConvocation ? (
        <p>
          <a href={`/mon-espace/inscriptions/${encodeURIComponent(e.id)}`} download="convocation.ics">
            Télécharger la convocation (.ics)<span className="visually-hidden"> : {e.moduleTitle}</span>
          </a>
        </p>
      ) : null}
      {e.status === "OFFERED" && e.offerOpen ? <EnrolmentButton id={e.id} intent="confirm" label="Confirmer ma place" title={e.moduleTitle} /> : null}
      {e.status === "OFFERED" ? <EnrolmentButton id={e.id} intent="cancel" label="Refuser la place" title={e.moduleTitle} /> : null}
      {e.status === "WAITLISTED" ? <EnrolmentButton id={e.id} intent="leave" label="Quitter la liste d'attente" title={e.moduleTitle} /> : null}
      {e.status === "PENDING_PAYMENT" && e.canPay ? <EnrolmentButton id={e.id} intent="pay" label="Payer maintenant" title={e.moduleTitle} /> : null}
      {(e.hasConvocation || e.status === "PENDING_PAYMENT") && e.canCancel ? (
        <EnrolmentButton id={e.id} intent="cancel" label="Annuler mon inscription" title={e.moduleTitle} />
      ) : null}
      {e.hasConvocation && !e.canCancel ? <p className="muted">Pour annuler, contactez l'association.</p> : null}
    </>
  );
}
