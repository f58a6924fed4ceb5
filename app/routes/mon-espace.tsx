import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/modules/auth/session.server";

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
  return {
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

export default function MySpace() {
  const { name, email, roles, memberships } = useLoaderData<typeof loader>();
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
