// Shared helpers for running the extension inside a real VS Code, offline: code-server 4.100.3
// (installed by scripts/install-test-host.mjs) serves the workbench, headless Chromium driven by
// playwright-core opens it. Recipe and its pitfalls: /work/shared/notes/vscode-test-host.md.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CODE_SERVER_VERSION = '4.100.3';
export const VSCODE_VERSION = '1.100.3';
export const HOST_DIR = path.join(ROOT, '.cache', 'code-server');
export const CODE_SERVER_PKG = path.join(HOST_DIR, 'node_modules', 'code-server');
export const CODE_SERVER_BIN = path.join(HOST_DIR, 'node_modules', '.bin', 'code-server');
export const STAMP_FILE = path.join(HOST_DIR, `.installed-${CODE_SERVER_VERSION}`);
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const ARTIFACTS_DIR = path.join(ROOT, 'test-artifacts');
export const EXAMPLES_DIR = path.join(ROOT, 'examples');
export const SECOND_ROOT_DIR = path.join(ROOT, 'test', 'fixtures', 'second-root');

/**
 * Temporary copies of the folders a test workbench opens (default: examples/ and the second
 * root), so nothing a test types, saves or exports can reach the repository's own files (a UI
 * test once typed into examples/simple-mlp.ts and the web workbench autosaved it). Each copy keeps
 * its folder's name (workspace folder names are checked). Returns { dir, folders, remove() }.
 */
export function workspaceCopy(folders = [EXAMPLES_DIR, SECOND_ROOT_DIR]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modellens-workspace-'));
  const copies = folders.map((from) => {
    const to = path.join(dir, path.basename(from));
    fs.cpSync(from, to, { recursive: true });
    return to;
  });
  return { dir, folders: copies, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function hostInstalled() {
  return fs.existsSync(STAMP_FILE) && fs.existsSync(CODE_SERVER_BIN);
}

export function requireHost() {
  if (!hostInstalled()) {
    throw new Error(`code-server ${CODE_SERVER_VERSION} is not installed in ${HOST_DIR}: run \`npm run test:host-install\` first`);
  }
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: run \`npm run test:host-install\` first`);
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// Servers still running when this process dies get their whole process group killed.
const liveServers = new Set();
function killGroup(pid, signal) {
  try { process.kill(-pid, signal); return true; } catch { return false; }
}
process.on('exit', () => { for (const pid of liveServers) killGroup(pid, 'SIGKILL'); });
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(sig, () => {
    for (const pid of liveServers) killGroup(pid, 'SIGKILL');
    process.exit(128 + (os.constants.signals[sig] ?? 1));
  });
}

const DEFAULT_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'workbench.startupEditor': 'none',
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'typescript.disableAutomaticTypeAcquisition': true,
  'typescript.surveys.enabled': false,
  'window.restoreWindows': 'none',
  // Edits made by a test stay in the editor: nothing is written back, even to the temp copies.
  'files.autoSave': 'off',
  'files.hotExit': 'off',
};

/**
 * Workspace trust on, as a user has it: folders are untrusted until trusted. The startup prompt
 * (a modal dialog a test could not answer) is off; the folder then stays untrusted.
 */
const TRUST_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.emptyWindow': false,
  'security.workspace.trust.untrustedFiles': 'open',
};

/**
 * Starts code-server on a free loopback port with a fresh temp user-data dir.
 * `env` is passed to the server, and through it to the extension host (e.g. MODELLENS_TEST_RESULTS).
 * `workspaceTrust: true` runs with workspace trust on (no `--disable-workspace-trust`, the
 * `security.workspace.trust.*` settings on, never prompting): a folder nobody trusted opens in
 * Restricted Mode, as a freshly cloned repository does.
 * `extensions`: extension folders installed (copied) into the server's extensions dir before it
 * starts, as a user's Marketplace installs are (a second extensionDevelopmentPath is not loaded:
 * code-server keeps only the last one).
 * Returns { port, origin, tmpDir, output(), stop() }; stop() kills the process group and removes tmpDir.
 */
