/**
 * `npm run bench`: runs every benchmark file in bench/ (not this one, not bench/support/),
 * one after the other, each in its own process with a time limit. Exits non-zero if one
 * fails. `npm run bench -- catalogue` runs only the files whose name contains "catalogue".
 */
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(BENCH_DIR, "..");
const PER_FILE_LIMIT_MS = 10 * 60_000;

const only = process.argv.slice(2);
const files = readdirSync(BENCH_DIR, { withFileTypes: true })
  .filter((entry) => entry.isFile() && entry.name.endsWith(".ts") && entry.name !== "run.ts" && !entry.name.endsWith(".d.ts"))
  .map((entry) => entry.name)
  .filter((name) => only.length === 0 || only.some((word) => name.includes(word)))
  .sort();

function runFile(file: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join("bench", file)], { cwd: REPO_ROOT, stdio: "inherit" });
    const timer = setTimeout(() => {
      console.error(`bench/${file} exceeded ${PER_FILE_LIMIT_MS / 60_000} minutes: stopping it.`);
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 5000).unref();
    }, PER_FILE_LIMIT_MS);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

if (files.length === 0) {
  console.error(only.length ? `No benchmark in bench/ matches ${only.join(", ")}.` : "No benchmark in bench/.");
  process.exit(1);
}

const failed: string[] = [];
for (const file of files) {
  console.log(`\n━━━ bench/${file} ━━━`);
  if ((await runFile(file)) !== 0) failed.push(file);
}
if (failed.length > 0) {
  console.error(`\nFailed: ${failed.map((f) => `bench/${f}`).join(", ")}`);
  process.exit(1);
}
