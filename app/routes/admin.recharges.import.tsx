import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { requirePermission } from "~/modules/auth/require.server";
import { CODE_IMPORT_MAX_FILE_BYTES, CODE_IMPORT_MAX_FILE_LABEL, SHOWN_REFUSALS, expiryWarning, type ProductImportSummary } from "~/modules/recharges/code-import.rules";
import { confirmImport, previewImport } from "~/modules/recharges/stock.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { ENCODING_LABELS, type TextEncodingName } from "~/utils/text-encoding";

export const meta: MetaFunction = () => [{ title: "Importer des codes de recharge — Maillon" }];

// The preview carries the token that confirms the import.
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.access");
  return null;
}

type PreviewData = {
  token: string;
  filename: string;
  encoding: TextEncodingName;
  accepted: number;
  perProduct: ProductImportSummary[];
  rejected: { line: number; reason: string }[];
  rejectedTotal: number;
};
type ActionData = { error: string; preview?: PreviewData } | { error?: undefined; preview: PreviewData };

const fail = (error: string, preview?: PreviewData) => data<ActionData>({ error, preview }, { status: 400 });
const count = (n: number) => n.toLocaleString("fr-FR");

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "admin.access");
  // The body's size is checked before this runs (server/body-limit.ts).
  let formData: FormData;
  try {
    formData = await request.formData();
  } catch {
    return fail("Le formulaire envoyé est illisible : déposez le fichier à nouveau depuis cette page.");
  }
  if (formData.get("intent") === "confirm") {
    const result = await confirmImport(String(formData.get("token") ?? ""), user.id);
    if (!result.ok) return fail(result.error);
    return redirectWithFlash("/admin/recharges", { kind: "success", message: `${count(result.count)} code(s) importé(s).` });
  }
  const file = formData.get("file");
  if (!(file instanceof File) || file.size === 0) return fail("Choisissez un fichier CSV.");
  if (file.size > CODE_IMPORT_MAX_FILE_BYTES) return fail(`Le fichier dépasse ${CODE_IMPORT_MAX_FILE_LABEL} : découpez-le en plusieurs fichiers.`);
  // Some browsers send the whole path; control characters have no place in a name shown back.
  const filename = (file.name.split(/[\\/]/).pop() ?? "").replace(/\p{Cc}/gu, "").slice(0, 120) || "fichier.csv";
  const result = await previewImport(new Uint8Array(await file.arrayBuffer()), filename, user.id);
  if (!result.ok) return fail(result.error);
  const preview: PreviewData = {
    token: result.token,
    filename: result.filename,
    encoding: result.encoding,
    accepted: result.accepted,
    perProduct: result.perProduct,
    rejected: result.rejected.slice(0, SHOWN_REFUSALS).map(({ line, reason }) => ({ line, reason })),
    rejectedTotal: result.rejected.length,
  };
  if (!result.accepted) {
    const all = result.rejected.length > 1 ? `ses ${count(result.rejected.length)} lignes sont toutes refusées` : "sa seule ligne est refusée";
    return fail(`Aucun code de ce fichier ne peut être importé : ${all}. Les raisons sont ci-dessous ; rien n'a été importé.`, preview);
  }
  return data<ActionData>({ preview });
}

export default function ImportCodes() {
  const result = useActionData<typeof action>();
  const preview = result?.preview;
  const warnings = preview?.perProduct.filter((p) => expiryWarning(p)) ?? [];
  return (
    <>
      <p>
        <Link to="/admin/recharges">← Produits et stock</Link>
      </p>
      <h1>Importer des codes de recharge</h1>
      <p>
        Fichier CSV de {CODE_IMPORT_MAX_FILE_LABEL} au plus (environ 250 000 codes), séparé par des points-virgules ou des virgules, avec une première
        ligne <code>produit;code;expiration</code>. L'encodage est reconnu : UTF-8, ou celui qu'Excel choisit par défaut (Windows-1252). Le produit est
        le nom d'un produit existant ; l'expiration s'écrit AAAA-MM-JJ ou JJ/MM/AAAA. Rien n'est importé avant votre confirmation, et l'import se fait
        en entier ou pas du tout.
      </p>
      {result?.error ? (
        <p className="form-error" role="alert" id="file-error">
          {result.error}
        </p>
      ) : null}
      <Form method="post" encType="multipart/form-data" noValidate>
        <div className="field">
          <label htmlFor="field-file">Fichier CSV</label>
          <input id="field-file" name="file" type="file" accept=".csv,text/csv" aria-describedby={result?.error ? "file-error" : undefined} />
        </div>
        <button type="submit" name="intent" value="preview">
          Prévisualiser
        </button>
      </Form>
      {preview ? (
        <section aria-labelledby="preview-title">
          <h2 id="preview-title">Prévisualisation de {preview.filename}</h2>
          <p>Encodage lu : {ENCODING_LABELS[preview.encoding]}.</p>
          <p>
            {count(preview.accepted)} code(s) prêts à importer, {count(preview.rejectedTotal)} ligne(s) refusée(s).
          </p>
          {preview.perProduct.length ? (
            <ul>
              {preview.perProduct.map((p) => (
                <li key={p.productId}>
                  {p.name} : {count(p.count)}
                  {expiryWarning(p) ? <strong> — Attention : {expiryWarning(p)}</strong> : null}
                </li>
              ))}
            </ul>
          ) : null}
          {warnings.length ? (
            <p role="status">
              Vérifiez les dates avant de confirmer : un code qui expire dans moins de la validité minimale de son produit n'est jamais délivré.
            </p>
          ) : null}
          {preview.rejectedTotal ? (
            <>
              <p>
                <a href={`/admin/recharges/import/lignes-refusees/${preview.token}`} download>
                  Télécharger la liste complète des {count(preview.rejectedTotal)} ligne(s) refusée(s) (CSV)
                </a>
              </p>
              <table>
                <caption>Lignes refusées{preview.rejectedTotal > preview.rejected.length ? ` (les ${count(preview.rejected.length)} premières)` : ""}</caption>
                <thead>
                  <tr>
                    <th scope="col">Ligne</th>
                    <th scope="col">Raison</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.rejected.map((r) => (
                    <tr key={r.line}>
                      <td>{r.line}</td>
                      <td>{r.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : null}
          {preview.accepted ? (
            <Form method="post">
              <input type="hidden" name="token" value={preview.token} />
              <button type="submit" name="intent" value="confirm">
                Importer les {count(preview.accepted)} code(s)
              </button>
            </Form>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
