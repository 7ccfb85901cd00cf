#!/usr/bin/env node
// The same integration suites (out/test/integration/index.js) in desktop VS Code through
// @vscode/test-electron, for machines with internet access (it downloads VS Code) and a display
// (on a headless Linux box: `xvfb-run -a npm run test:electron`). Offline CI uses
// scripts/run-integration.mjs instead; here a failed download is a failed run, never a pass.
//
// Env: MODELLENS_VSCODE_VERSION (default 1.100.3, the release inside code-server 4.100.3, so both
// runners test the same VS Code; 'stable' for the latest).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, ARTIFACTS_DIR, VSCODE_VERSION, ensureDir, readTestResults, printTestResults, workspaceCopy } from './vscode-host.mjs';

const TESTS_ENTRY = path.join(ROOT, 'out', 'test', 'integration', 'index.js');

function fail(msg) {
  console.error(`electron: ${msg}`);
  console.log('electron: 0 passed, 1 failed');
  process.exit(1);
}

async function main() {
  const t0 = Date.now();
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  if (!fs.existsSync(TESTS_ENTRY)) fail(`${path.relative(ROOT, TESTS_ENTRY)} is missing: compile with \`npx tsc -p .\` first`);
  if (!fs.existsSync(path.join(ROOT, manifest.main))) fail(`${manifest.main} (package.json "main") is missing: run \`npm run build\` first`);

  let testElectron;
  try {
    testElectron = await import('@vscode/test-electron');
  } catch (e) {
    fail(`cannot load @vscode/test-electron (npm install): ${e.message}`);
  }
  const version = process.env.MODELLENS_VSCODE_VERSION ?? VSCODE_VERSION;
  // Downloads go under the git-ignored .cache/ instead of the default ./.vscode-test.
  const cachePath = path.join(ROOT, '.cache', 'vscode-test');

  let vscodeExecutablePath;
  try {
    vscodeExecutablePath = await testElectron.downloadAndUnzipVSCode({ version, cachePath, timeout: 30_000 });
  } catch (e) {
    fail(`could not download VS Code ${version} (this runner needs internet access; offline, use \`npm run test:integration\`): ${e?.message ?? e}`);
  }

  const resultsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modellens-electron-'));
  const resultsFile = path.join(resultsDir, 'results.json');
  // Temp copies of the workspace folders and a temp profile with autosave off: nothing a test
  // edits reaches the repository.
  const copy = workspaceCopy();
  const workspaceFile = path.join(resultsDir, 'modellens-tests.code-workspace');
  fs.writeFileSync(workspaceFile, JSON.stringify({ folders: copy.folders.map((p) => ({ path: p })) }));
  const userData = path.join(resultsDir, 'user-data');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({ 'files.autoSave': 'off', 'files.hotExit': 'off', 'security.workspace.trust.enabled': false }));
  let exitCode;
  try {
    exitCode = await testElectron.runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: TESTS_ENTRY,
      extensionTestsEnv: { MODELLENS_TEST_RESULTS: resultsFile },
      launchArgs: [workspaceFile, '--user-data-dir', userData, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', '--disable-telemetry'],
    });
  } catch (e) {
    // runTests rejects when VS Code exits non-zero (a failing test) or cannot start.
    exitCode = e?.code ?? 1;
    console.error(`electron: VS Code test run failed: ${e?.message ?? e}`);
    if (process.platform === 'linux' && !process.env.DISPLAY) console.error('electron: no DISPLAY: run under `xvfb-run -a`');
  }

  const results = readTestResults(resultsFile);
  fs.rmSync(resultsDir, { recursive: true, force: true });
  copy.remove();
  if (!results) fail(`no results file was written (VS Code exit code ${exitCode})`);
  fs.writeFileSync(path.join(ensureDir(path.join(ARTIFACTS_DIR, 'electron')), 'results.json'), JSON.stringify(results, null, 2));
  console.log(`electron: VS Code ${version}, exit code ${exitCode}, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const { passed, failed } = printTestResults('electron', results);
  if (failed > 0 || passed === 0 || exitCode !== 0) process.exitCode = 1;
}

await main();
