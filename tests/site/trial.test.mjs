// Headless Chromium tests of the site of a workspace shaped like the trial
// that found issue 17 (docs/site.md), generated here:
//
//   - a dataset document (`dataset` in xwalk.toml) citing two publications;
//   - publication A citing three catalogs, publication B citing a catalog,
//     the source catalog and two built-in standards: no mappings from
//     either (9 `cites` in all);
//   - a source catalog `req` of 149 provisions (1.1.1 to 5.6.4, their text
//     saying "Bluetooth", "Passwords" or "Updates"), mapped three times
//     each onto 69 provisions of EN 303 645 V3.1.3: 447 mappings, the maps
//     written in a scrambled order.
//
// Checks that every cite appears, that the search finds the catalog's
// provisions and the excerpts and leads to their rows, that the visual
// mapping is a readable matrix (rows in natural order), and the plurals.
// Saves the matrix's screenshot as SCREENSHOTS/document-matrix.png (the one
// in docs/images/site-document-matrix.png is a copy).
//
//   XWALK=target/debug/xwalk node --test tests/site/trial.test.mjs

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

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "xwalk-trial-"));
const workspace = path.join(tmp, "trial");
const site = path.join(tmp, "site");
let browser;

const open = (width, file, height) => openPage(browser, site, width, file, height);

// 1.1.1 to 5.6.5 without 5.6.5: 149 ids, in natural order.
const ids = [];
for (let a = 1; a <= 5; a++) {
  for (let b = 1; b <= 6; b++) {
    for (let c = 1; c <= 5; c++) ids.push(`${a}.${b}.${c}`);
  }
}
ids.pop();

const WORDS = [
  "Bluetooth pairing needs the user's confirmation.",
  "Passwords are unique per device.",
  "Updates are signed.",
];
const RELATIONS = ["related", "subset-of", "intersects-with"];

