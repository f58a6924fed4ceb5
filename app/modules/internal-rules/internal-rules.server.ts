/**
 * The règlement intérieur's versions (InternalRulesVersion rows, never updated): staff
 * publish a new one at /admin/reglement-interieur; the highest number is in force; each
 * convocation delivers the version in force and the enrolment keeps which
 * (enrolment.server.ts `enqueueConvocation`). Rules of the text: internal-rules.rules.ts.
 */
import { can, type Actor } from "~/modules/auth/permissions.rules";
import { db, type Db, type Tx } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { checkRulesBody, staleBaseError } from "./internal-rules.rules";

export type RulesVersion = { id: string; number: number; body: string; createdByName: string; createdAt: Date };
type Reader = Pick<Db | Tx, "internalRulesVersion">;

const columns = { id: true, number: true, body: true, createdByName: true, createdAt: true } as const;

/** The version in force, or null before the first is published. */
export function currentRules(client: Reader = db): Promise<RulesVersion | null> {
  return client.internalRulesVersion.findFirst({ orderBy: { number: "desc" }, select: columns });
}

export function getRulesVersion(number: number, client: Reader = db): Promise<RulesVersion | null> {
  return client.internalRulesVersion.findUnique({ where: { number }, select: columns });
}

/** Every version, newest first, with how many enrolments received it. */
export async function listRulesVersions() {
  const rows = await db.internalRulesVersion.findMany({
    orderBy: { number: "desc" },
    select: { number: true, createdByName: true, createdAt: true, _count: { select: { enrolments: true } } },
  });
  return rows.map((r) => ({ number: r.number, createdByName: r.createdByName, createdAt: r.createdAt, delivered: r._count.enrolments }));
}

/** Where a trainee reads a version (their space; the mail links to the exact one delivered). */
export const rulesUrl = (number: number) => `${getEnv().APP_URL}/mon-espace/reglement-interieur?version=${number}`;

export type PublishResult = { ok: true; number: number } | { ok: false; error: string };

const isUniqueViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === "P2002";

/**
 * Publishes the text as a new version, numbered one above the version in force, if the form
 * was written from that version. Two staff saving at once: one gets the number, the other's
 * insert meets the unique number and is refused as written from an older version.
 */
export async function publishRules(input: { staff: Actor & { name: string }; body: string; baseNumber: number; now?: Date }): Promise<PublishResult> {
  const { staff, baseNumber, now = new Date() } = input;
  if (!can(staff, "admin.access")) return { ok: false, error: "Seule l'équipe de l'association peut modifier le règlement intérieur." };
  try {
    return await db.$transaction(async (tx): Promise<PublishResult> => {
      const current = await currentRules(tx);
      const stale = staleBaseError(baseNumber, current);
      if (stale) return { ok: false, error: stale };
      const checked = checkRulesBody(input.body, current);
      if (!checked.ok) return checked;
      const number = (current?.number ?? 0) + 1;
      const version = await tx.internalRulesVersion.create({
        data: { number, body: checked.body, createdById: staff.id, createdByName: staff.name, createdAt: now },
        select: { id: true },
      });
      await tx.auditLog.create({
        data: { actorId: staff.id, action: "internal_rules.published", entityType: "InternalRulesVersion", entityId: version.id, data: { number, chars: checked.body.length }, createdAt: now },
      });
      return { ok: true, number };
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      const current = await currentRules();
      return { ok: false, error: staleBaseError(baseNumber, current) ?? "Une autre version vient d'être enregistrée : rechargez la page." };
    }
    throw error;
  }
}

/**
 * What a trainee sees in their space: the version in force, the one asked for (only the
 * version in force or one delivered to them), and what each of their enrolments received.
 */
export async function learnerRules(input: { userId: string; number?: number | null }) {
  const { userId } = input;
  const [current, deliveries] = await Promise.all([
    currentRules(),
    db.enrolment.findMany({
      where: { userId, rulesVersionId: { not: null } },
      orderBy: { rulesDeliveredAt: "desc" },
      select: {
        id: true,
        rulesDeliveredAt: true,
        rulesVersion: { select: { number: true, createdAt: true } },
        session: { select: { module: { select: { title: true } } } },
      },
    }),
  ]);
  const delivered = deliveries.flatMap((d) =>
    d.rulesVersion && d.rulesDeliveredAt
      ? [{ enrolmentId: d.id, moduleTitle: d.session.module.title, deliveredAt: d.rulesDeliveredAt, number: d.rulesVersion.number, versionDate: d.rulesVersion.createdAt }]
      : [],
  );
  const wanted = input.number ?? current?.number ?? null;
  const allowed = wanted !== null && (wanted === current?.number || delivered.some((d) => d.number === wanted));
  const shown = !allowed ? null : wanted === current?.number ? current : await getRulesVersion(wanted);
  return { current, shown, delivered, refused: input.number != null && !allowed };
}
