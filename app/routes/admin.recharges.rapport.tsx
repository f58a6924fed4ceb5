import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/modules/auth/require.server";
import { monthReport } from "~/modules/recharges/admin.server";
import { isPeriod } from "~/modules/recharges/quota.rules";
import { currentPeriod } from "~/modules/recharges/quota.server";
import { formatMonthKey } from "~/utils/dates";

export const meta: MetaFunction = () => [{ title: "Rapport mensuel des recharges — Maillon" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.access");
  const requested = new URL(request.url).searchParams.get("mois") ?? "";
  const period = isPeriod(requested) ? requested : currentPeriod();
  return { period, rows: await monthReport(period) };
}

export default function RechargeReport() {
  const { period, rows } = useLoaderData<typeof loader>();
  const max = Math.max(1, ...rows.map((r) => r.issued));
  return (
    <>
      <p>
        <Link to="/admin/recharges">← Produits et stock</Link>
      </p>
      <h1>Rapport des recharges — {formatMonthKey(period)}</h1>
      <Form method="get">
        <label htmlFor="field-mois">Mois (AAAA-MM)</label> <input id="field-mois" name="mois" defaultValue={period} /> <button type="submit">Afficher</button>
      </Form>
      <p>
        <a href={`/admin/recharges/rapport.csv?mois=${period}`}>Exporter en CSV</a>
      </p>
      {rows.length === 0 ? (
        <p>Aucun quota ni aucune recharge pour ce mois.</p>
      ) : (
        <>
          <table>
            <thead>
              <tr>
                <th scope="col">Relais</th>
                <th scope="col">Recharge</th>
                <th scope="col">Attribuées</th>
                <th scope="col">Délivrées</th>
                <th scope="col">Dont erreurs déclarées</th>
                <th scope="col">Restantes</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={`${r.relayId}-${r.productId}`}>
                  <th scope="row">{r.relayName}</th>
                  <td>{r.productName}</td>
                  <td>{r.allocated}</td>
                  <td>{r.issued}</td>
                  <td>{r.mistakes}</td>
                  <td>{r.remaining}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Recharges délivrées par relais et produit</h2>
          <figure>
            <svg role="img" aria-labelledby="chart-title" width="600" height={rows.length * 28 + 10} viewBox={`0 0 600 ${rows.length * 28 + 10}`}>
              <title id="chart-title">Recharges délivrées en {formatMonthKey(period)}, par relais et produit (les mêmes chiffres que le tableau)</title>
              {rows.map((r, i) => (
                <g key={`${r.relayId}-${r.productId}`} transform={`translate(0 ${i * 28 + 5})`}>
                  <text x="0" y="16" fontSize="12">
                    {`${r.relayName.slice(0, 28)} — ${r.productName}`}
                  </text>
                  <rect x="300" y="2" height="18" width={Math.max(2, (r.issued / max) * 250)} fill="#163f80" />
                  <text x={306 + (r.issued / max) * 250} y="16" fontSize="12">
                    {r.issued}
                  </text>
                </g>
              ))}
            </svg>
          </figure>
        </>
      )}
    </>
  );
}
