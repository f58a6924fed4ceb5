import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getCapturedMail, isDevMailboxOpen } from "~/modules/mail/transport.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.mail.subject ?? "Courriel"} — Courriels capturés — Maillon` },
];

export async function loader({ params }: LoaderFunctionArgs) {
  if (!isDevMailboxOpen()) throw new Response("Page introuvable", { status: 404 });
  const mail = await getCapturedMail(params.id ?? "");
  if (!mail) throw new Response("Page introuvable", { status: 404 });
  return { mail };
}

const dateFormat = new Intl.DateTimeFormat("fr-FR", { dateStyle: "full", timeStyle: "medium", timeZone: "Europe/Paris" });

export default function CapturedMailPage() {
  const { mail } = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <Link to="/dev/courriels">Retour aux courriels capturés</Link>
      </p>
      <h1>{mail.subject}</h1>
      <dl>
        <dt>Destinataire</dt>
        <dd>{mail.to}</dd>
        <dt>Date (heure de Paris)</dt>
        <dd>
          <time dateTime={mail.date}>{dateFormat.format(new Date(mail.date))}</time>
        </dd>
        {mail.attachments.length > 0 ? (
          <>
            <dt>Pièces jointes</dt>
            <dd>
              <ul>
                {mail.attachments.map((a, index) => (
                  <li key={index}>
                    {a.filename} ({a.contentType}, {Math.ceil(a.size / 1024)} Ko)
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
      </dl>
      <h2>Version texte</h2>
      <pre>{mail.text}</pre>
      <h2>Version HTML</h2>
      {/* sandbox="": no script, no form, no navigation from the mail's markup. */}
      <iframe sandbox="" srcDoc={mail.html} title={`Version HTML du courriel « ${mail.subject} »`} width="100%" height="600" />
    </>
  );
}
