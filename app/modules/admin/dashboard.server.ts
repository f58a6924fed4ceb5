import type { MailStatus, RelayStatus } from "~/generated/sqlite/enums";
import { FLAG_WINDOW_DAYS, recentAttendanceFlags, type FlagView } from "~/modules/attendance/attendance.server";
import { outboxStats } from "~/modules/mail/worker.server";
import { db } from "~/utils/db.server";

/** The figures on the administration home page, and the attendance sheets to look at. No personal data. */
export type AdminDashboard = {
  users: number;
  structures: number;
  relaysByStatus: Record<RelayStatus, number>;
  upcomingSessions: number;
  outboxByStatus: Record<MailStatus, number>;
  /** Attendance sheets of recent sessions that funders would reject, each linking to its sheet. */
  attendanceFlags: FlagView[];
  attendanceFlagWindowDays: number;
};

export async function getAdminDashboard(now = new Date()): Promise<AdminDashboard> {
  const [users, structures, relayGroups, upcomingSessions, outboxByStatus, attendanceFlags] = await Promise.all([
    db.user.count(),
    db.structure.count(),
    db.relay.groupBy({ by: ["status"], _count: { _all: true } }),
    db.session.count({ where: { status: "SCHEDULED", slots: { some: { startsAt: { gt: now } } } } }),
    outboxStats(db),
    recentAttendanceFlags(now),
  ]);
  const relaysByStatus: Record<RelayStatus, number> = { PENDING_CERTIFICATION: 0, ACTIVE: 0, SUSPENDED: 0 };
  for (const g of relayGroups) relaysByStatus[g.status] = g._count._all;
  return { users, structures, relaysByStatus, upcomingSessions, outboxByStatus, attendanceFlags, attendanceFlagWindowDays: FLAG_WINDOW_DAYS };
}
