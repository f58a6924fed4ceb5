/**
 * Production code (app/, server/, prisma/, scripts/, emails/) never imports test code
 * (tests/): a production start must not load factories or fixtures. Test files beside the
 * code (*.test.ts) may.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./support/app-server";

const ROOTS = ["app", "server", "prisma", "scripts", "emails"];
const SKIP = new Set(["generated", "node_modules", "migrations"]);
// A developer's tool, never run in production: it writes migrations against a throw-away PostgreSQL.
const DEVELOPMENT_TOOLS = new Set(["scripts/migrate-create.ts"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return SKIP.has(entry.name) ? [] : sourceFiles(full);
    return /\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

describe("production code", () => {
  it("imports nothing from tests/", () => {
    const offenders = ROOTS.flatMap((root) => sourceFiles(path.join(REPO_ROOT, root)))
      .filter((file) => {
        const imports = [...readFileSync(file, "utf8").matchAll(/(?:from\s+|import\s*\(\s*)["']([^"']+)["']/g)].map((m) => m[1]!);
        return imports.some((spec) => spec.startsWith(".") && path.resolve(path.dirname(file), spec).startsWith(path.join(REPO_ROOT, "tests") + path.sep));
      })
      .map((file) => path.relative(REPO_ROOT, file))
      .filter((file) => !DEVELOPMENT_TOOLS.has(file));
    expect(offenders).toEqual([]);
  });
});
