import { db } from "~/utils/db.server";

/** Staff views of the recharge area: relays, quotas and the monthly report. */

export async function listRelaysForQuota() {
  const relays = await db.relay.findMany({
    orderBy: { structure: { name: "asc" } },
    select: { id: true, status: true, beneficiaryMonthlyCeilingCents: true, structure: { select: { name: true } } },
  });
  return relays.map((r) => ({ id: r.id, name: r.structure.name, status: r.status, ceilingCents: r.beneficiaryMonthlyCeilingCents }));
}

export async function setBeneficiaryCeiling(relayId: string, ceilingCents: number, actorId: string) {
  await db.$transaction(async (tx) => {
    await tx.relay.update({ where: { id: relayId }, data: { beneficiaryMonthlyCeilingCents: ceilingCents } });
    await tx.auditLog.create({ data: { actorId, action: "recharge.ceiling_set", entityType: "Relay", entityId: relayId, data: { ceilingCents } } });
  });
}

/** The least validity a code must leave to be issued for this product; false if there is no such product. */
export async function setProductMinValidity(productId: string, minValidityDays: number, actorId: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const updated = await tx.rechargeProduct.updateMany({ where: { id: productId }, data: { minValidityDays } });
    if (updated.count !== 1) return false;
    await tx.auditLog.create({ data: { actorId, action: "recharge.product_min_validity_set", entityType: "RechargeProduct", entityId: productId, data: { minValidityDays } } });
    return true;
  });
}

export type ReportRow = { relayId: string; relayName: string; productId: string; productName: string; allocated: number; issued: number; mistakes: number; remaining: number };

/** For one month: per relay and product, what was given (allocations, carry-overs, moves), issued and left. */
export async function monthReport(period: string): Promise<ReportRow[]> {
  const [relays, products, balances, credits, issues] = await Promise.all([
    db.relay.findMany({ select: { id: true, structure: { select: { name: true } } } }),
    db.rechargeProduct.findMany({ select: { id: true, name: true } }),
    db.quotaBalance.findMany({ where: { period } }),
    db.quotaLedgerEntry.groupBy({ by: ["relayId", "productId"], where: { period, kind: { in: ["ALLOCATION", "CARRY_OVER", "MOVE_IN", "MOVE_OUT"] } }, _sum: { delta: true } }),
    db.rechargeIssue.findMany({ where: { period }, select: { relayId: true, productId: true, mistakeDeclaredAt: true } }),
  ]);
  const rows: ReportRow[] = [];
  for (const relay of relays) {
    for (const product of products) {
      const mine = issues.filter((i) => i.relayId === relay.id && i.productId === product.id);
      const balance = balances.find((b) => b.relayId === relay.id && b.productId === product.id);
      if (!balance && !mine.length) continue;
      rows.push({
        relayId: relay.id,
        relayName: relay.structure.name,
        productId: product.id,
        productName: product.name,
        allocated: credits.find((c) => c.relayId === relay.id && c.productId === product.id)?._sum.delta ?? 0,
        issued: mine.length,
        mistakes: mine.filter((i) => i.mistakeDeclaredAt).length,
        remaining: balance?.balance ?? 0,
      });
    }
  }
  return rows.sort((a, b) => a.relayName.localeCompare(b.relayName, "fr") || a.productName.localeCompare(b.productName, "fr"));
}

const csvCell = (value: string | number) => {
  const text = String(value);
  // A leading = + - @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[";\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function reportCsv(period: string, rows: readonly ReportRow[]): string {
  const lines = [["mois", "relais", "recharge", "attribuées", "délivrées", "dont erreurs déclarées", "restantes"].join(";")];
  for (const r of rows) lines.push([period, r.relayName, r.productName, r.allocated, r.issued, r.mistakes, r.remaining].map(csvCell).join(";"));
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

export type DeclaredMistake = { id: string; relayName: string; productName: string; issuedAt: Date; reason: string; restored: boolean };

/** Issues declared as mistakes in a month, and whether staff already gave their quota unit back. */
export async function declaredMistakes(period: string): Promise<DeclaredMistake[]> {
  const issues = await db.rechargeIssue.findMany({
    where: { period, mistakeDeclaredAt: { not: null } },
    orderBy: { issuedAt: "desc" },
    select: { id: true, issuedAt: true, mistakeReason: true, product: { select: { name: true } }, relay: { select: { structure: { select: { name: true } } } } },
  });
  const restored = new Set(
    (await db.quotaLedgerEntry.findMany({ where: { kind: "RESTORE", issueId: { in: issues.map((i) => i.id) } }, select: { issueId: true } })).map((e) => e.issueId),
  );
  return issues.map((i) => ({ id: i.id, relayName: i.relay.structure.name, productName: i.product.name, issuedAt: i.issuedAt, reason: i.mistakeReason ?? "", restored: restored.has(i.id) }));
}
