import type { MetaFunction } from "@remix-run/node";
import { Link, useRouteLoaderData } from "@remix-run/react";

export const meta: MetaFunction = () => [
  { title: "Accueil — Maillon" },
  {
    name: "description",
    content: "Maillon forme les professionnels de l'action sociale à l'inclusion numérique et anime le réseau des Relais Numériques.",
  },
];

export default function Home() {
  const root = useRouteLoaderData("root") as { user: { name: string } | null } | undefined;
  const loggedIn = !!root?.user;
  return (
    <>
      <h1>Maillon, le portail de l'inclusion numérique solidaire</h1>
      <p>
        Maillon est une association qui lutte contre l'exclusion numérique des personnes en situation de précarité. Ce portail
        s'adresse aux professionnels de l'action sociale et aux structures qui les emploient.
      </p>
      {loggedIn ? (
        <p>
          <Link to="/mon-espace" className="button">
            Aller à mon espace
          </Link>
        </p>
      ) : (
        <p>
          <Link to="/connexion" className="button">
            Se connecter
          </Link>{" "}
          ou <Link to="/inscription">créer un compte</Link>
        </p>
      )}

      <ul className="cards">
        <li className="card">
          <h2>Se former</h2>
          <p>
            Travailleurs sociaux de CCAS, d'espaces départementaux des solidarités, de centres d'hébergement, d'associations : nos
            formations vous aident à accompagner vos publics vers le numérique.
          </p>
          <p>
            Trois modules : sensibilisation à l'inclusion numérique, pratiques d'accompagnement, ateliers clé en main. Un certificat
            de réalisation est remis à la fin de chaque formation.
          </p>
        </li>
        <li className="card">
          <h2>Devenir Relais Numérique</h2>
          <p>
            Votre structure accompagne des personnes éloignées du numérique ? Devenez Relais Numérique : vos équipes sont formées et
            vous proposez, dans vos propres locaux, ateliers et recharges solidaires.
          </p>
        </li>
        <li className="card">
          <h2>Distribuer des recharges</h2>
          <p>
            Les Relais Numériques actifs remettent des recharges mobiles et internet à prix solidaire aux personnes qu'ils
            accompagnent, au plus près de chez elles, sans qu'elles aient à se déplacer jusqu'à un point d'accueil.
          </p>
        </li>
      </ul>

      <h2>Comment ça marche ?</h2>
      <ol>
        <li>Créez votre compte avec votre adresse e-mail professionnelle et confirmez-la.</li>
        <li>Si votre structure est partenaire, sa ou son référent·e vous y rattache en vous invitant.</li>
        <li>Retrouvez dans votre espace vos structures, puis vos formations et vos certificats.</li>
      </ol>
    </>
  );
}
