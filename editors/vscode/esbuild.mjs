// Bundles the extension (and, with --tests, the VS Code-free module for the
// unit tests) with esbuild.
import * as esbuild from "esbuild";

const tests = process.argv.includes("--tests");
const common = { bundle: true, platform: "node", target: "node20", format: "cjs", logLevel: "warning" };

if (tests) {
  await esbuild.build({ ...common, entryPoints: ["src/config.ts"], outfile: "out/test/config.js", sourcemap: true });
} else {
  await esbuild.build({
    ...common,
    entryPoints: ["src/extension.ts"],
    outfile: "out/extension.js",
    external: ["vscode"],
    minify: true,
    sourcemap: false,
  });
}
