import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getAdminDashboard } from "~/modules/admin/dashboard.server";
import { requireRole } from "~/modules/auth/require.server";

export const meta: MetaFunction = () => [{ title: "Administration — Maillon" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "ADMIN");
  return getAdminDashboard(new Date());
}

const RELAY_LABELS = { PENDING_CERTIFICATION: "En attente de certification", ACTIVE: "Actifs", SUSPENDED: "Suspendus" } as const;
const MAIL_LABELS = { PENDING: "En attente d'envoi", SENT: "Envoyés", FAILED: "En échec (à renvoyer)" } as const;

function CountTable({ id, title, rows }: { id: string; title: string; rows: [string, number][] }) {
  return (
    <section aria-labelledby={id} className="card">
      <h2 id={id}>{title}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Catégorie</th>
            <th scope="col">Nombre</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, count]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td>{count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export default function AdminHome() {
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Administration</h1>
      <nav aria-label="Gestion">
        <ul>
          <li>
            <Link to="/admin/sessions">Sessions de formation</Link>
          </li>
          <li>
            <Link to="/admin/formations">Modules de formation</Link>
          </li>
          <li>
            <Link to="/admin/reglement-interieur">Règlement intérieur</Link> (versions, remis avec les convocations)
          </li>
          <li>
            <Link to="/admin/inscriptions">Inscriptions</Link> (recherche, paiements à recevoir)
          </li>
          <li>
            <Link to="/admin/factures">Factures et avoirs</Link> (relances, export comptable)
          </li>
          <li>
            <Link to="/admin/personnes">Personnes</Link> (rôles, invitations, comptes désactivés)
          </li>
          <li>
            <Link to="/admin/rapports">Bilan annuel</Link> (BPF, taux de satisfaction et de réalisation)
          </li>
        </ul>
      </nav>
      <div className="cards">
        <CountTable
          id="portail"
          title="Le portail"
          rows={[
            ["Comptes", d.users],
            ["Structures", d.structures],
            ["Sessions de formation à venir", d.upcomingSessions],
          ]}
        />
        <CountTable
          id="relais"
          title="Relais Numériques"
          rows={(Object.keys(RELAY_LABELS) as (keyof typeof RELAY_LABELS)[]).map((s) => [RELAY_LABELS[s], d.relaysByStatus[s]])}
        />
        <CountTable
          id="courriels"
          title="Courriels sortants"
          rows={(Object.keys(MAIL_LABELS) as (keyof typeof MAIL_LABELS)[]).map((s) => [MAIL_LABELS[s], d.outboxByStatus[s]])}
        />
      </div>
      <section aria-labelledby="emargement">
        <h2 id="emargement">Feuilles d'émargement à vérifier</h2>
        {d.attendanceFlags.length === 0 ? (
          <p>Aucune anomalie sur les feuilles des {d.attendanceFlagWindowDays} derniers jours.</p>
        ) : (
          <ul>
            {d.attendanceFlags.map((flag, i) => (
              <li key={`${flag.kind}-${i}`}>
                <strong>{flag.title}</strong> — {flag.label}{" "}
                {flag.sheets.map((sheet, j) => (
                  <span key={sheet.href}>
                    {j > 0 ? " ; " : ""}
                    <Link to={sheet.href}>{sheet.text}</Link>
                  </span>
                ))}
              </li>
            ))}
          </ul>
        )}
      </section>
      {d.outboxByStatus.FAILED > 0 ? (
        <p className="form-error">
          {d.outboxByStatus.FAILED} courriel{d.outboxByStatus.FAILED > 1 ? "s n'ont" : " n'a"} pas pu être envoyé
          {d.outboxByStatus.FAILED > 1 ? "s" : ""} après plusieurs essais : vérifiez la configuration SMTP.
        </p>
      ) : null}
    </>
  );
}
