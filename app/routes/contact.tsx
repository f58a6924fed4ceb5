import type { MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { currentIdentity } from "~/modules/organisation/identity.server";

export const meta: MetaFunction = () => [{ title: "Contact — Maillon" }];

export async function loader() {
  const { name, street, postalCode, city, email, phone } = await currentIdentity();
  return { name, street, postalCode, city, email, phone };
}

export default function Contact() {
  const o = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Nous contacter</h1>
      <section aria-labelledby="courriel">
        <h2 id="courriel">Par courriel</h2>
        <p>
          <a href={`mailto:${o.email}`}>{o.email}</a>
        </p>
        <p className="muted">Nous répondons sous cinq jours ouvrés. N'envoyez pas de données de santé ni de copie de pièce d'identité.</p>
      </section>
      <section aria-labelledby="courrier">
        <h2 id="courrier">Par courrier</h2>
        <address>
          {o.name} — Siège
          <br />
          {o.street}
          <br />
          {o.postalCode} {o.city}
        </address>
        <p>Téléphone : {o.phone}</p>
      </section>
      <section aria-labelledby="horaires">
        <h2 id="horaires">Horaires d'accueil du siège</h2>
        <ul>
          <li>Du lundi au jeudi : 9 h 30 – 12 h 30 et 14 h – 17 h 30</li>
          <li>Le vendredi : 9 h 30 – 12 h 30</li>
          <li>Fermé le week-end et les jours fériés</li>
        </ul>
        <p>
          Pour une question sur une formation, un Relais Numérique ou l'accessibilité du site, précisez-le dans l'objet de votre
          message : il sera transmis directement à la bonne équipe.
        </p>
      </section>
    </>
  );
}
