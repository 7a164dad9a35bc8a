// Unit tests of src/config.ts (binary resolution and settings), bundled to
// out/test/config.js by `node esbuild.mjs --tests`.
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const cfg = require("../../out/test/config.js");

function env(over = {}) {
  const exec = new Set(over.executables ?? []);
  return {
    platform: "linux",
    pathVar: "/usr/local/bin:/usr/bin",
    home: "/home/u",
    extensionPath: "/ext",
    workspaceFolder: "/ws",
    isExecutable: (p) => exec.has(p),
    ...over,
  };
}

test("the setting wins over the bundled binary and PATH", () => {
  const r = cfg.resolveServer("/opt/xwalk", env({ executables: ["/opt/xwalk", "/usr/bin/xwalk", "/ext/server/xwalk"] }));
  assert.deepEqual(r, { ok: true, path: "/opt/xwalk", source: "setting" });
});

test("a relative setting is taken from the workspace folder, ~ from home", () => {
  assert.equal(cfg.resolveServer("target/debug/xwalk", env({ executables: ["/ws/target/debug/xwalk"] })).path, "/ws/target/debug/xwalk");
  assert.equal(cfg.resolveServer("~/.cargo/bin/xwalk", env({ executables: ["/home/u/.cargo/bin/xwalk"] })).path, "/home/u/.cargo/bin/xwalk");
  assert.equal(cfg.resolveServer("${workspaceFolder}/bin/xwalk", env({ executables: ["/ws/bin/xwalk"] })).path, "/ws/bin/xwalk");
});

test("a wrong setting is an error naming the setting, with no fallback to PATH", () => {
  const r = cfg.resolveServer("/nope/xwalk", env({ executables: ["/usr/bin/xwalk"] }));
  assert.equal(r.ok, false);
  assert.match(r.message, /xwalk\.server\.path/);
  assert.match(r.message, /\/nope\/xwalk/);
  assert.deepEqual(r.tried, ["/nope/xwalk"]);
});

test("without a setting: the bundled binary, before any xwalk on PATH", () => {
  const r = cfg.resolveServer("", env({ executables: ["/usr/bin/xwalk", "/ext/server/xwalk"] }));
  assert.deepEqual(r, { ok: true, path: "/ext/server/xwalk", source: "bundled" });
});

test("without a setting or a bundled binary: the first xwalk on PATH", () => {
  const r = cfg.resolveServer("", env({ executables: ["/usr/bin/xwalk"] }));
  assert.deepEqual(r, { ok: true, path: "/usr/bin/xwalk", source: "PATH" });
  const first = cfg.resolveServer("", env({ executables: ["/usr/local/bin/xwalk", "/usr/bin/xwalk"] }));
  assert.equal(first.path, "/usr/local/bin/xwalk");
});

test("nothing found: a clear message listing what was tried", () => {
  const r = cfg.resolveServer("", env({ pathVar: "/a::/b" }));
  assert.equal(r.ok, false);
  assert.match(r.message, /not found/);
  assert.match(r.message, /PATH/);
  assert.match(r.message, /pip install xwalk/);
  assert.match(r.message, /xwalk\.server\.path/);
  assert.deepEqual(r.tried, ["/ext/server/xwalk", "/a/xwalk", "/b/xwalk"]);
});

test("an unset PATH is no PATH", () => {
  const r = cfg.resolveServer("", env({ pathVar: undefined, executables: ["/ext/server/xwalk"] }));
  assert.equal(r.source, "bundled");
  assert.equal(cfg.resolveServer("", env({ pathVar: undefined })).ok, false);
});

test("Windows: PATHEXT names and xwalk.exe bundled", () => {
  const e = env({ platform: "win32", pathVar: "C:\\bin;D:\\tools", pathExt: ".COM;.EXE", extensionPath: "C:\\ext" });
  const c = cfg.pathCandidates(e);
  assert.equal(c.length, 4);
  assert.ok(c[1].endsWith("xwalk.exe"));
  assert.equal(cfg.exeName("win32"), "xwalk.exe");
  assert.ok(cfg.bundledPath("C:\\ext", "win32").endsWith("xwalk.exe"));
});

