import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { isDevMailboxOpen, listCapturedMails } from "~/modules/mail/transport.server";

/** Development mailbox: the mails the portal would have sent, when no SMTP server is set. */
export const meta: MetaFunction = () => [{ title: "Courriels capturés (développement) — Maillon" }];

export async function loader() {
  if (!isDevMailboxOpen()) throw new Response("Page introuvable", { status: 404 });
  return { mails: await listCapturedMails() };
}

const dateFormat = new Intl.DateTimeFormat("fr-FR", { dateStyle: "short", timeStyle: "medium", timeZone: "Europe/Paris" });

export default function CapturedMails() {
  const { mails } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Courriels capturés</h1>
      <p className="muted">
        Aucun serveur SMTP n'est configuré (variable SMTP_URL) : les courriels ne partent pas, ils sont gardés ici pour le
        développement. Heure de Paris, du plus récent au plus ancien.
      </p>
      {mails.length === 0 ? (
        <p>Aucun courriel pour l'instant.</p>
      ) : (
        <table>
          <caption className="muted">{mails.length === 1 ? "1 courriel" : `${mails.length} courriels`}</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Destinataire</th>
              <th scope="col">Objet</th>
            </tr>
          </thead>
          <tbody>
            {mails.map((mail) => (
              <tr key={mail.id}>
                <td>
                  <time dateTime={mail.date}>{dateFormat.format(new Date(mail.date))}</time>
                </td>
                <td>{mail.to}</td>
                <th scope="row">
                  <Link to={mail.id}>{mail.subject}</Link>
                </th>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
