import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormError } from "~/components/Field";
import { formatCode, formatEuros, maskCode } from "~/modules/recharges/display";
import { isVoucherPrintable, MISTAKE_WINDOW_MS } from "~/modules/recharges/issuing.rules";
import { MistakeSchema } from "~/modules/recharges/issuing.schema";
import { lastValidDay } from "~/modules/recharges/stock.rules";
import { getIssue, revealCodeOnce } from "~/modules/recharges/issuing.server";
import { declareMistake } from "~/modules/recharges/quota.server";
import { requireActingRelay } from "~/modules/recharges/relay-space.server";
import { formatDate, formatTime } from "~/utils/dates";
import { redirectWithFlash } from "~/utils/flash.server";
import { parseForm, type FieldErrors } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Recharge délivrée — Maillon" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { userId, relay } = await requireActingRelay(request);
  const issueId = params.issueId ?? "";
  const issue = await getIssue(relay.relayId, issueId, userId);
  if (!issue) throw new Response("Cette recharge n'existe pas.", { status: 404 });
  const code = await revealCodeOnce({ relayId: relay.relayId, staffId: userId, issueId });
  const now = new Date();
  const revealedAt = code ? now : issue.codeRevealedAt;
  return {
    issue: { ...issue, codeRevealedAt: revealedAt },
    code: code ? formatCode(code) : null,
    mine: issue.staffId === userId,
    voucher: issue.staffId === userId && !issue.mistakeDeclaredAt && isVoucherPrintable(revealedAt, now),
    mistakeOpen: !issue.mistakeDeclaredAt && now.getTime() - issue.issuedAt.getTime() <= MISTAKE_WINDOW_MS,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { userId, relay } = await requireActingRelay(request);
  const formData = await request.formData();
  const parsed = parseForm(MistakeSchema, formData);
  if (!parsed.ok) return data<{ errors: FieldErrors; values: Record<string, string> }>({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const result = await declareMistake({ relayId: relay.relayId, issueId: params.issueId ?? "", actorId: userId, reason: parsed.data.reason });
  if (!result.ok) return data({ errors: { reason: result.message } as FieldErrors, values: { reason: parsed.data.reason } }, { status: 400 });
  return redirectWithFlash(`/espace-relais/recharges/${params.issueId}`, { kind: "success", message: "L'erreur est déclarée. L'équipe de l'association décidera de rendre ou non l'unité de quota." });
}

export default function IssuedRecharge() {
  const { issue, code, voucher, mistakeOpen } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const issuedAt = new Date(issue.issuedAt);
  return (
    <>
      <p>
        <Link to="/espace-relais/recharges">← Recharges du relais</Link>
      </p>
      <h1>
        Recharge {issue.productName} — {formatEuros(issue.valueCents)}
      </h1>
      <p>
        Délivrée le {formatDate(issuedAt)} à {formatTime(issuedAt)}
        {issue.reference ? ` pour la référence ${issue.reference}` : ""}.
      </p>
      <p data-testid="code-expiry">Code valable jusqu'au {formatDate(lastValidDay(new Date(issue.codeExpiresAt)))} inclus.</p>
      {code ? (
        <section aria-labelledby="code-title" className="callout">
          <h2 id="code-title">Code à remettre</h2>
          <p className="code" data-testid="recharge-code">
            <strong>{code}</strong>
          </p>
          <p>Ce code ne sera plus affiché : remettez-le maintenant ou imprimez le bon.</p>
        </section>
      ) : (
        <p>
          Code : <span data-testid="masked-code">{maskCode(issue.last4)}</span> (masqué : il a déjà été affiché).
        </p>
      )}
      {voucher ? (
        <p>
          <a href={`/espace-relais/recharges/${issue.id}/bon.pdf`}>Imprimer le bon de recharge (PDF)</a>
        </p>
      ) : null}
      {issue.mistakeDeclaredAt ? (
        <p>Erreur déclarée : {issue.mistakeReason}</p>
      ) : mistakeOpen ? (
        <section aria-labelledby="mistake-title">
          <h2 id="mistake-title">Déclarer une erreur</h2>
          <p>Pendant 15 minutes après la délivrance. Le code n'est pas remis en stock ; seule l'équipe de l'association peut rendre l'unité de quota.</p>
          <Form method="post" noValidate>
            <FormError message={failed?.errors.form} />
            <div className="field">
              <label htmlFor="field-reason">Raison de l'erreur</label>
              <textarea
                id="field-reason"
                name="reason"
                defaultValue={failed?.values.reason}
                maxLength={500}
                aria-invalid={failed?.errors.reason ? true : undefined}
                aria-describedby={failed?.errors.reason ? "field-reason-error" : undefined}
              />
              {failed?.errors.reason ? (
                <p className="error" id="field-reason-error">
                  {failed.errors.reason}
                </p>
              ) : null}
            </div>
            <button type="submit">Déclarer l'erreur</button>
          </Form>
        </section>
      ) : null}
    </>
  );
}
