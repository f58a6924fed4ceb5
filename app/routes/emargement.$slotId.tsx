import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormError } from "~/components/Field";
import { SignSheetForms } from "~/components/SignSheetForms";
import { markLabel, SIGNATURE_METHOD_LABELS } from "~/modules/attendance/attendance.labels";
import { SignSchema } from "~/modules/attendance/attendance.schema";
import { getLearnerSheet, signSheet } from "~/modules/attendance/attendance.server";
import { requireUser } from "~/modules/auth/session.server";
import { formatSlot, formatTime } from "~/utils/dates";
import { redirectWithFlash } from "~/utils/flash.server";
import { parseForm } from "~/utils/forms.server";

/**
 * The learner signs one half-day's sheet: by typing their name (drawing too, with
 * JavaScript), by the code shown in the room, or arriving from the room's QR code with its
 * token in the query string (`?jeton=`). Only their own line, only while the sheet is open.
 */
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data ? `Émargement — ${data.sheet.moduleTitle}` : "Émargement"} — Maillon` }];

const FIELD_OF_REFUSAL: Record<string, string> = { NAME_MISMATCH: "typedName", BAD_IMAGE: "signature", EXPIRED: "code", MALFORMED: "code" };

async function sheetFor(request: Request, slotId: string) {
  const user = await requireUser(request);
  const sheet = await getLearnerSheet({ userId: user.id, slotId });
  if (!sheet) throw new Response("Cette feuille d'émargement n'existe pas.", { status: 404 });
  if (sheet.refusal?.code === "NOT_ENROLLED") throw new Response(sheet.refusal.message, { status: 403 });
  return { user, sheet };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { sheet } = await sheetFor(request, params.slotId ?? "");
  const token = new URL(request.url).searchParams.get("jeton");
  return { sheet, token: token && token.length <= 60 ? token : null };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, sheet } = await sheetFor(request, params.slotId ?? "");
  const formData = await request.formData();
  const parsed = parseForm(SignSchema, formData);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const result = await signSheet({ signer: user, slotId: sheet.slotId, data: parsed.data });
  if (!result.ok) {
    const field = FIELD_OF_REFUSAL[result.code] ?? "form";
    return data({ errors: { [field]: result.message }, values: { typedName: parsed.data.typedName, code: parsed.data.code } }, { status: result.status });
  }
  return redirectWithFlash(`/emargement/${encodeURIComponent(sheet.slotId)}`, {
    kind: "success",
    message: `Votre présence est enregistrée à ${formatTime(result.signedAt)} pour le créneau du ${formatSlot(sheet)}.`,
  });
}

export default function SignSheet() {
  const { sheet, token } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>() ?? null;
  return (
    <>
      <p>
        <Link to="/emargement">← Mes feuilles d'émargement</Link>
      </p>
      <h1>
        Émargement
        <span className="subtitle">
          {sheet.moduleTitle} — {formatSlot(sheet)}
        </span>
      </h1>
      <dl className="facts">
        <div>
          <dt>Lieu</dt>
          <dd>{sheet.place}</dd>
        </div>
        <div>
          <dt>Formateur·rice</dt>
          <dd>{sheet.trainerName ?? "À désigner"}</dd>
        </div>
      </dl>
      {sheet.mark ? (
        <p className="flash flash-success">
          Ma présence : {markLabel(sheet.mark).toLowerCase()} — {SIGNATURE_METHOD_LABELS[sheet.mark.method]} à {formatTime(sheet.mark.signedAt)}.
        </p>
      ) : null}
      {sheet.refusal ? (
        // Once signed, the line above says so; "already signed" is for a second attempt.
        sheet.refusal.code === "ALREADY_SIGNED" && !failed ? null : <FormError message={failed?.errors.form ?? sheet.refusal.message} />
      ) : (
        <SignSheetForms slotId={sheet.slotId} idPrefix="signer" failed={failed} token={token} />
      )}
    </>
  );
}
