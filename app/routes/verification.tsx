import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { verifyEmail } from "~/modules/auth/account.server";
import { redirectWithFlash } from "~/utils/flash.server";

export const meta: MetaFunction = () => [{ title: "Lien de confirmation — Maillon" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  if (await verifyEmail(token)) {
    throw await redirectWithFlash("/connexion", { kind: "success", message: "Votre adresse e-mail est confirmée. Vous pouvez vous connecter." });
  }
  return data({ invalid: true }, { status: 400 });
}

export default function VerificationFailed() {
  return (
    <>
      <h1>Ce lien n'est plus valable</h1>
      <p>Il a peut-être déjà servi, ou il a expiré. Si votre adresse est déjà confirmée, connectez-vous simplement.</p>
      <p>
        Sinon, <Link to="/connexion">connectez-vous</Link> : un nouveau lien de confirmation vous sera envoyé.
      </p>
    </>
  );
}
