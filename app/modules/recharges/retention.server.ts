import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { monthsBefore } from "./retention.rules";

/**
 * Beneficiary records are kept only while they serve: BENEFICIARY_RETENTION_MONTHS (12 by
 * default) after the last recharge. The issue journal stays, its link to the record cut
 * (onDelete: SetNull), so the counts remain and the person is gone.
 */
export async function purgeBeneficiaries(now = new Date(), months = getEnv().BENEFICIARY_RETENTION_MONTHS): Promise<number> {
  const cutoff = monthsBefore(now, months);
  const purged = await db.$transaction(async (tx) => {
    const { count } = await tx.beneficiary.deleteMany({
      where: { OR: [{ lastIssuedAt: { lt: cutoff } }, { lastIssuedAt: null, createdAt: { lt: cutoff } }] },
    });
    if (count > 0) await tx.auditLog.create({ data: { action: "recharge.beneficiaries_purged", entityType: "Beneficiary", entityId: "*", data: { count, cutoff: cutoff.toISOString() } } });
    return count;
  });
  return purged;
}

