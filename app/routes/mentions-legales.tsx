import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { addressLines, formatSiret, ndaMention } from "~/modules/organisation/identity.rules";
import { currentIdentity } from "~/modules/organisation/identity.server";

export const meta: MetaFunction = () => [{ title: "Mentions légales et données personnelles — Maillon" }];

export async function loader() {
  const o = await currentIdentity();
  return { name: o.name, legalForm: o.legalForm, address: addressLines(o).join(", "), siret: formatSiret(o.siret), nda: ndaMention(o), email: o.email, phone: o.phone };
}

export default function LegalNotice() {
  const o = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Mentions légales</h1>

      <h2>Éditeur</h2>
      <p>
        {o.name}, {o.legalForm}, organisme de formation. Siège : {o.address}. SIRET {o.siret}. {o.nda} Courriel :{" "}
        <a href={`mailto:${o.email}`}>{o.email}</a>, téléphone : {o.phone} (voir aussi la <Link to="/contact">page Contact</Link>).
        Directrice ou directeur de la publication : la présidente ou le président de l'association.
      </p>

      <h2>Hébergement</h2>
      <p>
        Le nom, l'adresse et le téléphone de l'hébergeur sont ceux du prestataire choisi par l'association lors de la mise en service
        du portail ; ils sont communiqués sur simple demande à{" "}
        <a href={`mailto:${o.email}`}>{o.email}</a>.
      </p>

      <h2>Données personnelles</h2>
      <p>{o.name} est responsable des traitements de données faits par ce portail.</p>

      <h3>Quelles données et pourquoi</h3>
      <ul>
        <li>
          <strong>Votre compte</strong> (nom, adresse e-mail, fonction, mot de passe chiffré de façon irréversible) : vous identifier
          et vous écrire au sujet de vos formations.
        </li>
        <li>
          <strong>Vos formations</strong> (inscriptions, émargements, évaluations, certificats, paiements) : organiser les sessions
          et respecter nos obligations d'organisme de formation (preuves de réalisation, bilan pédagogique et financier).
        </li>
        <li>
          <strong>Votre structure</strong> (rattachement, rôle, candidature Relais Numérique) : permettre aux référent·es de gérer
          leur équipe et à l'association d'instruire les candidatures.
        </li>
        <li>
          <strong>Les personnes qui reçoivent une recharge</strong> : seulement une référence interne au relais et, si besoin, une
          tranche d'âge et une commune ; jamais de situation administrative ni de donnée de santé. Le journal des remises ne contient
          pas de données personnelles.
        </li>
        <li>
          <strong>La sécurité</strong> (journaux de connexion, tentatives échouées) : protéger les comptes.
        </li>
      </ul>
      <p>
        Ces données ne sont ni vendues ni utilisées à des fins publicitaires. Elles sont vues par l'équipe de l'association, par la
        formatrice ou le formateur de votre session et par les référent·es de votre structure. Le paiement par carte est traité par
        notre prestataire de paiement, qui ne nous transmet pas votre numéro de carte.
      </p>

      <h3>Combien de temps</h3>
      <ul>
        <li>Compte : jusqu'à sa suppression, ou trois ans après la dernière connexion.</li>
        <li>Documents de formation et factures : le temps exigé par les contrôles des organismes de formation et par la loi comptable.</li>
        <li>Personnes ayant reçu une recharge : effacées douze mois après la dernière remise.</li>
        <li>Journaux de sécurité : un an au plus.</li>
      </ul>

      <h3>Vos droits</h3>
      <p>
        Vous pouvez accéder à vos données, les faire corriger ou effacer, vous opposer à un traitement, en limiter l'usage ou les
        recevoir dans un format réutilisable. Écrivez à notre délégué·e à la protection des données :{" "}
        <a href="mailto:dpo@maillon.localhost">dpo@maillon.localhost</a>. Si vous estimez que vos droits ne sont pas respectés, vous
        pouvez adresser une réclamation à la CNIL (<a href="https://www.cnil.fr/fr/plaintes">www.cnil.fr</a>).
      </p>

      <h3>Cookies</h3>
      <p>
        Le portail n'utilise que des cookies nécessaires à son fonctionnement (votre session de connexion, les messages de
        confirmation). Aucun cookie de mesure d'audience ni de publicité : aucun consentement n'est donc demandé.
      </p>
    </>
  );
}
