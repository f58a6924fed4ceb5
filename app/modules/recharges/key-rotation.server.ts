import type { Db } from "~/utils/db.server";
import { codeCipher, type CodeCipher } from "./code-crypto.server";

/**
 * Moves the whole recharge code stock from one `CODES_ENCRYPTION_KEY` to another: each code
 * is decrypted with the old key, encrypted again and re-hashed with the new one (the
 * duplicate-detecting hash is keyed too).
 *
 * Safe to interrupt and run again: a first pass, which writes nothing, checks that every code
 * opens with the old key or already with the new one, and stops before any write otherwise
 * (a wrong old key changes nothing). Then batches are rewritten, each in one transaction,
 * each row only if it still holds the blob that was read; a code is at every moment readable
 * by exactly one of the two keys, and a second run skips the codes already moved.
 * The portal must be stopped meanwhile: it reads codes with one key only.
 */
export type RotationResult = { total: number; rotated: number; alreadyRotated: number };

export class KeyRotationError extends Error {}

const DEFAULT_BATCH_SIZE = 500;

type Row = { id: string; codeEncrypted: string };

const opens = (cipher: CodeCipher, blob: string): string | undefined => {
  try {
    return cipher.decrypt(blob);
  } catch {
    return undefined;
  }
};

async function* batches(db: Db, batchSize: number): AsyncGenerator<Row[]> {
  let cursor: string | undefined;
  while (true) {
    const rows = await db.rechargeCode.findMany({
      where: cursor ? { id: { gt: cursor } } : {},
      orderBy: { id: "asc" },
      take: batchSize,
      select: { id: true, codeEncrypted: true },
    });
    if (!rows.length) return;
    yield rows;
    cursor = rows.at(-1)!.id;
  }
}

export async function rotateCodesKey(input: {
  db: Db;
  oldSecret: string;
  newSecret: string;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}): Promise<RotationResult> {
  if (input.oldSecret === input.newSecret) throw new KeyRotationError("l'ancienne et la nouvelle clé sont identiques.");
  const oldCipher = codeCipher(input.oldSecret);
  const newCipher = codeCipher(input.newSecret);
  const batchSize = input.batchSize ?? DEFAULT_BATCH_SIZE;

  let total = 0;
  let unreadable = 0;
  for await (const rows of batches(input.db, batchSize)) {
    total += rows.length;
    for (const row of rows) if (opens(newCipher, row.codeEncrypted) === undefined && opens(oldCipher, row.codeEncrypted) === undefined) unreadable++;
  }
  if (unreadable)
    throw new KeyRotationError(`${unreadable} code(s) sur ${total} ne s'ouvrent ni avec l'ancienne clé ni avec la nouvelle : rien n'a été modifié (l'ancienne clé est-elle la bonne ?).`);

  const result: RotationResult = { total, rotated: 0, alreadyRotated: 0 };
  let done = 0;
  for await (const rows of batches(input.db, batchSize)) {
    const updates: { id: string; from: string; to: string; hash: string }[] = [];
    for (const row of rows) {
      if (opens(newCipher, row.codeEncrypted) !== undefined) {
        result.alreadyRotated++;
        continue;
      }
      const code = opens(oldCipher, row.codeEncrypted);
      if (code === undefined) throw new KeyRotationError(`le code ${row.id} a changé pendant la rotation et ne s'ouvre avec aucune des deux clés (le portail est-il arrêté ?).`);
      const to = newCipher.encrypt(code);
      if (newCipher.decrypt(to) !== code) throw new KeyRotationError("la vérification du rechiffrement a échoué.");
      updates.push({ id: row.id, from: row.codeEncrypted, to, hash: newCipher.hash(code) });
    }
    if (updates.length) {
      await input.db.$transaction(
        async (tx) => {
          for (const u of updates) {
            const { count } = await tx.rechargeCode.updateMany({ where: { id: u.id, codeEncrypted: u.from }, data: { codeEncrypted: u.to, codeHash: u.hash } });
            result.rotated += count;
          }
        },
        { timeout: 60_000, maxWait: 10_000 },
      );
    }
    done += rows.length;
    input.onProgress?.(done, total);
  }
  return result;
}