export async function startCodeServer({ env = {}, settings = {}, workspaceTrust = false, extensions = [], readyTimeoutMs = 180_000 } = {}) {
  requireHost();
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modellens-vscode-'));
  const userData = path.join(tmpDir, 'user-data');
  // Without user-data the server fails with "Could not create socket ... ipc.sock".
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(path.join(tmpDir, 'ext'), { recursive: true });
  for (const dir of extensions) {
    const { publisher, name, version } = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    fs.cpSync(dir, path.join(tmpDir, 'ext', `${publisher}.${name}-${version}`), { recursive: true });
  }
  const trust = workspaceTrust ? TRUST_SETTINGS : {};
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, ...trust, ...settings }, null, 2));
  const port = await freePort();
  const args = [
    '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--user-data-dir', userData, '--extensions-dir', path.join(tmpDir, 'ext'),
    '--disable-telemetry', '--disable-update-check',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override', '--ignore-last-opened',
  ];
  const child = spawn(CODE_SERVER_BIN, args, {
    cwd: ROOT,
    detached: true, // own process group, so stop() reaches its children too
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      XDG_CONFIG_HOME: path.join(tmpDir, 'config'),
      XDG_DATA_HOME: path.join(tmpDir, 'data'),
      XDG_CACHE_HOME: path.join(tmpDir, 'cache'), // @vscode/deviceid writes here, not into ~/.cache
      ...env,
    },
  });
  liveServers.add(child.pid);
  let out = '';
  let exited = null;
  // Ready is an event: the line code-server prints once it listens (or its exit).
  let ready = false;
  let wake = () => {};
  const onData = (d) => {
    out += d.toString();
    if (!ready && out.includes('HTTP server listening on')) { ready = true; wake(); }
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exitPromise = new Promise((resolve) => child.on('exit', (code, signal) => { exited = { code, signal }; liveServers.delete(child.pid); resolve(); wake(); }));

  const stop = async () => {
    if (exited) { fs.rmSync(tmpDir, { recursive: true, force: true }); return; }
    killGroup(child.pid, 'SIGTERM');
    // Unref'd timers: a pending grace timer must not keep this process alive after the exit.
    const killed = await Promise.race([exitPromise.then(() => true), sleepUnref(5000).then(() => false)]);
    if (!killed) { killGroup(child.pid, 'SIGKILL'); await Promise.race([exitPromise, sleepUnref(2000)]); }
    // The group may outlive its leader: make sure nothing is left.
    killGroup(child.pid, 'SIGKILL');
    liveServers.delete(child.pid);
    fs.rmSync(tmpDir, { recursive: true, force: true });
  };

  const started = Date.now();
  if (!ready && !exited) {
    let backstop;
    await new Promise((resolve) => { wake = resolve; backstop = setTimeout(resolve, readyTimeoutMs); });
    clearTimeout(backstop);
  }
  if (!ready) {
    await stop();
    if (exited) throw new Error(`code-server exited before it was ready (${exited.code ?? exited.signal}):\n${out}`);
    throw new Error(`code-server was not ready after ${readyTimeoutMs} ms:\n${out}`);
  }
  return { port, origin: `http://127.0.0.1:${port}`, tmpDir, readyMs: Date.now() - started, output: () => out, stop };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const sleepUnref = (ms) => new Promise((r) => setTimeout(r, ms).unref());

/** A vscode-remote URI for a path on the server; its authority must match the page's host:port. */
export function remoteUri(port, absPath) {
  const p = absPath.split(path.sep).map(encodeURIComponent).join('/');
  return `vscode-remote://127.0.0.1:${port}${p}`;
}

/** The workbench URL: `folder` or `workspace` (a .code-workspace file) opened, `payload` (array of [key, value] pairs) for dev/test mode. */
export function workbenchUrl(port, { folder, workspace, payload } = {}) {
  const q = [];
  if (folder) q.push(`folder=${encodeURIComponent(folder)}`);
  if (workspace) q.push(`workspace=${encodeURIComponent(workspace)}`);
  if (payload) q.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return `http://127.0.0.1:${port}/${q.length ? `?${q.join('&')}` : ''}`;
}

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

export async function launchBrowser() {
  requireHost();
  const { chromium } = await import('playwright-core');
  // Chromium's own config/cache (dconf, ...) go to a temp dir removed when the browser closes.
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'modellens-chromium-'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    env: { ...process.env, XDG_CONFIG_HOME: path.join(home, 'config'), XDG_CACHE_HOME: path.join(home, 'cache') },
  });
  browser.on('disconnected', () => fs.rmSync(home, { recursive: true, force: true }));
  return browser;
}

/**
 * Turns a workbench console message into plain text. Extension-host logs arrive shaped
 * `'%c INFO', css, fmt, ...args`: drop the `%c` markers and their css arguments.
 */
export async function consoleText(msg) {
  let args;
  try { args = await Promise.all(msg.args().map((a) => a.jsonValue().catch(() => String(a)))); } catch { args = null; }
  if (!args || args.length === 0) return msg.text();
  const parts = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (typeof a === 'string' && a.includes('%c')) {
      const n = (a.match(/%c/g) ?? []).length;
      parts.push(a.replace(/%c/g, '').trim());
      i += n; // skip the css arguments
    } else {
      parts.push(typeof a === 'string' ? a : JSON.stringify(a));
    }
  }
  return parts.filter(Boolean).join(' ');
}

export function ensureDir(dir) {
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Reads the results JSON written by test/integration/index.ts; null when missing. */
export function readTestResults(file) {
  if (!fs.existsSync(file)) return null;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`unreadable results file ${file}: ${e.message}`);
  }
}

/**
 * Prints every test that did not pass (pending counts as failed: no skipping) and the final
 * `<label>: N passed, N failed` line. Returns { passed, failed }.
 */
export function printTestResults(label, results) {
  for (const t of results.tests.filter((x) => x.state !== 'passed')) {
    console.log(`\n  ${t.state.toUpperCase()}: ${t.title}${t.error ? `\n    ${t.error.split('\n').join('\n    ')}` : ''}`);
  }
  if (results.error) console.log(`\n  RUN ERROR: ${results.error}`);
  const failed = results.failed + results.pending + (results.error ? 1 : 0);
  console.log(`${label}: ${results.passed} passed, ${failed} failed`);
  return { passed: results.passed, failed };
}
