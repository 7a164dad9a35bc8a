// Headless Chromium tests of the site that `xwalk site` builds (docs/site.md).
//
//   XWALK=target/debug/xwalk MAPPINGS=mappings node --test tests/site/
//
// Builds the site of MAPPINGS into a temporary folder, loads it from disk
// (file://) in Debian's chromium through playwright-core, and checks what
// issue 7 lists; saves screenshots at desktop and phone widths into
// SCREENSHOTS (default target/site-screenshots). Also: every internal link
// and fragment resolves, and html-validate finds nothing.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  WIDTHS,
  checkLinks,
  fileUrl,
  htmlPages,
  htmlValidate,
  launch,
  open as openPage,
  pairsBySource,
  root,
  shots,
  xwalk,
} from "./helpers.mjs";

const mappings = path.resolve(root, process.env.MAPPINGS || "mappings");
// The shipped documents over the curves' threshold, whose visual mapping is
// a matrix: EN 303 645 (70 mappings from 66 sections) and the IoT Security
// Foundation's compliance framework (191 mappings from 187 sections).
const MATRICES = 2;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "xwalk-site-"));
const site = path.join(tmp, "site");
let browser;
let stats;

const url = (file) => fileUrl(site, file);
const open = (width, file) => openPage(browser, site, width, file);

