import { data, redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { normaliseVerificationCode, parseCertificateNumber } from "~/modules/certificates/certificate.rules";
import { findCodeByNumber, verificationPath } from "~/modules/certificates/issue.server";
import type { RouteHandle } from "~/root";

/** Served without JavaScript (root.tsx): the page must stay light and work on any phone that scans the QR code. */
export const handle: RouteHandle = { hydrate: false };

export const meta: MetaFunction = () => [
  { title: "Vérifier un certificat — Maillon" },
  { name: "description", content: "Vérifiez l'authenticité d'un certificat de réalisation ou d'une attestation de fin de formation Maillon." },
];

type Errors = { code?: string; nom?: string };

/**
 * GET /certificats/verifier?code=…[&nom=…]: a plain GET form. A verification code leads to
 * its page; a certificate number needs the holder's name too (numbers can be guessed).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const code = (params.get("code") ?? "").trim().slice(0, 100);
  const nom = (params.get("nom") ?? "").trim().slice(0, 200);
  const values = { code, nom };
  if (!params.has("code")) return data({ values, errors: {} as Errors });
  if (!code) return data({ values, errors: { code: "Saisissez le code de vérification ou le numéro du certificat." } as Errors }, { status: 400 });
  const canonical = normaliseVerificationCode(code);
  if (canonical) throw redirect(verificationPath(canonical));
  if (!parseCertificateNumber(code)) {
    return data(
      { values, errors: { code: "Ce n'est ni un code de vérification (16 caractères, par exemple 7KQH-2M9X-PD4R-W0ZB) ni un numéro de certificat (par exemple MAI-2026-000123)." } as Errors },
      { status: 400 },
    );
  }
  if (!nom) return data({ values, errors: { nom: "Pour une recherche par numéro, indiquez aussi le nom du titulaire." } as Errors }, { status: 400 });
  const found = await findCodeByNumber({ number: code, name: nom });
  if (found) throw redirect(verificationPath(found));
  return data({ values, errors: { code: "Aucun certificat ne porte ce numéro avec ce nom. Vérifiez les deux, ou utilisez le code imprimé à côté du QR code." } as Errors }, { status: 404 });
}

export default function VerifyCertificateForm() {
  const { values, errors } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Vérifier un certificat</h1>
      <p>
        Chaque certificat de réalisation et chaque attestation de fin de formation délivrés par Maillon porte un code de vérification, imprimé à côté du QR code. Saisissez-le pour
        voir le certificat tel qu'il a été délivré et savoir s'il est toujours valide.
      </p>
      <Form method="get" className="stack" noValidate>
        <div className="field">
          <label htmlFor="code">Code de vérification ou numéro du certificat</label>
          <p className="hint" id="code-hint">
            Par exemple 7KQH-2M9X-PD4R-W0ZB, ou MAI-2026-000123.
          </p>
          <input
            id="code"
            name="code"
            defaultValue={values.code}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={errors.code ? true : undefined}
            aria-describedby={errors.code ? "code-hint code-error" : "code-hint"}
          />
          {errors.code ? (
            <p className="error" id="code-error">
              {errors.code}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="nom">Nom du titulaire (recherche par numéro seulement)</label>
          <input
            id="nom"
            name="nom"
            defaultValue={values.nom}
            autoComplete="off"
            aria-invalid={errors.nom ? true : undefined}
            aria-describedby={errors.nom ? "nom-error" : undefined}
          />
          {errors.nom ? (
            <p className="error" id="nom-error">
              {errors.nom}
            </p>
          ) : null}
        </div>
        <div>
          <button type="submit">Vérifier</button>
        </div>
      </Form>
    </>
  );
}
