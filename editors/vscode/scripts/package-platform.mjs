// Packages a platform-specific .vsix that bundles the xwalk binary:
//   node scripts/package-platform.mjs --target linux-x64 --binary PATH [--out FILE]
// The binary is copied to server/xwalk (server/xwalk.exe for win32-*), where
// the extension looks first when "xwalk.server.path" is not set (src/config.ts),
// then `vsce package --target` writes xwalk-TARGET.vsix (or --out). server/ is
// removed afterwards, so that the universal package (`npm run package`) never
// bundles a binary by accident. The extension must be built first
// (`npm run package:platform` typechecks and builds, then runs this).
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

// The targets `vsce package --target` takes that the release builds.
const TARGETS = ["linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64", "win32-x64"];

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

function args(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i];
    const value = argv[i + 1];
    if (!key.startsWith("--") || value === undefined) throw new Error(`usage: --target T --binary PATH [--out FILE] (at ${key})`);
    out[key.slice(2)] = value;
  }
  return out;
}

const a = args(process.argv.slice(2));
if (!TARGETS.includes(a.target)) {
  console.error(`package-platform: --target must be one of ${TARGETS.join(", ")}, not ${a.target}`);
  process.exit(2);
}
if (!a.binary || !fs.statSync(a.binary, { throwIfNoEntry: false })?.isFile()) {
  console.error(`package-platform: --binary must name the xwalk binary for ${a.target}: ${a.binary}`);
  process.exit(2);
}
const exe = a.target.startsWith("win32-") ? "xwalk.exe" : "xwalk";
const server = path.join(root, "server");
const out = path.resolve(a.out ?? path.join(root, `xwalk-${a.target}.vsix`));
fs.rmSync(server, { recursive: true, force: true });
fs.mkdirSync(server);
try {
  fs.copyFileSync(a.binary, path.join(server, exe));
  fs.chmodSync(path.join(server, exe), 0o755);
  fs.copyFileSync(path.join(root, "..", "..", "LICENSE"), path.join(root, "LICENSE"));
  const vsce = path.join(root, "node_modules", ".bin", process.platform === "win32" ? "vsce.cmd" : "vsce");
  execFileSync(
    vsce,
    ["package", "--target", a.target, "--no-dependencies", "--allow-missing-repository", "-o", out],
    { cwd: root, stdio: "inherit", shell: process.platform === "win32" },
  );
} finally {
  fs.rmSync(server, { recursive: true, force: true });
}
console.log(`package-platform: ${out} bundles ${a.binary} as server/${exe}`);
