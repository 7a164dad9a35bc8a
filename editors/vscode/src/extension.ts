// The VS Code side: starts `xwalk lsp` with vscode-languageclient and wires
// the commands and settings. The logic that does not need VS Code is in
// config.ts, where it is unit-tested.
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
  State,
} from "vscode-languageclient/node";
import {
  Settings,
  initializationOptions,
  needsRestart,
  processEnvironment,
  readSettings,
  resolveServer,
} from "./config";

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel;
let traceOutput: vscode.LogOutputChannel;
let current: Settings;

function settings(): Settings {
  const cfg = vscode.workspace.getConfiguration("xwalk");
  return readSettings((key) => cfg.get(key));
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  current = settings();
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const found = resolveServer(current.serverPath, processEnvironment(context.extensionPath, folder));
  if (!found.ok) {
    output.appendLine(found.message);
    output.appendLine("Looked in: " + found.tried.join(", "));
    const choice = await vscode.window.showErrorMessage(found.message, "Open Settings", "Show Output");
    if (choice === "Open Settings") {
      await vscode.commands.executeCommand("workbench.action.openSettings", "xwalk.server.path");
    } else if (choice === "Show Output") {
      output.show(true);
    }
    return;
  }
  output.appendLine(`Starting ${found.path} lsp (found via ${found.source})`);

  const serverOptions: ServerOptions = {
    run: { command: found.path, args: ["lsp"] },
    debug: { command: found.path, args: ["lsp"] },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: "xwalk" }],
    synchronize: {
      // Sends workspace/didChangeConfiguration with the `xwalk` section on
      // every change; the server then re-reads inlayHints, codeLens, logLevel.
      configurationSection: "xwalk",
      fileEvents: vscode.workspace.createFileSystemWatcher("**/{*.xwalk,xwalk.toml}"),
    },
    initializationOptions: initializationOptions(current),
    outputChannel: output,
    traceOutputChannel: traceOutput,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
  };
  client = new LanguageClient("xwalk", "Crosswalk", serverOptions, clientOptions);
  client.onDidChangeState((e) => {
    if (e.newState === State.Stopped) output.appendLine("The xwalk language server stopped.");
  });
  try {
    await client.start();
  } catch (err) {
    const msg = `Crosswalk: the language server (${found.path} lsp) failed to start: ${String(err)}`;
    output.appendLine(msg);
    void vscode.window.showErrorMessage(msg, "Show Output").then((c) => c && output.show(true));
  }
}

async function stop(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) {
    try {
      await c.stop();
    } catch {
      // already stopped
    }
  }
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  await stop();
  await start(context);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("Crosswalk", { log: true });
  traceOutput = vscode.window.createOutputChannel("Crosswalk Trace", { log: true });
  context.subscriptions.push(
    output,
    traceOutput,
    vscode.commands.registerCommand("xwalk.restartServer", () => restart(context)),
    vscode.commands.registerCommand("xwalk.showOutput", () => output.show(true)),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (!e.affectsConfiguration("xwalk")) return;
      const next = settings();
      // The client sends the new settings to the server (configurationSection
      // above) and applies the trace level itself; a new binary needs a restart.
      if (needsRestart(current, next) || !client) await restart(context);
      current = next;
    }),
  );
  await start(context);
}

export function deactivate(): Promise<void> {
  return stop();
}
