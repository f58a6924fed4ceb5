import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/modules/auth/session.server";
import { formatDate } from "~/utils/dates";
import { APPLICATION_STATUS_LABELS } from "~/modules/relays/application.rules";
import { createDraft, listMyApplications } from "~/modules/relays/application.server";

export const meta: MetaFunction = () => [{ title: "Devenir Relais Numérique — Maillon" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { applications: await listMyApplications(user.id) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = await createDraft(user);
  return redirect(`/relais/candidature/${id}?etape=1`);
}

export default function MyApplications() {
  const { applications } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Devenir Relais Numérique</h1>
      <p className="lead">
        Votre structure accompagne des personnes en difficulté avec le numérique ? Devenez Relais Numérique : votre équipe est formée,
        puis votre structure délivre des recharges mobiles et anime des ateliers dans ses locaux.
      </p>
      <p>
        La candidature se remplit en quatre étapes ; chaque étape est enregistrée comme brouillon, vous pouvez la reprendre plus tard.
      </p>
      <Form method="post">
        <button type="submit">Commencer une candidature</button>
      </Form>
      <h2>Mes candidatures</h2>
      {applications.length === 0 ? (
        <p className="muted">Vous n'avez pas encore de candidature.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Structure</th>
              <th scope="col">État</th>
              <th scope="col">Dernière modification</th>
            </tr>
          </thead>
          <tbody>
            {applications.map((a) => (
              <tr key={a.id}>
                <th scope="row">
                  <Link to={`/relais/candidature/${a.id}`}>{a.structureName ?? "Candidature sans nom"}</Link>
                </th>
                <td>{APPLICATION_STATUS_LABELS[a.status]}</td>
                <td>{formatDate(new Date(a.updatedAt))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
