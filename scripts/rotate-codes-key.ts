/**
 * `npm run codes:rotate-key`: re-encrypts the recharge code stock of `DATABASE_URL` from the
 * old key to the new one (app/modules/recharges/key-rotation.server.ts). Stop the portal first.
 *
 *   OLD_CODES_ENCRYPTION_KEY=<old> CODES_ENCRYPTION_KEY=<new> npm run codes:rotate-key
 *   CODES_ENCRYPTION_KEY=<new> npm run codes:rotate-key -- --from-development-key
 *
 * Keys come from the environment, never from the command line (it shows in `ps` and shell history).
 */
import { KeyRotationError, rotateCodesKey } from "../app/modules/recharges/key-rotation.server";
import { DEVELOPMENT_SECRET } from "../app/modules/recharges/code-crypto.server";
import { configureSqlite, createDb } from "../app/utils/db.server";
import { providerOf } from "../app/utils/db-adapter.server";
import { ConfigError, getEnv } from "../app/utils/env.server";
import { MIN_CODES_KEY_LENGTH } from "../app/utils/production.rules";

async function main(): Promise<number> {
  const env = getEnv();
  const fromDevelopment = process.argv.includes("--from-development-key");
  const oldSecret = fromDevelopment ? DEVELOPMENT_SECRET : process.env.OLD_CODES_ENCRYPTION_KEY;
  const newSecret = env.CODES_ENCRYPTION_KEY;
  if (!oldSecret) {
    console.error("OLD_CODES_ENCRYPTION_KEY manquante : donnez l'ancienne clé dans cette variable, ou --from-development-key si les codes ont été chiffrés avec la clé de développement.");
    return 2;
  }
  if (!newSecret || newSecret === DEVELOPMENT_SECRET || newSecret.length < MIN_CODES_KEY_LENGTH) {
    console.error(`CODES_ENCRYPTION_KEY : donnez la nouvelle clé (${MIN_CODES_KEY_LENGTH} caractères au moins, pas la clé de développement ; \`npm run keys:generate\` en crée une).`);
    return 2;
  }
  const db = createDb(env.DATABASE_URL);
  if (providerOf(env.DATABASE_URL) === "sqlite") await configureSqlite(db);
  try {
    const started = performance.now();
    const result = await rotateCodesKey({
      db,
      oldSecret,
      newSecret,
      onProgress: (done, total) => process.stdout.write(`\r${done} / ${total} codes`),
    });
    if (result.total) process.stdout.write("\n");
    console.log(
      `Codes rechiffrés avec la nouvelle clé : ${result.rotated} (déjà à la nouvelle clé : ${result.alreadyRotated}, total : ${result.total}) en ${((performance.now() - started) / 1000).toFixed(1)} s.`,
    );
    console.log("Démarrez le portail avec la nouvelle CODES_ENCRYPTION_KEY ; gardez l'ancienne jusqu'à la prochaine sauvegarde (les sauvegardes antérieures en ont besoin).");
    return 0;
  } catch (error) {
    if (error instanceof KeyRotationError) {
      console.error(`Rotation arrêtée : ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await db.$disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  },
);
