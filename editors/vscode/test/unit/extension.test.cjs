// The bundled extension (out/extension.js, as packaged in the .vsix) loaded
// against a stub of the `vscode` module: with no binary to be found, it
// shows the clear error message and offers the settings and the output.
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const Module = require("node:module");

const bundle = path.join(__dirname, "../../out/extension.js");

function stubVscode(settings, log) {
  const anything = () =>
    new Proxy(function () {}, {
      get: (t, k) => (k === "then" ? undefined : anything()),
      apply: () => anything(),
      construct: () => anything(),
    });
  const channel = (name) => ({
    name,
    appendLine: (l) => log.output.push(l),
    append: () => {},
    show: () => log.shown.push(name),
    dispose: () => {},
    info: () => {}, warn: () => {}, error: () => {}, debug: () => {}, trace: () => {},
  });
  const stub = {
    window: {
      createOutputChannel: channel,
      showErrorMessage: async (msg, ...items) => {
        log.errors.push({ msg, items });
        return undefined;
      },
    },
    commands: {
      registerCommand: (id, fn) => {
        log.commands[id] = fn;
        return { dispose() {} };
      },
      executeCommand: async () => undefined,
    },
    workspace: {
      workspaceFolders: undefined,
      getConfiguration: () => ({ get: (k) => settings[k] }),
      onDidChangeConfiguration: () => ({ dispose() {} }),
      createFileSystemWatcher: () => ({ dispose() {} }),
    },
  };
  return new Proxy(stub, { get: (t, k) => (k in t ? t[k] : anything()) });
}

function load(vscode) {
  const orig = Module._load;
  Module._load = function (req, ...rest) {
    if (req === "vscode") return vscode;
    return orig.call(this, req, ...rest);
  };
  try {
    delete require.cache[bundle];
    return require(bundle);
  } finally {
    Module._load = orig;
  }
}

test("the bundle exists (run `npm run build`)", () => {
  assert.ok(fs.existsSync(bundle));
});

test("a missing binary: a clear error, the restart and output commands still there", async () => {
  const log = { output: [], errors: [], shown: [], commands: {} };
  const ext = load(stubVscode({ "server.path": "/nonexistent/xwalk" }, log));
  assert.equal(typeof ext.activate, "function");
  assert.equal(typeof ext.deactivate, "function");
  const context = { subscriptions: [], extensionPath: "/nonexistent-ext" };
  await ext.activate(context);
  assert.equal(log.errors.length, 1);
  assert.match(log.errors[0].msg, /xwalk\.server\.path/);
  assert.match(log.errors[0].msg, /\/nonexistent\/xwalk/);
  assert.deepEqual(log.errors[0].items, ["Open Settings", "Show Output"]);
  assert.ok(log.output.some((l) => l.includes("/nonexistent/xwalk")));
  assert.deepEqual(Object.keys(log.commands).sort(), ["xwalk.restartServer", "xwalk.showOutput"]);
  log.commands["xwalk.showOutput"]();
  assert.deepEqual(log.shown, ["Crosswalk"]);
  await log.commands["xwalk.restartServer"]();
  assert.equal(log.errors.length, 2);
  await ext.deactivate();
});
