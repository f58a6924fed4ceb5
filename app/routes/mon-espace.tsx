import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CertificatesTable } from "~/components/CertificatesTable";
import { Field } from "~/components/Field";
import { renameOwnAccount } from "~/modules/auth/account.server";
import { ProfileNameSchema } from "~/modules/auth/auth.schema";
import { requireUser } from "~/modules/auth/session.server";
import { badgeNameChoice, chooseBadgeName } from "~/modules/certificates/credential.server";
import { listMyCertificates } from "~/modules/certificates/documents.server";
import { listMyEnrolments } from "~/modules/enrolment/enrolment.server";
import { enrolmentStatusLabel, formatDateTime } from "~/modules/enrolment/enrolment.rules";
import { redirectWithFlash } from "~/utils/flash.server";
import { failure, parseForm, type FormFailure } from "~/utils/forms.server";
import { checkPersonName } from "~/utils/person-name";

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
  const [enrolments, certificates, badgeNameInClear] = await Promise.all([listMyEnrolments(user.id), listMyCertificates(user.id), badgeNameChoice(user.id)]);
  const storedName = checkPersonName(user.name);
  return {
    certificates,
    enrolments: enrolments.map((e) => ({
      ...e,
      statusLabel:
        enrolmentStatusLabel({ status: e.status, position: e.position, offerExpiresAt: e.offerExpiresAt }) +
        (e.holdExpiresAt ? ` — place réservée jusqu'au ${formatDateTime(e.holdExpiresAt)}` : ""),
    })),
    name: user.name,
    // A name stored before the rule held (invisible characters...): asked to be corrected.
    nameProblem: storedName.ok ? null : `Votre nom enregistré doit être corrigé avant votre prochain certificat. ${storedName.message}`,
    badgeNameInClear,
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

const BADGE_NAME_CHOICES = { clair: true, empreinte: false } as const;

/**
 * Correcting one's own name, as the next certificates will print it; or choosing whether
 * one's name appears in clear in one's Open Badges credentials (intent "badge-name").
 */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  if (form.get("intent") === "badge-name") {
    const choice = String(form.get("badgeName") ?? "");
    if (!Object.hasOwn(BADGE_NAME_CHOICES, choice)) {
      return Response.json(failure({ badgeName: "Choisissez si votre nom figure en clair dans vos badges numériques." }, form), { status: 400 });
    }
    const nameInClear = BADGE_NAME_CHOICES[choice as keyof typeof BADGE_NAME_CHOICES];
    const { resigned } = await chooseBadgeName(user.id, nameInClear);
    const what = nameInClear ? "Votre nom figure en clair dans vos badges numériques" : "Vos badges numériques ne portent plus votre nom, seulement une empreinte de votre adresse e-mail";
    const done = resigned > 0 ? ` : ${resigned === 1 ? "un badge a été signé" : `${resigned} badges ont été signés`} à nouveau.` : ".";
    return redirectWithFlash("/mon-espace#badges", { kind: "success", message: `${what}${done}` });
  }
  const parsed = parseForm(ProfileNameSchema, form);
  if (!parsed.ok) return Response.json(parsed, { status: 400 });
  await renameOwnAccount({ userId: user.id, name: parsed.data.name });
  return redirectWithFlash("/mon-espace", { kind: "success", message: `Votre nom est enregistré : ${parsed.data.name}.` });
}

export default function MySpace() {
  const { name, nameProblem, badgeNameInClear, email, roles, memberships, enrolments, certificates } = useLoaderData<typeof loader>();
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
            error={failed?.errors.name ?? (failed ? undefined : nameProblem)}
            hint="Nom et prénom tels qu'ils doivent figurer sur vos prochains certificats."
            required
            maxLength={200}
          />
          <p>
            <button type="submit">Enregistrer mon nom</button>
          </p>
        </Form>
        <BadgeNameForm inClear={badgeNameInClear} error={failed?.errors.badgeName} />
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

/** The holder's agreement to their name appearing in clear in their Open Badges credentials. */
function BadgeNameForm({ inClear, error }: { inClear: boolean; error?: string }) {
  return (
    <Form method="post" className="stack" noValidate id="badges">
      <input type="hidden" name="intent" value="badge-name" />
      <fieldset aria-describedby={error ? "badgeName-error" : "badgeName-hint"}>
        <legend>Mon nom dans mes badges numériques (Open Badges)</legend>
        <p id="badgeName-hint" className="hint">
          Chaque certificat se télécharge aussi comme badge numérique signé. Il vous désigne toujours par une empreinte de votre adresse e-mail, qui ne se lit pas.
          Votre nom n'y figure en clair que si vous le voulez ; le certificat imprimé et sa page de vérification le portent dans tous les cas. Un changement s'applique
          aux badges de tous vos certificats ; un badge déjà transmis reste tel quel.
        </p>
        {error ? (
          <p className="error" id="badgeName-error">
            {error}
          </p>
        ) : null}
        <div className="field checkbox">
          <input type="radio" id="badgeName-clair" name="badgeName" value="clair" defaultChecked={inClear} />
          <label htmlFor="badgeName-clair">Mon nom en clair, comme sur le certificat imprimé</label>
        </div>
        <div className="field checkbox">
          <input type="radio" id="badgeName-empreinte" name="badgeName" value="empreinte" defaultChecked={!inClear} />
          <label htmlFor="badgeName-empreinte">Seulement l'empreinte de mon adresse e-mail, sans mon nom</label>
        </div>
      </fieldset>
      <p>
        <button type="submit">Enregistrer mon choix</button>
      </p>
    </Form>
  );
}
