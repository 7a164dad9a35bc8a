// What the site tests share: Chromium, a page that records problems, the
// internal-link check and html-validate. Not a test file itself (node --test
// runs *.test.mjs).

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, "../..");
export const xwalk = path.resolve(root, process.env.XWALK || "target/debug/xwalk");
export const shots = path.resolve(root, process.env.SCREENSHOTS || "target/site-screenshots");
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";

export const WIDTHS = { desktop: 1280, phone: 375 };

export function launch() {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export const fileUrl = (site, file) => pathToFileURL(path.join(site, file)).href;

// A page of `site` that records console errors, page errors and any
// request that leaves the disk.
export async function open(browser, site, width, file, height = 900) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("request", (r) => {
    if (!r.url().startsWith("file://")) problems.push(`network request: ${r.url()}`);
  });
  page.on("requestfailed", (r) => problems.push(`failed: ${r.url()}`));
  await page.goto(fileUrl(site, file));
  return { page, context, problems };
}

// Every file under `dir`, recursively.
export function walk(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

// The HTML pages of `site`, relative, sorted.
export const htmlPages = (site) =>
  walk(site)
    .filter((f) => f.endsWith(".html"))
    .map((f) => path.relative(site, f))
    .sort();

// Every internal link and fragment of every page resolves, and every
// aria-labelledby and label for= names an id of its page. Returns the
// number of links checked.
export function checkLinks(site) {
  const ids = new Map();
  const html = walk(site).filter((f) => f.endsWith(".html"));
  const idsOf = (file) => {
    if (!ids.has(file)) {
      const text = fs.readFileSync(file, "utf8");
      ids.set(file, new Set([...text.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1])));
    }
    return ids.get(file);
  };
  const decode = (s) =>
    s.replace(/&amp;/g, "&").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">");
  let links = 0;
  const broken = [];
  for (const file of html) {
    const text = fs.readFileSync(file, "utf8");
    for (const m of text.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
      const ref = decode(m[1]);
      if (/^[a-z]+:/i.test(ref)) continue; // external: http(s), mailto
      links += 1;
      const [target, fragment] = ref.split("#");
      const [p] = target.split("?");
      const resolved = p === "" ? file : path.resolve(path.dirname(file), decodeURIComponent(p));
      if (!resolved.startsWith(site) || !fs.existsSync(resolved)) {
        broken.push(`${path.relative(site, file)}: ${ref} (no such file)`);
      } else if (fragment !== undefined && fragment !== "" && !idsOf(resolved).has(decodeURIComponent(fragment))) {
        broken.push(`${path.relative(site, file)}: ${ref} (no such id)`);
      }
    }
    for (const m of text.matchAll(/\s(?:aria-labelledby|for)="([^"]*)"/g)) {
      for (const id of m[1].split(/\s+/)) {
        if (!idsOf(file).has(id)) broken.push(`${path.relative(site, file)}: missing id ${id}`);
      }
    }
  }
  assert.deepEqual(broken, []);
  return links;
}

// html-validate on every page of `site`; throws (and prints every
// problem) when it reports any.
export function htmlValidate(site) {
  const bin = path.join(here, "node_modules", ".bin", "html-validate");
  const config = path.join(here, ".htmlvalidate.json");
  execFileSync(bin, ["--config", config, "--max-warnings", "0", `${site}/**/*.html`], {
    stdio: "inherit",
  });
}

// The number of distinct section → target pairs of each source document,
// from the site's own Crosswalk JSON download: the cells of a matrix.
export function pairsBySource(site) {
  const data = JSON.parse(fs.readFileSync(path.join(site, "data/mappings.json"), "utf8"));
  const pairs = new Map();
  for (const m of data.mappings) {
    const key = JSON.stringify([m.source.id ?? null, m.target.document, m.target.id ?? null]);
    if (!pairs.has(m.source.document)) pairs.set(m.source.document, new Set());
    pairs.get(m.source.document).add(key);
  }
  return new Map([...pairs].map(([doc, set]) => [doc, set.size]));
}
