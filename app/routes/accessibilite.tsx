import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { currentIdentity } from "~/modules/organisation/identity.server";

export const meta: MetaFunction = () => [{ title: "Déclaration d'accessibilité — Maillon" }];

export async function loader() {
  const { name, email } = await currentIdentity();
  return { name, email };
}

export default function AccessibilityStatement() {
  const o = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Déclaration d'accessibilité</h1>
      <p>
        {o.name} s'engage à rendre son portail accessible, conformément à l'article 47 de la loi n° 2005-102 du 11
        février 2005. Cette déclaration d'accessibilité s'applique au portail Maillon (formations, certificats, Relais Numériques et
        recharges).
      </p>

      <h2>État de conformité</h2>
      <p>
        Le portail Maillon est <strong>non conforme</strong> avec le référentiel général d'amélioration de l'accessibilité (RGAA),
        version 4.1.2 : c'est la mention que le RGAA impose tant qu'aucun audit complet n'a été réalisé.
      </p>

      <h2>Résultats des tests</h2>
      <p>
        Aucun audit complet du RGAA n'a encore été réalisé par un organisme indépendant ; il est prévu. Les pages principales sont
        vérifiées à chaque évolution par des tests automatiques (outil axe, critères WCAG 2.1 niveau AA), une navigation au clavier
        seul et un usage sans JavaScript.
      </p>

      <h2>Contenus non accessibles</h2>
      <p>
        Les non-conformités seront recensées par l'audit et publiées ici avec leur plan de correction. Les points d'attention connus
        à ce jour :
      </p>
      <ul>
        <li>les documents PDF (certificats, convocations) n'ont pas encore été vérifiés ;</li>
        <li>
          la signature dessinée des feuilles d'émargement demande l'usage d'un pointeur : une signature sans tracé (par code) doit
          toujours être proposée à côté.
        </li>
      </ul>
      <p>Aucune dérogation pour charge disproportionnée n'est invoquée.</p>

      <h2>Établissement de cette déclaration</h2>
      <p>Cette déclaration a été établie à la mise en ligne du portail. Elle sera mise à jour après l'audit.</p>
      <ul>
        <li>Technologies utilisées : HTML, CSS, JavaScript (facultatif : le site fonctionne sans).</li>
        <li>Environnement de test : navigateur Chromium avec l'outil axe, navigation au clavier, JavaScript désactivé.</li>
      </ul>

      <h2>Retour d'information et contact</h2>
      <p>
        Si vous n'arrivez pas à accéder à un contenu ou à un service, écrivez-nous à{" "}
        <a href={`mailto:${o.email}`}>{o.email}</a> ou passez par la <Link to="/contact">page Contact</Link>{" "}
        : nous vous indiquerons une autre façon d'y accéder ou vous transmettrons le contenu sous une autre forme.
      </p>

      <h2>Voies de recours</h2>
      <p>
        Si vous nous avez signalé un défaut d'accessibilité qui vous empêche d'accéder à un contenu ou à un service du portail, et
        que vous n'avez pas obtenu de réponse satisfaisante, vous pouvez :
      </p>
      <ul>
        <li>
          écrire un message au Défenseur des droits depuis son{" "}
          <a href="https://formulaire.defenseurdesdroits.fr/">formulaire en ligne</a> ;
        </li>
        <li>
          contacter <a href="https://www.defenseurdesdroits.fr/saisir/delegues">le délégué du Défenseur des droits</a> de votre
          région ;
        </li>
        <li>
          envoyer un courrier, gratuit et sans timbre : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.
        </li>
      </ul>
    </>
  );
}
