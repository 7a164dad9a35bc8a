// The platform-specific .vsix (scripts/package-platform.mjs) with the real
// binary: XWALK_VSIX names a linux-x64 (or other Unix) package. The package
// is unpacked as VS Code unpacks it (file modes from the zip), then the
// extension's own resolution (src/config.ts) must find the bundled binary
// with no setting, before any xwalk on PATH, and the binary must answer an
// LSP initialize, shutdown and exit over stdio. Run by tests/run.sh
// (`npm run test:bundled`).
const test = require("node:test");
const assert = require("node:assert/strict");
const { execFileSync, spawn } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const cfg = require("../../out/test/config.js");

const vsix = process.env.XWALK_VSIX;
const target = process.env.XWALK_VSIX_TARGET ?? "linux-x64";

// Lists and unpacks the zip with Python's zipfile, keeping each entry's
// Unix mode (the high 16 bits of its external attributes), as VS Code does.
const UNPACK = `
import json, os, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
out = []
for info in z.infolist():
    mode = info.external_attr >> 16
    path = z.extract(info, sys.argv[2])
    if mode and not info.is_dir():
        os.chmod(path, mode & 0o7777)
    out.append([info.filename, mode])
print(json.dumps(out))
`;

function unpack(file, dir) {
  const python = process.env.PYTHON ?? "python3";
  return JSON.parse(execFileSync(python, ["-c", UNPACK, file, dir], { encoding: "utf8" }));
}

/** One LSP message with a Content-Length header. */
function frame(message) {
  const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", ...message }), "utf8");
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, "ascii"), body]);
}

/** The messages in `buffer` (complete ones only). */
function messages(buffer) {
  const out = [];
  let rest = buffer;
  for (;;) {
    const end = rest.indexOf("\r\n\r\n");
    if (end < 0) break;
    const m = /Content-Length: (\d+)/i.exec(rest.subarray(0, end).toString("ascii"));
    if (!m) break;
    const length = Number(m[1]);
    if (rest.length < end + 4 + length) break;
    out.push(JSON.parse(rest.subarray(end + 4, end + 4 + length).toString("utf8")));
    rest = rest.subarray(end + 4 + length);
  }
  return out;
}

/** Runs `command lsp` through initialize, initialized, shutdown and exit. */
function session(command, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, ["lsp"], { cwd, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = Buffer.alloc(0);
    let stderr = "";
    let sentShutdown = false;
    let sentExit = false;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`xwalk lsp did not exit within 20 s; stderr: ${stderr}`));
    }, 20_000);
    child.stdout.on("data", (d) => {
      stdout = Buffer.concat([stdout, d]);
      const got = messages(stdout);
      const ids = new Set(got.filter((m) => m.id !== undefined && m.method === undefined).map((m) => m.id));
      if (ids.has(1) && !sentShutdown) {
        sentShutdown = true;
        child.stdin.write(frame({ method: "initialized", params: {} }));
        child.stdin.write(frame({ id: 2, method: "shutdown", params: null }));
      }
      if (ids.has(2) && !sentExit) {
        sentExit = true;
        child.stdin.write(frame({ method: "exit", params: null }));
      }
    });
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, messages: messages(stdout), stderr });
    });
    child.stdin.write(
      frame({
        id: 1,
        method: "initialize",
        params: { processId: process.pid, rootUri: null, capabilities: {}, clientInfo: { name: "bundled.test" } },
      }),
    );
  });
}

test("the platform .vsix bundles the binary, and the extension finds and starts it", async (t) => {
  assert.ok(vsix, "XWALK_VSIX must name the platform .vsix to test (tests/run.sh sets it)");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "xwalk-vsix-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const entries = new Map(unpack(vsix, dir));

  // The package: its target platform, the binary executable in the zip.
  const manifest = fs.readFileSync(path.join(dir, "extension.vsixmanifest"), "utf8");
  assert.match(manifest, new RegExp(`TargetPlatform="${target}"`));
  const exe = target.startsWith("win32-") ? "xwalk.exe" : "xwalk";
  const mode = entries.get(`extension/server/${exe}`);
  assert.ok(mode !== undefined, `extension/server/${exe} is in the package: ${[...entries.keys()].join(", ")}`);
  assert.equal(mode & 0o111, 0o111, `server/${exe} is executable in the zip (mode ${mode.toString(8)})`);
  assert.ok(entries.has("extension/out/extension.js"));

  // The resolution: no setting, nothing on PATH → the bundled binary;
  // another xwalk on PATH does not take its place.
  const extension = path.join(dir, "extension");
  const bundled = path.join(extension, "server", exe);
  const onPath = path.join(dir, "bin");
  fs.mkdirSync(onPath);
  fs.writeFileSync(path.join(onPath, "xwalk"), "#!/bin/sh\nexit 3\n", { mode: 0o755 });
  for (const pathVar of ["", onPath]) {
    const env = { ...cfg.processEnvironment(extension, dir), pathVar };
    assert.deepEqual(cfg.resolveServer("", env), { ok: true, path: bundled, source: "bundled" });
  }
  const found = cfg.resolveServer("", cfg.processEnvironment(extension, dir));
  assert.equal(found.source, "bundled");

  // It starts and speaks LSP.
  const run = await session(found.path, dir);
  assert.equal(run.code, 0, run.stderr);
  const init = run.messages.find((m) => m.id === 1);
  assert.ok(init?.result?.capabilities, JSON.stringify(run.messages));
  assert.equal(init.result.serverInfo?.name, "xwalk");
  assert.ok(init.result.capabilities.hoverProvider);
  assert.deepEqual(run.messages.find((m) => m.id === 2)?.result, null);
});
