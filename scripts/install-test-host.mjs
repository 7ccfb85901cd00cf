#!/usr/bin/env node
// Installs the offline VS Code test host: code-server 4.100.3 (VS Code 1.100.3 server, the last
// release built for Node 20) from npm into the git-ignored .cache/code-server/, plus the Debian
// packages it and the Playwright driver need. Recipe: /work/shared/notes/vscode-test-host.md.
//
// Idempotent: a stamp file written after a verified install makes later runs a fast no-op.
// Every failure exits non-zero with a message naming the step that broke.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CODE_SERVER_VERSION, VSCODE_VERSION, HOST_DIR, CODE_SERVER_PKG, CODE_SERVER_BIN, STAMP_FILE,
  CHROMIUM_PATH, hostInstalled,
} from './vscode-host.mjs';
import { TEST_PACKAGES, aptEnsure } from './debian-packages.mjs';

const t0 = Date.now();
const secs = (from) => `${((Date.now() - from) / 1000).toFixed(1)} s`;
const log = (msg) => console.log(`[test-host] ${msg}`);

class StepError extends Error {}

function run(step, cmd, args, opts = {}) {
  const started = Date.now();
  log(`${step}: ${cmd} ${args.join(' ')}${opts.cwd ? `   (in ${path.relative(process.cwd(), opts.cwd) || '.'})` : ''}`);
  const r = spawnSync(cmd, args, {
    stdio: opts.capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    encoding: 'utf8',
    ...opts,
    env: { ...process.env, ...opts.env },
  });
  if (r.error) throw new StepError(`${step} failed to start ${cmd}: ${r.error.message}`);
  if (r.status !== 0) {
    const out = opts.capture ? `\n${r.stdout}\n${r.stderr}` : '';
    throw new StepError(`${step} failed: \`${cmd} ${args.join(' ')}\` exited with ${r.status ?? r.signal}${out}`);
  }
  log(`${step}: done in ${secs(started)}`);
  return r;
}

function aptStep() {
  try {
    aptEnsure(TEST_PACKAGES, (m) => log(`apt: ${m}`));
  } catch (e) {
    throw new StepError(e.message);
  }
}

// Native builds need Node's headers; node-gyp would download them from nodejs.org, which CI
// can't reach. Point it at the running Node's own headers when they are installed.
function gypEnv() {
  const env = { npm_config_yes: 'true' };
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  if (fs.existsSync(path.join(prefix, 'include', 'node', 'node_version.h'))) env.npm_config_nodedir = prefix;
  else log(`node headers not found under ${prefix}/include/node: node-gyp will try to download them`);
  return env;
}

function install() {
  aptStep();
  for (const f of ['/usr/bin/rg', CHROMIUM_PATH]) {
    if (!fs.existsSync(f)) throw new StepError(`apt: ${f} is missing after installing its package`);
  }

  // A package.json of its own keeps npm from walking up and installing into the repo root.
  fs.mkdirSync(HOST_DIR, { recursive: true });
  fs.rmSync(STAMP_FILE, { force: true });
  fs.writeFileSync(path.join(HOST_DIR, 'package.json'),
    JSON.stringify({ name: 'modellens-test-host', private: true, description: 'git-ignored cache, see scripts/install-test-host.mjs' }, null, 2) + '\n');

  const npmQuiet = ['--no-audit', '--no-fund', '--loglevel=error'];
  // Its postinstall downloads ripgrep and a kerberos prebuild from GitHub: skip scripts, redo them below.
  run('npm install code-server', 'npm', ['install', '--ignore-scripts', '--save-exact', ...npmQuiet, `code-server@${CODE_SERVER_VERSION}`], { cwd: HOST_DIR });

  const vscodeDir = path.join(CODE_SERVER_PKG, 'lib', 'vscode');
  if (!fs.existsSync(path.join(vscodeDir, 'package.json'))) throw new StepError(`npm install code-server: ${vscodeDir} is missing`);
  run('lib/vscode npm install', 'npm', ['install', '--omit=dev', '--ignore-scripts', ...npmQuiet], { cwd: vscodeDir });

  // An existing bin/ makes @vscode/ripgrep's postinstall skip its download.
  const rgBin = path.join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin');
  fs.mkdirSync(rgBin, { recursive: true });
  fs.rmSync(path.join(rgBin, 'rg'), { force: true });
  fs.symlinkSync('/usr/bin/rg', path.join(rgBin, 'rg'));
  log('ripgrep: linked /usr/bin/rg');

  // node-pty runs `npx node-gyp`: npm_config_yes answers npx's install prompt.
  run('lib/vscode npm rebuild', 'npm', ['rebuild', ...npmQuiet], { cwd: vscodeDir, env: gypEnv() });

  const asar = path.join(vscodeDir, 'node_modules.asar');
  fs.rmSync(asar, { force: true, recursive: true });
  fs.symlinkSync('node_modules', asar);
  log('lib/vscode: linked node_modules.asar -> node_modules');

  run('lib/vscode/extensions npm install', 'npm', ['install', '--omit=dev', ...npmQuiet], { cwd: path.join(vscodeDir, 'extensions') });
  run('npm rebuild argon2', 'npm', ['rebuild', 'argon2', ...npmQuiet], { cwd: HOST_DIR, env: gypEnv() });
}

function verify() {
  // code-server writes a default config.yaml on every start: keep it out of the user's ~/.config.
  const xdg = fs.mkdtempSync(path.join(os.tmpdir(), 'modellens-host-verify-'));
  try {
    const r = run('verify', CODE_SERVER_BIN, ['--version'], {
      capture: true, env: { XDG_CONFIG_HOME: path.join(xdg, 'config'), XDG_DATA_HOME: path.join(xdg, 'data') },
    });
    const line = `${r.stdout}\n${r.stderr}`.split('\n').find((l) => l.startsWith(`${CODE_SERVER_VERSION} `));
    if (!line || !line.includes(`with Code ${VSCODE_VERSION}`)) {
      throw new StepError(`verify: expected "${CODE_SERVER_VERSION} ... with Code ${VSCODE_VERSION}", got:\n${r.stdout}${r.stderr}`);
    }
    log(`verify: code-server --version: ${line.trim()}`);
  } finally {
    fs.rmSync(xdg, { recursive: true, force: true });
  }
}

try {
  if (hostInstalled()) {
    log(`code-server ${CODE_SERVER_VERSION} already installed in ${path.relative(process.cwd(), HOST_DIR)} (${secs(t0)})`);
    process.exit(0);
  }
  install();
  verify();
  fs.writeFileSync(STAMP_FILE, JSON.stringify({ codeServer: CODE_SERVER_VERSION, vscode: VSCODE_VERSION, installedAt: new Date().toISOString() }) + '\n');
  log(`installed code-server ${CODE_SERVER_VERSION} in ${secs(t0)}`);
} catch (e) {
  console.error(`\n[test-host] INSTALL FAILED: ${e instanceof StepError ? e.message : e?.stack ?? e}`);
  console.error(`[test-host] after ${secs(t0)}; fix the cause and re-run \`npm run test:host-install\` (the partial install is reused).`);
  process.exit(1);
}
