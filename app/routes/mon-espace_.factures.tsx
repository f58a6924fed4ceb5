import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/modules/auth/session.server";
import { listMyInvoices } from "~/modules/invoicing/invoicing.server";
import { formatEuros } from "~/modules/training/quote.rules";
import { formatDate } from "~/utils/dates";

export const meta: MetaFunction = () => [{ title: "Mes factures — Maillon" }];

/** The invoices and credit notes billed to the person, or to a structure they are referent of. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { invoices: await listMyInvoices(user) };
}

export default function MyInvoices() {
  const { invoices } = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <Link to="/mon-espace">← Mon espace</Link>
      </p>
      <h1>Mes factures</h1>
      {invoices.length === 0 ? (
        <p>Aucune facture ni avoir ne vous est adressé.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Numéro</th>
              <th scope="col">Date</th>
              <th scope="col">Client</th>
              <th scope="col">Formation</th>
              <th scope="col">Montant TTC</th>
            </tr>
          </thead>
          <tbody>
            {invoices.map((i) => (
              <tr key={i.id}>
                <th scope="row">
                  <a href={`/factures/${encodeURIComponent(i.id)}.pdf`} download>
                    {i.kind === "INVOICE" ? "Facture" : "Avoir"} {i.number}
                  </a>
                </th>
                <td>{formatDate(i.issuedAt)}</td>
                <td>{i.buyerName}</td>
                <td>{i.label}</td>
                <td>{formatEuros(i.totalTtcCents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
