import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useMatches,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { navigationFor } from "~/components/navigation";
import { useNonce } from "~/components/nonce";
import { getOptionalUser } from "~/modules/auth/session.server";
import { readFlash } from "~/utils/flash.server";
import { currentIdentity } from "~/modules/organisation/identity.server";
import stylesHref from "~/styles/app.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesHref },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = ({ error }) => [
  {
    title: !error
      ? "Maillon — formation et Relais Numériques"
      : isRouteErrorResponse(error) && error.status === 404
        ? "Page introuvable — Maillon"
        : "Erreur — Maillon",
  },
  { name: "description", content: "Formations à l'inclusion numérique pour les professionnels de l'action sociale, et réseau des Relais Numériques." },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  const { flash, headers } = await readFlash(request);
  return Response.json(
    {
      user: user && { name: user.name, roles: user.roles, isReferent: user.isReferent, inRelay: user.memberships.some((m) => m.relayStatus !== null) },
      flash,
      organisationName: (await currentIdentity()).name,
    },
    { headers },
  );
}

type RootData = {
  user: { name: string; roles: string[]; isReferent: boolean; inRelay: boolean } | null;
  flash: { kind: string; message: string } | null;
  organisationName: string;
};

/**
 * A route may say `export const handle = { hydrate: false }`: its page is then served as
 * plain HTML and CSS, without the Remix runtime, its module preloads or the scroll script
 * (the public verification page: light, and nothing there needs JavaScript).
 */
export type RouteHandle = { hydrate?: boolean };

function useHydrate(): boolean {
  return !useMatches().some((m) => (m.handle as RouteHandle | undefined)?.hydrate === false);
}

function Shell({ children, user, organisationName }: { children: ReactNode; user: RootData["user"]; organisationName?: string }) {
  const nonce = useNonce();
  const hydrate = useHydrate();
  return (
    <html lang="fr">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#contenu">
          Aller au contenu
        </a>
        <header className="site-header">
          <div className="wrap header-row">
            <Link to="/" className="brand">
              Maillon
            </Link>
            <nav aria-label="Navigation principale">
              <ul className="nav-list">
                {navigationFor(user).map((l) => (
                  <li key={l.to}>
                    <NavLink to={l.to} end={l.to === "/"}>
                      {l.label}
                    </NavLink>
                  </li>
                ))}
                {user ? (
                  <li>
                    <Form method="post" action="/deconnexion">
                      <button type="submit" className="link-button">
                        Se déconnecter
                      </button>
                    </Form>
                  </li>
                ) : (
                  <>
                    <li>
                      <NavLink to="/connexion">Se connecter</NavLink>
                    </li>
                    <li>
                      <NavLink to="/inscription">Créer un compte</NavLink>
                    </li>
                  </>
                )}
              </ul>
            </nav>
          </div>
        </header>
        <main id="contenu" tabIndex={-1} className="wrap">
          {children}
        </main>
        <footer className="site-footer">
          <div className="wrap">
            <ul className="footer-list">
              {organisationName ? <li>{organisationName}</li> : null}
              <li>
                <Link to="/accessibilite">Accessibilité : non conforme</Link>
              </li>
              <li>
                <Link to="/mentions-legales">Mentions légales</Link>
              </li>
              <li>
                <Link to="/contact">Contact</Link>
              </li>
            </ul>
          </div>
        </footer>
        {hydrate ? (
          <>
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        ) : null}
      </body>
    </html>
  );
}

export default function App() {
  const { user, flash, organisationName } = useLoaderData() as RootData;
  return (
    <Shell user={user} organisationName={organisationName}>
      {flash ? (
        <p className={`flash flash-${flash.kind}`} role="status">
          {flash.message}
        </p>
      ) : null}
      <Outlet />
    </Shell>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const data = useRouteLoaderData("root") as RootData | undefined;
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return (
    <Shell user={data?.user ?? null} organisationName={data?.organisationName}>
      {notFound ? (
        <>
          <h1>Page introuvable</h1>
          <p>L'adresse demandée n'existe pas ou n'existe plus. Vérifiez-la, ou repartez de l'accueil.</p>
        </>
      ) : status < 500 ? (
        <>
          <h1>Demande refusée</h1>
          <p>{isRouteErrorResponse(error) && typeof error.data === "string" && error.data ? error.data : "Cette action n'est pas possible."}</p>
        </>
      ) : (
        <>
          <h1>Une erreur est survenue</h1>
          <p>Le problème vient de chez nous, pas de vous. Réessayez dans un instant ; s'il persiste, écrivez-nous depuis la page Contact.</p>
        </>
      )}
      <p>
        <Link to="/">Retour à l'accueil</Link>
      </p>
    </Shell>
  );
}