test("isExecutable: a file with the x bit, not a folder or a plain file", { skip: process.platform === "win32" }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "xwalk-ext-"));
  try {
    const exe = path.join(dir, "xwalk");
    const plain = path.join(dir, "plain");
    fs.writeFileSync(exe, "#!/bin/sh\n", { mode: 0o755 });
    fs.writeFileSync(plain, "", { mode: 0o644 });
    assert.equal(cfg.isExecutable(exe), true);
    assert.equal(cfg.isExecutable(dir), false);
    assert.equal(cfg.isExecutable(path.join(dir, "missing")), false);
    if (process.getuid && process.getuid() !== 0) assert.equal(cfg.isExecutable(plain), false);
    const real = cfg.resolveServer("", cfg.processEnvironment("/nonexistent-ext"));
    assert.equal(typeof real.ok, "boolean");
    const viaPath = cfg.resolveServer("", { ...cfg.processEnvironment("/nonexistent-ext"), pathVar: dir });
    assert.deepEqual(viaPath, { ok: true, path: exe, source: "PATH" });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("settings: defaults, values, and bad values fall back to defaults", () => {
  assert.deepEqual(cfg.readSettings(() => undefined), cfg.DEFAULTS);
  const vals = { "server.path": " /x/xwalk ", inlayHints: false, codeLens: false, logLevel: "debug", "trace.server": "verbose", cacheDir: "/c" };
  assert.deepEqual(cfg.readSettings((k) => vals[k]), {
    serverPath: "/x/xwalk",
    inlayHints: false,
    codeLens: false,
    logLevel: "debug",
    trace: "verbose",
    cacheDir: "/c",
  });
  const bad = { "server.path": 3, inlayHints: "no", logLevel: "loud", "trace.server": "all" };
  assert.deepEqual(cfg.readSettings((k) => bad[k]), cfg.DEFAULTS);
});

test("initialization options are the server's settings (docs/server.md)", () => {
  const s = { ...cfg.DEFAULTS, inlayHints: false, logLevel: "warn" };
  assert.deepEqual(cfg.initializationOptions(s), { inlayHints: false, codeLens: true, logLevel: "warn" });
  assert.equal(cfg.initializationOptions({ ...s, cacheDir: "/c" }).cacheDir, "/c");
});

test("only a new binary path needs a restart", () => {
  const a = cfg.DEFAULTS;
  assert.equal(cfg.needsRestart(a, { ...a, inlayHints: false, trace: "verbose" }), false);
  assert.equal(cfg.needsRestart(a, { ...a, serverPath: "/y" }), true);
});

test("package.json declares the settings and commands the code uses", () => {
  const pkg = require("../../package.json");
  const props = pkg.contributes.configuration.properties;
  for (const k of ["server.path", "trace.server", "inlayHints", "codeLens", "logLevel", "cacheDir"]) assert.ok(props["xwalk." + k], k);
  assert.deepEqual(props["xwalk.logLevel"].enum, ["error", "warn", "info", "debug"]);
  assert.deepEqual(props["xwalk.trace.server"].enum, ["off", "messages", "verbose"]);
  const cmds = pkg.contributes.commands.map((c) => c.command).sort();
  assert.deepEqual(cmds, ["xwalk.restartServer", "xwalk.showOutput"]);
  const src = fs.readFileSync(path.join(__dirname, "../../src/extension.ts"), "utf8");
  for (const c of cmds) assert.ok(src.includes(`"${c}"`), c);
  assert.ok(!fs.readFileSync(path.join(__dirname, "../../src/config.ts"), "utf8").includes('from "vscode"'));
});

test("language configuration: the word pattern keeps ids whole", () => {
  const lc = require("../../language-configuration.json");
  const re = new RegExp(lc.wordPattern, "g");
  const line = "map enisa-bsr-iot:GP-TM-23 -> etsi-en-303-645:5.1-1, uk-cop-2018:1";
  assert.deepEqual(line.match(re), ["map", "enisa-bsr-iot", "GP-TM-23", "etsi-en-303-645", "5.1-1", "uk-cop-2018", "1"]);
  assert.equal(lc.comments.lineComment, "#");
});

test("snippets: document, provision and map", () => {
  const sn = require("../../snippets/xwalk.json");
  const prefixes = Object.values(sn).map((s) => s.prefix);
  for (const p of ["document", "provision", "map"]) assert.ok(prefixes.includes(p), p);
});
