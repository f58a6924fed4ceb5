/**
 * Staff reordering the waiting list: pure, tested without a database
 * (waitlist.rules.test.ts). The server applies the result under the session's lock.
 */
export type WaitlistMove = { kind: "up" } | { kind: "down" } | { kind: "position"; position: number };
export type QueuedEnrolment = { id: string; rank: number | null };

export type RankUpdate = { id: string; rank: number };
export type PositionChange = { id: string; from: number; to: number };
export type ReorderResult =
  | {
      ok: true;
      /** 1-based positions of the person moved. */
      from: number;
      to: number;
      /** The new order, head first. */
      order: string[];
      /** Rows whose stored rank changes: ranks become 1..n in the new order, distinct and gap-free. */
      rankUpdates: RankUpdate[];
      /** Everyone whose place in the queue changes (the person moved and those shifted), for the journal. */
      positionChanges: PositionChange[];
    }
  | { ok: false; field: "enrolmentId" | "move" | "position"; message: string };

/**
 * Moves one person in the queue (given head first). New people keep joining at the end:
 * they get the largest rank of the session plus one, which stays above 1..n.
 */
export function moveInWaitlist(queue: readonly QueuedEnrolment[], enrolmentId: string, move: WaitlistMove): ReorderResult {
  const index = queue.findIndex((e) => e.id === enrolmentId);
  if (index < 0) return { ok: false, field: "enrolmentId", message: "Cette personne n'est plus sur la liste d'attente : rechargez la page." };
  const size = queue.length;
  const from = index + 1;
  let to: number;
  if (move.kind === "up") {
    if (from === 1) return { ok: false, field: "move", message: "Cette personne est déjà en tête de la liste d'attente." };
    to = from - 1;
  } else if (move.kind === "down") {
    if (from === size) return { ok: false, field: "move", message: "Cette personne est déjà en dernière position." };
    to = from + 1;
  } else {
    if (!Number.isInteger(move.position) || move.position < 1 || move.position > size) {
      return { ok: false, field: "position", message: size === 1 ? "La liste d'attente ne compte qu'une personne." : `Indiquez un rang entre 1 et ${size}.` };
    }
    if (move.position === from) return { ok: false, field: "position", message: `Cette personne est déjà au rang ${from}.` };
    to = move.position;
  }
  const order = queue.map((e) => e.id);
  order.splice(index, 1);
  order.splice(to - 1, 0, enrolmentId);
  const before = new Map(queue.map((e, i) => [e.id, { position: i + 1, rank: e.rank }]));
  const rankUpdates: RankUpdate[] = [];
  const positionChanges: PositionChange[] = [];
  order.forEach((id, i) => {
    const old = before.get(id)!;
    if (old.rank !== i + 1) rankUpdates.push({ id, rank: i + 1 });
    if (old.position !== i + 1) positionChanges.push({ id, from: old.position, to: i + 1 });
  });
  return { ok: true, from, to, order, rankUpdates, positionChanges };
}
