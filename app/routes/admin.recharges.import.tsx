import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { requirePermission } from "~/modules/auth/require.server";
import { confirmImport, previewImport, type ImportPreview } from "~/modules/recharges/stock.server";
import { redirectWithFlash } from "~/utils/flash.server";

export const meta: MetaFunction = () => [{ title: "Importer des codes de recharge — Maillon" }];

const MAX_BYTES = 20 * 1024 * 1024;
const SHOWN_REJECTIONS = 200;

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.access");
  return null;
}

type ActionData = { error: string; preview?: undefined } | { error?: undefined; preview: Omit<ImportPreview, "rejected"> & { rejected: ImportPreview["rejected"]; rejectedTotal: number } };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "admin.access");
  if (Number(request.headers.get("Content-Length") ?? 0) > MAX_BYTES) return data<ActionData>({ error: "Le fichier dépasse 20 Mo : découpez-le." }, { status: 400 });
  const formData = await request.formData();
  if (formData.get("intent") === "confirm") {
    const result = await confirmImport(String(formData.get("token") ?? ""), user.id);
    if (!result.ok) return data<ActionData>({ error: result.error }, { status: 400 });
    return redirectWithFlash("/admin/recharges", { kind: "success", message: `${result.count} code(s) importé(s).` });
  }
  const file = formData.get("file");
  if (!(file instanceof File) || file.size === 0) return data<ActionData>({ error: "Choisissez un fichier CSV." }, { status: 400 });
  const preview = await previewImport(new Uint8Array(await file.arrayBuffer()), file.name.slice(0, 120));
  if (!preview.ok) return data<ActionData>({ error: preview.error }, { status: 400 });
  return data<ActionData>({ preview: { ...preview, rejected: preview.rejected.slice(0, SHOWN_REJECTIONS), rejectedTotal: preview.rejected.length } });
}

export default function ImportCodes() {
  const result = useActionData<typeof action>();
  const preview = result?.preview;
  return (
    <>
      <p>
        <Link to="/admin/recharges">← Produits et stock</Link>
      </p>
      <h1>Importer des codes de recharge</h1>
      <p>
        Fichier CSV encodé en UTF-8, séparé par des points-virgules ou des virgules, avec une première ligne <code>produit;code;expiration</code>. Le
        produit est le nom d'un produit existant ; l'expiration s'écrit AAAA-MM-JJ ou JJ/MM/AAAA. Rien n'est importé avant votre confirmation, et
        l'import se fait en entier ou pas du tout.
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
          <p>
            {preview.accepted} code(s) prêts à importer, {preview.rejectedTotal} ligne(s) refusée(s).
          </p>
          <ul>
            {preview.perProduct.map((p) => (
              <li key={p.productId}>
                {p.name} : {p.count}
              </li>
            ))}
          </ul>
          {preview.rejectedTotal ? (
            <table>
              <caption>Lignes refusées{preview.rejectedTotal > preview.rejected.length ? ` (les ${preview.rejected.length} premières)` : ""}</caption>
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
          ) : null}
          <Form method="post">
            <input type="hidden" name="token" value={preview.token} />
            <button type="submit" name="intent" value="confirm">
              Importer les {preview.accepted} code(s)
            </button>
          </Form>
        </section>
      ) : null}
    </>
  );
}
