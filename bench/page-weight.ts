/**
 * Page weight: what a browser fetches on a first visit to key pages (HTML, the stylesheets
 * and every script the page loads or preloads), each file gzip-compressed as the server
 * sends it. Targets: the home page's JavaScript ≤ 90 kB and its whole first load ≤ 250 KiB;
 * the public certificate verification page ≤ 30 KiB with no JavaScript at all. Scripts written
 * inline in the page count in its HTML.
 * Exits non-zero when a target is missed. Needs `npm run build`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { startAppServer, type AppServer } from "../tests/support/app-server";
import { machine } from "./support/load";

type Weight = { html: number; css: number; js: number; scripts: number };

const dir = mkdtempSync(path.join(os.tmpdir(), "maillon-bench-weight-"));
let app: AppServer | undefined;
const cleanUp = async () => {
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
};
process.once("SIGINT", () => void cleanUp().then(() => process.exit(130)));

const gz = (body: Buffer) => gzipSync(body).length;
const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

async function fetchBytes(url: string): Promise<Buffer> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

async function weigh(base: string, pathname: string): Promise<Weight> {
  const html = await fetchBytes(base + pathname);
  const text = html.toString("utf8");
  const tags = text.match(/<(script|link)\b[^>]*>/g) ?? [];
  const css = new Set<string>();
  const js = new Set<string>();
  for (const tag of tags) {
    const rel = attr(tag, "rel");
    if (tag.startsWith("<script") && attr(tag, "src")) js.add(attr(tag, "src")!);
    else if (rel === "modulepreload") js.add(attr(tag, "href")!);
    else if (rel === "stylesheet") css.add(attr(tag, "href")!);
  }
  // Module scripts written inline import the entry chunks by URL.
  for (const m of text.matchAll(/import\s*(?:[^"']*from\s*)?["'](\/assets\/[^"']+\.js)["']/g)) js.add(m[1]!);
  // Inline scripts (Remix's hydration data) are counted in the HTML they are part of.
  const inlineScripts = [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].filter((m) => m[1]!.trim().length > 0);
  let cssBytes = 0;
  for (const href of css) cssBytes += gz(await fetchBytes(new URL(href, base).href));
  let jsBytes = 0;
  for (const src of js) jsBytes += gz(await fetchBytes(new URL(src, base).href));
  return { html: gz(html), css: cssBytes, js: jsBytes, scripts: js.size + (inlineScripts.length ? 1 : 0) };
}

try {
  console.log(machine());
  app = await startAppServer({ databaseUrl: `file:${path.join(dir, "maillon.db")}`, env: { SEED_DEMO_DATA: "auto" } });
  const catalogue = (await fetchBytes(`${app.url}/formations`)).toString("utf8");
  const modulePage = /href="(\/formations\/[^"?#]+)"/.exec(catalogue)?.[1];
  if (!modulePage) throw new Error("No module link on /formations: was the demo data loaded?");
  const pages = ["/", "/formations", modulePage, "/connexion", "/certificats/verifier"];
  const weights = new Map<string, Weight>();
  console.log("\npage                                              HTML gz    CSS gz     JS gz (files)   total");
  for (const page of pages) {
    const w = await weigh(app.url, page);
    weights.set(page, w);
    const total = w.html + w.css + w.js;
    console.log(`${page.padEnd(48)} ${String(w.html).padStart(8)} B ${String(w.css).padStart(7)} B ${String(w.js).padStart(8)} B (${w.scripts}) ${(total / 1024).toFixed(1).padStart(7)} KiB`);
  }
  const home = weights.get("/")!;
  const verify = weights.get("/certificats/verifier")!;
  const checks: [string, boolean][] = [
    [`home page JavaScript ${home.js} B gzip ≤ 90,000 B`, home.js <= 90_000],
    [`home page first load ${((home.html + home.css + home.js) / 1024).toFixed(1)} KiB ≤ 250 KiB`, home.html + home.css + home.js <= 250 * 1024],
    [`verification page ${((verify.html + verify.css + verify.js) / 1024).toFixed(1)} KiB ≤ 30 KiB, no script`, verify.html + verify.css + verify.js <= 30 * 1024 && verify.scripts === 0],
  ];
  console.log("");
  for (const [label, ok] of checks) console.log(`${ok ? "PASS" : "FAIL"} ${label}`);
  await cleanUp();
  process.exit(checks.every(([, ok]) => ok) ? 0 : 1);
} catch (error) {
  console.error(error);
  await cleanUp();
  process.exit(1);
}
