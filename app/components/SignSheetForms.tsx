import { Form } from "@remix-run/react";
import { useState } from "react";
import { Field, FormError } from "./Field";
import { SignaturePad } from "./SignaturePad";

export type SignFailure = { errors: Record<string, string>; values: Record<string, string> } | null;

/**
 * The learner's ways to sign one sheet, each a plain form posting to /emargement/:slotId:
 * their name typed (a drawing added when JavaScript runs), or the code shown in the room.
 * With a QR token in hand, one button signs. `idPrefix` keeps ids unique when a page lists
 * several sheets.
 */
export function SignSheetForms({ slotId, idPrefix, failed, token }: { slotId: string; idPrefix: string; failed: SignFailure; token?: string | null }) {
  const [drawn, setDrawn] = useState(false);
  const action = `/emargement/${encodeURIComponent(slotId)}`;
  const id = (name: string) => `${idPrefix}-${name}`;
  return (
    <>
      <FormError message={failed?.errors.form} />
      {token ? (
        <Form method="post" action={action} className="stack">
          <input type="hidden" name="method" value="QR" />
          <input type="hidden" name="token" value={token} />
          <p>Vous avez scanné le QR code de la salle : confirmez votre présence.</p>
          {failed?.errors.code ? <p className="error">{failed.errors.code}</p> : null}
          <button type="submit">Je signe ma présence</button>
        </Form>
      ) : null}
      <Form method="post" action={action} className="stack" aria-labelledby={id("titre-nom")}>
        <h3 id={id("titre-nom")}>Signer avec mon nom</h3>
        <input type="hidden" name="method" value={drawn ? "DRAWN" : "TYPED"} />
        <Field
          id={id("typedName")}
          name="typedName"
          label="Mon nom et prénom"
          hint="Tels qu'ils figurent sur votre compte : vous confirmez ainsi être présent·e."
          autoComplete="name"
          required
          defaultValue={failed?.values.typedName}
          error={failed?.errors.typedName}
        />
        <SignaturePad name="signature" id={id("signature")} label="Ma signature" onDrawn={setDrawn} />
        {failed?.errors.signature ? <p className="error">{failed.errors.signature}</p> : null}
        <button type="submit">Signer la feuille</button>
      </Form>
      <Form method="post" action={action} className="stack" aria-labelledby={id("titre-code")}>
        <h3 id={id("titre-code")}>Signer avec le code de la salle</h3>
        <input type="hidden" name="method" value="CODE" />
        <Field
          id={id("code")}
          name="code"
          label="Code affiché dans la salle"
          hint="6 chiffres ; il change toutes les 30 secondes."
          autoComplete="one-time-code"
          defaultValue={token ? undefined : failed?.values.code}
          error={token ? undefined : failed?.errors.code}
          maxLength={12}
        />
        <button type="submit">Signer avec ce code</button>
      </Form>
    </>
  );
}
