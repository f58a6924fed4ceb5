import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";

export const meta: MetaFunction = () => [{ title: "Vérifiez votre messagerie — Maillon" }];

export default function CheckYourMail() {
  return (
    <>
      <h1>Vérifiez votre messagerie</h1>
      <p>
        Nous venons d'envoyer un message à l'adresse indiquée. Ouvrez-le et suivez le lien pour confirmer votre adresse ; vous
        pourrez ensuite vous connecter.
      </p>
      <p className="muted">
        Rien reçu après quelques minutes ? Regardez dans les courriers indésirables. En vous <Link to="/connexion">connectant</Link>,
        vous recevrez un nouveau lien.
      </p>
    </>
  );
}
