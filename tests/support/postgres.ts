/**
 * A throw-away PostgreSQL server for tests and for `db:migrate`, from Debian's packages:
 * a fresh cluster in a temporary folder, listening on 127.0.0.1 only, on a free port.
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` system user.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./free-port";

export type PgServer = { url: (database: string) => string; createDatabase: (name: string) => void; stop: () => void };

export function findPostgresBin(): string | null {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => existsSync(path.join(root, v, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(root, versions[0]!, "bin") : null;
}


export async function startPostgres(): Promise<PgServer> {
  const bin = findPostgresBin();
  if (!bin) throw new Error("PostgreSQL is not installed: apt-get install -y postgresql");
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) => {
    const full = path.join(bin, cmd);
    const [exe, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", full, ...args]] : [full, args];
    const r = spawnSync(exe, argv, { encoding: "utf8", env: { ...process.env, PGPASSWORD: "maillon" } });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout}`);
    return r.stdout;
  };
  const dir = mkdtempSync(path.join(os.tmpdir(), "maillon-pg-"));
  if (asRoot) chownSync(dir, Number(execFileSync("id", ["-u", "postgres"]).toString().trim()), Number(execFileSync("id", ["-g", "postgres"]).toString().trim()));
  const data = path.join(dir, "data");
  const pwfile = path.join(dir, "pw");
  writeFileSync(pwfile, "maillon\n", { mode: 0o644 });
  run("initdb", ["-D", data, "-U", "maillon", "--pwfile", pwfile, "-A", "scram-sha-256", "-E", "UTF8", "--locale", "C.UTF-8"]);
  const port = await freePort();
  run("pg_ctl", ["-D", data, "-l", path.join(dir, "log"), "-w", "-o", `-h 127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300`, "start"]);
  const url = (database: string) => `postgresql://maillon:maillon@127.0.0.1:${port}/${database}`;
  return {
    url,
    createDatabase(name) {
      run("psql", ["-h", "127.0.0.1", "-p", String(port), "-U", "maillon", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c", `CREATE DATABASE "${name}"`]);
    },
    stop() {
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