before(async () => {
  execFileSync(xwalk, ["site", mappings, "--out", site], { stdio: "inherit" });
  stats = JSON.parse(
    execFileSync(xwalk, ["stats", mappings, "--format", "json"], { encoding: "utf8" }),
  );
  fs.mkdirSync(shots, { recursive: true });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test("the home matrix has one row per source document", async () => {
  const { page, context, problems } = await open(WIDTHS.desktop, "index.html");
  const rows = await page.locator("#matrix-table tbody tr").count();
  assert.equal(rows, stats.totals.source_documents);
  assert.equal(rows, 70); // 68 DCMS sources and the two PSTI correspondence sources
  // Counts on the page are the stats' counts.
  const figures = await page.locator(".figures").innerText();
  assert.match(figures, new RegExp(`${stats.totals.source_documents}\\s+source documents`));
  assert.match(figures, new RegExp(`${stats.totals.organisations}\\s+organisations`));
  assert.match(figures, /1,176\s+mappings/);
  // Every cell total adds up.
  const total = await page.locator("#matrix-table tfoot td.total").last().innerText();
  assert.equal(Number(total), stats.totals.mappings - stats.totals.no_relationship);
  // Charts have text alternatives.
  for (const svg of await page.locator("svg[role=img]").all()) {
    const labelled = await svg.getAttribute("aria-labelledby");
    assert.ok(labelled, "every chart is labelled");
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test("every document page's SVG has one curve per mapping, or a matrix cell per pair", async () => {
  const { page, context, problems } = await open(WIDTHS.desktop, "index.html");
  const pairs = pairsBySource(site);
  let checked = 0;
  let matrices = 0;
  let derivedRows = 0;
  for (const source of stats.sources) {
    const file = `doc/${source.id}.html`;
    assert.ok(fs.existsSync(path.join(site, file)), file);
    await page.goto(url(file));
    // The curated mappings' table; the derived links (onto V3.1.3 and
    // PSTI) are a table of their own, every row marked.
    const rows = await page.locator("table.mappings:not(.derived) tbody tr").count();
    assert.equal(rows, source.mappings, `${file}: table rows`);
    const derived = await page.locator("table.mappings.derived tbody tr").count();
    const marked = await page.locator("table.mappings.derived tbody tr .derived-mark").count();
    assert.equal(marked, derived, `${file}: every derived row is marked`);
    derivedRows += derived;
    if ((await page.locator("svg.visual.curves").count()) === 1) {
      const links = await page.locator("svg.visual path.link").count();
      assert.equal(links, source.mappings, `${file}: links`);
    } else {
      const cells = await page.locator("svg.visual.matrix g.cell").count();
      assert.equal(cells, pairs.get(source.id), `${file}: matrix cells`);
      matrices += 1;
    }
    checked += 1;
  }
  assert.equal(checked, 70);
  // The shipped mapping carried onto V3.1.3 and PSTI (docs/site.md).
  assert.ok(derivedRows > 1000, `derived rows: ${derivedRows}`);
  // The documents over the threshold (docs/site.md).
  assert.equal(matrices, MATRICES);
  assert.deepEqual(problems, []);
  await context.close();
});

test("search finds GP-TM-23, from the header box and on the page", async () => {
  const { page, context, problems } = await open(WIDTHS.desktop, "index.html");
  await page.fill("#q", "GP-TM-23");
  await page.press("#q", "Enter");
  await page.waitForURL(/search\.html\?q=GP-TM-23/);
  const first = page.locator("#search-results li a").first();
  assert.equal(await first.innerText(), "GP-TM-23");
  assert.match(await page.locator("#search-status").innerText(), /results?\./);
  await first.click();
  await page.waitForURL(/doc\/enisa-bsr-iot\.html#s-GP-TM-23$/);
  assert.equal(await page.locator("#s-GP-TM-23").count(), 1);
  // Typing filters as you go.
  await page.goto(url("search.html"));
  await page.fill("#search-query", "no default passwords");
  const labels = await page.locator("#search-results li a").allInnerTexts();
  assert.ok(labels.includes("uk-cop-2018:1"), labels.join(", "));
  await page.fill("#search-query", "zzzz-nothing");
  assert.match(await page.locator("#search-status").innerText(), /No results/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("no console errors or network requests on any page; usable at 375 px", async () => {
  const pages = htmlPages(site);
  assert.ok(pages.length > 150, `${pages.length} pages`);
  const { page, context, problems } = await open(WIDTHS.phone, "index.html");
  for (const file of pages) {
    await page.goto(url(file));
    // No sideways scrolling of the page itself: wide tables and charts
    // scroll inside their own region.
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 0, `${file} is ${overflow}px too wide at 375px`);
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test("keyboard: the skip link comes first and chart links take focus", async () => {
  const { page, context, problems } = await open(WIDTHS.desktop, "doc/enisa-bsr-iot.html");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.className), "skip");
  await page.keyboard.press("Enter");
  assert.match(page.url(), /#main$/);
  const svgLink = page.locator("svg.visual a").first();
  await svgLink.focus();
  assert.equal(await page.evaluate(() => document.activeElement.closest("svg") !== null), true);
  assert.deepEqual(problems, []);
  await context.close();
});

test("screenshots at desktop and phone widths", async () => {
  const targets = {
    home: "index.html",
    document: "doc/microsoft-iot-security-best-practices.html",
    provision: "target/uk-cop-2018/1.html",
    citations: "citations.html",
    downloads: "downloads.html",
  };
  for (const [width, px] of Object.entries(WIDTHS)) {
    for (const [name, file] of Object.entries(targets)) {
      const { page, context, problems } = await open(px, file);
      const out = path.join(shots, `${name}-${width}.png`);
      await page.screenshot({ path: out, fullPage: false });
      assert.ok(fs.statSync(out).size > 1000, out);
      assert.deepEqual(problems, []);
      await context.close();
    }
  }
});

test("every internal link and fragment resolves", () => {
  assert.ok(checkLinks(site) > 5000);
});

test("html-validate: the whole output is valid HTML", () => {
  htmlValidate(site);
});

test("building twice gives identical bytes", () => {
  const again = path.join(tmp, "again");
  execFileSync(xwalk, ["site", mappings, "--out", again], { stdio: "inherit" });
  const list = (dir) =>
    execFileSync("find", [".", "-type", "f"], { cwd: dir, encoding: "utf8" }).split("\n").filter(Boolean).sort();
  const a = list(site);
  assert.deepEqual(list(again), a);
  for (const f of a) {
    assert.ok(
      fs.readFileSync(path.join(site, f)).equals(fs.readFileSync(path.join(again, f))),
      f,
    );
  }
});