function generate() {
  const catalog = fs.readFileSync(path.join(root, "mappings/catalogs/etsi-en-303-645-v3.xwalk"), "utf8");
  const targets = [...catalog.matchAll(/^\s*provision\s+(\S+)\s*\{/gm)].map((m) => m[1]).slice(0, 69);
  assert.equal(targets.length, 69);
  let text = `document trial { title "Trial dataset" publisher "Trial" cites pub-a, pub-b }
document pub-a { title "Publication A" publisher "Trial" cites cat-1, cat-2, cat-3 }
document pub-b { title "Publication B" publisher "Trial" cites cat-1, req, uk-cop-2018, etsi-en-303-645-v3 }
document cat-1 { title "Catalog one" provision c1 { text "One." } }
document cat-2 { title "Catalog two" provision c2 { text "Two." } }
document cat-3 { title "Catalog three" provision c3 { text "Three." } }
`;
  fs.mkdirSync(workspace, { recursive: true });
  fs.writeFileSync(path.join(workspace, "xwalk.toml"), '[workspace]\nname = "trial"\ndataset = "trial"\n');
  fs.writeFileSync(path.join(workspace, "documents.xwalk"), text);
  text = 'document req {\n  title "Device requirements"\n  publisher "Vendor"\n';
  ids.forEach((id, i) => {
    text += `  provision ${id} { text "Requirement ${id}. ${WORDS[i % 3]}" }\n`;
  });
  text += "}\n";
  for (let n = 0; n < ids.length; n++) {
    const i = (n * 37) % ids.length; // 149 is prime: a scrambled order of all
    RELATIONS.forEach((relation, k) => {
      const t = targets[(i * 7 + k * 23) % targets.length];
      text += `map req:${ids[i]} -> etsi-en-303-645-v3:${t} { relation ${relation} excerpt "Excerpt ${i}: passwords and keys." }\n`;
    });
  }
  fs.writeFileSync(path.join(workspace, "req.xwalk"), text);
}

before(async () => {
  generate();
  execFileSync(xwalk, ["check", workspace], { stdio: "inherit" });
  execFileSync(xwalk, ["site", workspace, "--out", site], { stdio: "inherit" });
  fs.mkdirSync(shots, { recursive: true });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const CITES = [
  ["trial", "pub-a"],
  ["trial", "pub-b"],
  ["pub-a", "cat-1"],
  ["pub-a", "cat-2"],
  ["pub-a", "cat-3"],
  ["pub-b", "cat-1"],
  ["pub-b", "req"],
  ["pub-b", "uk-cop-2018"],
  ["pub-b", "etsi-en-303-645-v3"],
];

test("every cite appears: the citation page and the documents' cites and cited by", async () => {
  const { page, context, problems } = await open(WIDTHS.desktop, "citations.html");
  // The 9 cites, and EN 303 645 V3.1.3 superseding V2.1.1.
  assert.match(await page.locator("main .lead").innerText(), /10 links between 10 documents/);
  const edges = await page.locator("svg.citations path.edge title").allTextContents();
  for (const [from, to] of CITES) assert.ok(edges.includes(`${from} cites ${to}`), `${from} → ${to}`);
  assert.ok(edges.includes("etsi-en-303-645-v3 supersedes etsi-en-303-645"));
  assert.equal(edges.length, 10);
  // The table: a row per document of the graph, what it cites, what cites it.
  const row = page.locator("table.list tbody tr", { has: page.locator("th", { hasText: "Publication B" }) });
  const cells = await row.locator("td").allInnerTexts();
  assert.equal(cells[0].split("; ").length, 4, cells[0]);
  assert.equal(cells[1], "Trial dataset");
  // Each document's page says what it cites and what cites it.
  const meta = async (file) => {
    await page.goto(fileUrl(site, file));
    const out = {};
    for (const dt of await page.locator("dl.meta dt").all()) {
      const dd = dt.locator("xpath=following-sibling::dd[1]");
      out[await dt.innerText()] = await dd.innerText();
    }
    return out;
  };
  const expected = new Map();
  for (const [from, to] of CITES) {
    expected.set(`${from}>`, [...(expected.get(`${from}>`) || []), to]);
    expected.set(`>${to}`, [...(expected.get(`>${to}`) || []), from]);
  }
  for (const doc of ["trial", "pub-a", "pub-b", "cat-1", "cat-2", "cat-3", "req"]) {
    const m = await meta(`doc/${doc}.html`);
    const list = (s) => (s ? s.split(", ").sort() : []);
    assert.deepEqual(list(m["Cites"]), (expected.get(`${doc}>`) || []).sort(), `${doc} cites`);
    assert.deepEqual(list(m["Cited by"]), (expected.get(`>${doc}`) || []).sort(), `${doc} cited by`);
  }
  // The target's page too.
  await page.goto(fileUrl(site, "target/etsi-en-303-645-v3/index.html"));
  assert.equal(await page.locator("dl.meta dd").last().innerText(), "pub-b");
  // The list of documents names those without mappings.
  await page.goto(fileUrl(site, "documents.html"));
  const others = await page.locator("#others ~ section table tbody th").allInnerTexts();
  assert.deepEqual(others.sort(), [
    "Catalog one",
    "Catalog three",
    "Catalog two",
    "Publication A",
    "Publication B",
    "Trial dataset",
  ]);
  assert.deepEqual(problems, []);
  await context.close();
});

test("search finds the source catalog's provisions and the excerpts, and leads to their rows", async () => {
  const { page, context, problems } = await open(WIDTHS.desktop, "index.html");
  await page.fill("#q", "bluetooth");
  await page.press("#q", "Enter");
  await page.waitForURL(/search\.html\?q=bluetooth/);
  // Every third requirement says it: 50 of 149.
  assert.equal(await page.locator("#search-status").innerText(), "50 results.");
  const labels = await page.locator("#search-results li a").allInnerTexts();
  assert.equal(labels[0], "req:1.1.1");
  assert.ok(labels.every((l) => l.startsWith("req:")), labels.join(", "));
  // A result shows the document and the words around the match.
  const first = page.locator("#search-results li").first();
  assert.equal(await first.locator(".where").innerText(), "Device requirements");
  assert.match(await first.locator(".detail").innerText(), /Bluetooth pairing/);
  await first.locator("a").click();
  await page.waitForURL(/doc\/req\.html#p-1\.1\.1$/);
  const target = page.locator("#p-1\\.1\\.1");
  assert.match(await target.innerText(), /Requirement 1\.1\.1\. Bluetooth pairing/);
  assert.ok(await target.isVisible());
  const box = await target.boundingBox();
  assert.ok(box.y > -1 && box.y < 900, `the row is in view (y ${box.y})`);

  // "passwords": the provisions that say it come first (provisions before
  // clauses and excerpts): the 50 requirements, and the EN 303 645 V3.1.3
  // provisions the trial maps onto (their text is in the catalog); then
  // the 149 excerpts.
  await page.goto(fileUrl(site, "search.html") + "?q=passwords");
  const [, count] = (await page.locator("#search-status").innerText()).match(/^(\d+) results, the first 100 shown\.$/);
  assert.ok(Number(count) >= 50 + 149, count);
  const found = await page.locator("#search-results li a").allInnerTexts();
  const provisions = found.slice(0, found.findIndex((l) => !/^(req|etsi-en-303-645-v3):/.test(l)));
  assert.ok(provisions.some((l) => l.startsWith("etsi-en-303-645-v3:")), provisions.join(", "));
  assert.deepEqual(
    provisions.filter((l) => l.startsWith("req:")),
    ids.filter((_, i) => i % 3 === 1).map((id) => `req:${id}`),
  );
  await page.fill("#search-query", "passwords excerpt 148");
  const excerpt = page.locator("#search-results li", { has: page.locator(".kind", { hasText: "excerpt" }) }).first();
  assert.equal(await excerpt.locator("a").innerText(), "5.6.4");
  await excerpt.locator("a").click();
  await page.waitForURL(/doc\/req\.html#m-\d+$/);
  const anchor = decodeURIComponent(new URL(page.url()).hash.slice(1));
  const row = page.locator(`tr:has(th[id="${anchor}"])`);
  const cells = await row.locator("th, td").allInnerTexts();
  assert.equal(cells[0], "5.6.4");
  assert.match(cells[3], /Excerpt 148: passwords and keys\./);
  // A document's title finds the document, with or without mappings.
  await page.goto(fileUrl(site, "search.html") + "?q=catalog%20three");
  assert.equal(await page.locator("#search-results li a").first().innerText(), "Catalog three");
  assert.deepEqual(problems, []);
  await context.close();
});

test("447 mappings onto 69 targets: a matrix in natural order, readable", async () => {
  const { page, context, problems } = await open(1440, "doc/req.html", 1000);
  assert.equal(await page.locator("svg.visual.curves").count(), 0);
  const svg = page.locator("svg.visual.matrix");
  assert.equal(await svg.count(), 1);
  assert.match(
    await page.locator("#visual + p").innerText(),
    /^447 mappings from 149 sections onto 69 target provisions and clauses\.$/,
  );
  // One cell per section and target mapped, one row per section.
  assert.equal(await svg.locator("g.cell").count(), pairsBySource(site).get("req"));
  assert.equal(await svg.locator("g.cell").count(), 447);
  const rows = await svg.locator("g.row > a > text").allTextContents();
  assert.equal(rows.length, 149);
  assert.deepEqual(
    rows.map((r) => r.split(" ")[0]),
    ids,
    "rows in natural order, not file order",
  );
  // Readable: the cells keep their size (no scaling down), the column
  // labels do not overlap, the row labels fit their rows.
  const cell = await svg.locator("g.cell rect").first().boundingBox();
  assert.ok(cell.width >= 13 && cell.height >= 13, `cell ${cell.width}×${cell.height}`);
  const columns = await svg.locator("g.columns a text").evaluateAll((ts) =>
    ts.map((t) => t.getBoundingClientRect()).map((r) => [r.left, r.right]),
  );
  assert.equal(columns.length, 69);
  for (let i = 1; i < columns.length; i++) {
    assert.ok(columns[i][0] >= columns[i - 1][1] - 0.5, `column labels ${i - 1} and ${i} overlap`);
  }
  const heights = await svg.locator("g.row > a > text").evaluateAll((ts) =>
    ts.slice(0, 20).map((t) => t.getBoundingClientRect().height),
  );
  assert.ok(heights.every((h) => h <= 16), heights.join(", "));
  // Each cell says what it is.
  const tip = await svg.locator("g.cell title").first().textContent();
  assert.match(tip, /^req:1\.1\.1 → etsi-en-303-645-v3:\S+ \((related|subset-of|intersects-with)\)$/);
  // The screenshot for docs/site.md: the heading, the legend and the top
  // of the matrix.
  await page.evaluate(() => {
    const h = document.getElementById("visual");
    window.scrollTo(0, h.getBoundingClientRect().top + window.scrollY - 10);
  });
  const out = path.join(shots, "document-matrix.png");
  await page.screenshot({ path: out });
  assert.ok(fs.statSync(out).size > 10000, out);
  assert.deepEqual(problems, []);
  await context.close();
});

test("plurals: one source document, one organisation", async () => {
  const { page, context, problems } = await open(WIDTHS.desktop, "index.html");
  const figures = (await page.locator(".figures").innerText()).replace(/\s+/g, " ");
  assert.match(figures, /1 source document 1 organisation 447 mappings/);
  assert.doesNotMatch(await page.locator("main").innerText(), /\b1 (organisations|source documents|rows|provisions)\b/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the trial's site: no console errors, usable at 375 px, links resolve, valid HTML", async () => {
  const { page, context, problems } = await open(WIDTHS.phone, "index.html");
  for (const file of htmlPages(site).filter((f) => !f.startsWith("target/") || f.endsWith("index.html"))) {
    await page.goto(fileUrl(site, file));
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 0, `${file} is ${overflow}px too wide at 375px`);
  }
  assert.deepEqual(problems, []);
  await context.close();
  assert.ok(checkLinks(site) > 1000);
  htmlValidate(site);
});
