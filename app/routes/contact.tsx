import type { MetaFunction } from "@remix-run/node";

export const meta: MetaFunction = () => [{ title: "Contact — Maillon" }];

export default function Contact() {
  return (
    <>
      <h1>Nous contacter</h1>
      <section aria-labelledby="courriel">
        <h2 id="courriel">Par courriel</h2>
        <p>
          <a href="mailto:contact@maillon.localhost">contact@maillon.localhost</a>
        </p>
        <p className="muted">Nous répondons sous cinq jours ouvrés. N'envoyez pas de données de santé ni de copie de pièce d'identité.</p>
      </section>
      <section aria-labelledby="courrier">
        <h2 id="courrier">Par courrier</h2>
        <address>
          Association Maillon — Siège
          <br />
          12 rue de la Solidarité
          <br />
          75011 Paris
        </address>
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
