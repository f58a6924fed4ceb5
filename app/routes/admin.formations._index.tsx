import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/modules/auth/require.server";
import { formatHours, formatPrice } from "~/modules/training/catalogue.rules";
import { listAdminModules } from "~/modules/training/modules-admin.server";

export const meta: MetaFunction = () => [{ title: "Modules de formation — Administration — Maillon" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.access");
  return { modules: await listAdminModules(new Date()) };
}

const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;

export default function AdminModules() {
  const { modules } = useLoaderData<typeof loader>();
  const hidden = modules.filter((m) => m.hiddenWithEnrolments);
  return (
    <>
      <p>
        <Link to="/admin">← Administration</Link>
      </p>
      <h1>Modules de formation</h1>
      <p>
        <Link to="/admin/formations/nouvelle" className="button">
          Créer un module
        </Link>
      </p>
      {hidden.length > 0 ? (
        <p className="form-error">
          {plural(hidden.length, "module non publié a", "modules non publiés ont")} encore des sessions à venir avec des inscriptions confirmées :
          ces sessions n'apparaissent plus dans le catalogue. Prévenez les personnes inscrites ou republiez le module.
        </p>
      ) : null}
      {modules.length === 0 ? (
        <p>Aucun module pour l'instant.</p>
      ) : (
        <table>
          <caption className="muted">{plural(modules.length, "module", "modules")}</caption>
          <thead>
            <tr>
              <th scope="col">N°</th>
              <th scope="col">Titre</th>
              <th scope="col">Durée</th>
              <th scope="col">Prix</th>
              <th scope="col">Catalogue</th>
              <th scope="col">Sessions à venir</th>
            </tr>
          </thead>
          <tbody>
            {modules.map((m) => (
              <tr key={m.id}>
                <td>{m.number}</td>
                <th scope="row">
                  <Link to={`/admin/formations/${m.id}`}>{m.title}</Link>
                </th>
                <td>{formatHours(m.durationMinutes)}</td>
                <td>{formatPrice(m.priceCents)}</td>
                <td>
                  {m.published ? <Link to={`/formations/${m.slug}`}>Publié</Link> : "Non publié"}
                  {m.hiddenWithEnrolments ? (
                    <p className="error">
                      Attention : {plural(m.hiddenWithEnrolments.sessions, "session à venir", "sessions à venir")} avec{" "}
                      {plural(m.hiddenWithEnrolments.enrolments, "inscription confirmée", "inscriptions confirmées")}.
                    </p>
                  ) : null}
                </td>
                <td>{m.upcomingSessions}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
