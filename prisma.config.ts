import path from "node:path";
import { defineConfig } from "prisma/config";

// Prisma's CLI downloads its native schema engine unless this points at a file; we
// never use that engine (migrations run through the Wasm engine, see
// docs/decisions/003-migrations-wasm.md), so any existing file will do.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.resolve("package.json");

export default defineConfig({
  schema: process.env.PRISMA_SCHEMA ?? "prisma/schema.prisma",
});
