// The extension's own logic that does not need VS Code: where the `xwalk`
// binary is, and what the server is told. No `import "vscode"` here, so that
// `node --test` can load this module (see test/unit/).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** The `xwalk.*` settings, as read from the VS Code configuration. */
export interface Settings {
  serverPath: string;
  inlayHints: boolean;
  codeLens: boolean;
  logLevel: LogLevel;
  trace: TraceLevel;
  cacheDir: string;
}

export type LogLevel = "error" | "warn" | "info" | "debug";
export type TraceLevel = "off" | "messages" | "verbose";

export const DEFAULTS: Settings = {
  serverPath: "",
  inlayHints: true,
  codeLens: true,
  logLevel: "info",
  trace: "off",
  cacheDir: "",
};

const LOG_LEVELS: readonly LogLevel[] = ["error", "warn", "info", "debug"];
const TRACE_LEVELS: readonly TraceLevel[] = ["off", "messages", "verbose"];

/**
 * Settings from raw configuration values (`get` returns the value of a key
 * under `xwalk.`, or undefined). Values of the wrong type or outside their
 * enumeration fall back to the default, so a typo in settings.json never
 * stops the server from starting.
 */
export function readSettings(get: (key: string) => unknown): Settings {
  const str = (v: unknown, d: string) => (typeof v === "string" ? v.trim() : d);
  const bool = (v: unknown, d: boolean) => (typeof v === "boolean" ? v : d);
  const oneOf = <T extends string>(v: unknown, all: readonly T[], d: T): T =>
    typeof v === "string" && (all as readonly string[]).includes(v) ? (v as T) : d;
  return {
    serverPath: str(get("server.path"), DEFAULTS.serverPath),
    inlayHints: bool(get("inlayHints"), DEFAULTS.inlayHints),
    codeLens: bool(get("codeLens"), DEFAULTS.codeLens),
    logLevel: oneOf(get("logLevel"), LOG_LEVELS, DEFAULTS.logLevel),
    trace: oneOf(get("trace.server"), TRACE_LEVELS, DEFAULTS.trace),
    cacheDir: str(get("cacheDir"), DEFAULTS.cacheDir),
  };
}

/** The server's `initializationOptions` (docs/server.md, "Settings"). */
export function initializationOptions(s: Settings): Record<string, unknown> {
  const o: Record<string, unknown> = { inlayHints: s.inlayHints, codeLens: s.codeLens, logLevel: s.logLevel };
  if (s.cacheDir.length > 0) o.cacheDir = s.cacheDir;
  return o;
}

/** Whether a change of these settings needs a restart of the server. */
export function needsRestart(before: Settings, after: Settings): boolean {
  return before.serverPath !== after.serverPath;
}

/** What the resolver may look at; tests pass fakes. */
export interface Environment {
  platform: NodeJS.Platform;
  /** The PATH variable. */
  pathVar: string | undefined;
  /** PATHEXT on Windows. */
  pathExt?: string;
  home: string;
  /** The first workspace folder, for relative setting values. */
  workspaceFolder?: string;
  /** The extension's folder: a bundled binary is `server/xwalk[.exe]` in it. */
  extensionPath: string;
  /** Whether `p` is an executable file. */
  isExecutable(p: string): boolean;
}

export type Resolution =
  | { ok: true; path: string; source: "setting" | "PATH" | "bundled" }
  | { ok: false; message: string; tried: string[] };

export function exeName(platform: NodeJS.Platform): string {
  return platform === "win32" ? "xwalk.exe" : "xwalk";
}

export function bundledPath(extensionPath: string, platform: NodeJS.Platform): string {
  return path.join(extensionPath, "server", exeName(platform));
}

function expandSetting(value: string, env: Environment): string {
  let p = value;
  if (p === "~" || p.startsWith("~/") || p.startsWith("~\\")) p = path.join(env.home, p.slice(1));
  if (env.workspaceFolder) p = p.replace(/\$\{workspaceFolder\}/g, env.workspaceFolder);
  if (!path.isAbsolute(p) && env.workspaceFolder) p = path.join(env.workspaceFolder, p);
  return p;
}

/** Every candidate for `name` on PATH, in order. */
export function pathCandidates(env: Environment): string[] {
  const sep = env.platform === "win32" ? ";" : ":";
  const dirs = (env.pathVar ?? "").split(sep).filter((d) => d.length > 0);
  const names =
    env.platform === "win32"
      ? (env.pathExt ?? ".EXE;.CMD;.BAT")
          .split(";")
          .filter((e) => e.length > 0)
          .map((e) => "xwalk" + e.toLowerCase())
      : ["xwalk"];
  const out: string[] = [];
  for (const d of dirs) for (const n of names) out.push(path.join(d, n));
  return out;
}

/**
 * Where the `xwalk` binary is: the `xwalk.server.path` setting when it is set
 * (and then only there: an explicit choice, such as a development build, and a
 * wrong setting is reported, not silently replaced), else the binary bundled
 * with a platform-specific extension (`server/xwalk[.exe]`, the version the
 * extension was released with), else the first `xwalk` on PATH (the universal
 * extension, which bundles none, with `pip install xwalk` or a release binary).
 */
export function resolveServer(settingValue: string, env: Environment): Resolution {
  if (settingValue.length > 0) {
    const p = expandSetting(settingValue, env);
    if (env.isExecutable(p)) return { ok: true, path: p, source: "setting" };
    return {
      ok: false,
      tried: [p],
      message:
        `Crosswalk: the xwalk binary set in "xwalk.server.path" was not found or is not executable: ${p}. ` +
        `Fix the setting, or clear it to use the bundled binary or xwalk from PATH.`,
    };
  }
  const b = bundledPath(env.extensionPath, env.platform);
  if (env.isExecutable(b)) return { ok: true, path: b, source: "bundled" };
  const tried = [b, ...pathCandidates(env)];
  for (const c of tried.slice(1)) if (env.isExecutable(c)) return { ok: true, path: c, source: "PATH" };
  return {
    ok: false,
    tried,
    message:
      "Crosswalk: the xwalk language server was not found: this extension has no bundled binary and xwalk is not on PATH. " +
      'Install it (pip install xwalk, or a release binary; see docs/install.md), install the extension for your platform, or set "xwalk.server.path" to the binary.',
  };
}

/** The real environment of this process. */
export function processEnvironment(extensionPath: string, workspaceFolder?: string): Environment {
  return {
    platform: process.platform,
    pathVar: process.env.PATH ?? process.env.Path,
    pathExt: process.env.PATHEXT,
    home: os.homedir(),
    workspaceFolder,
    extensionPath,
    isExecutable,
  };
}

export function isExecutable(p: string): boolean {
  try {
    const st = fs.statSync(p);
    if (!st.isFile()) return false;
    if (process.platform === "win32") return true;
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
