#!/usr/bin/env node
// Runs the mocha integration suites (out/test/integration/index.js) inside a real VS Code extension
// host, offline: code-server serves VS Code 1.100.3, headless Chromium opens the workbench in
// extension-test mode, and the workbench calls `codeAutomationExit` when `run()` settles.
// Builds nothing: expects `tsc` output in out/ and the bundle in dist/.
//
// `--restricted`: the Restricted Mode suites instead (out/test/restricted/index.js), with workspace
// trust on and one untrusted folder (a temp copy of examples/) whose .vscode/settings.json raises
// every limit ModelLens declares restricted; a user setting shows that user values still count.
// The result line then reads `restricted: N passed, N failed`. A stand-in for the Python extension
// and Pylance (test/fixtures/fake-python-extension: its own CodeLens, hover, diagnostics, code actions, commands
// and menus for python) is installed into the test host's extensions dir beside ModelLens: the
// test host is offline, with no Marketplace to install the real ones from.
//
// Env: MODELLENS_INTEGRATION_TIMEOUT_MS (default 1200000, a backstop for a hung run), MODELLENS_TEST_VERBOSE=1 to echo the
// workbench console.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ROOT, ARTIFACTS_DIR, EXAMPLES_DIR, workspaceCopy, startCodeServer, launchBrowser, remoteUri, workbenchUrl, consoleText, ensureDir,
  readTestResults, printTestResults,
} from './vscode-host.mjs';

const TIMEOUT_MS = Number(process.env.MODELLENS_INTEGRATION_TIMEOUT_MS ?? 1_200_000);
const VERBOSE = process.env.MODELLENS_TEST_VERBOSE === '1';
const RESTRICTED = process.argv.includes('--restricted');
const LABEL = RESTRICTED ? 'restricted' : 'integration';
const TESTS_ENTRY = path.join(ROOT, 'out', 'test', RESTRICTED ? 'restricted' : 'integration', 'index.js');

/**
 * What a cloned repository's .vscode/settings.json could do to loosen every restricted limit
 * (src/extension/restricted.ts): each far above its default. test/restricted checks none counts.
 */
const UNTRUSTED_WORKSPACE_SETTINGS = {
  'modellens.maxFileSizeKB': 4_194_304,
  'modellens.forwardPass.confirmAboveMB': 1_048_576,
  'modellens.forwardPass.timeoutSeconds': 86_400,
  'modellens.forwardPass.backend': 'cpu',
};
/** A user (not workspace) value of a restricted setting: it must still apply in Restricted Mode. */
const USER_SETTINGS = { 'modellens.forwardPass.timeoutSeconds': 45 };
const NO_HOST = 'No extension host found';
/** The Python extension's stand-in, loaded beside ModelLens in the restricted run (test/restricted/python.test.ts). */
const FAKE_PYTHON_EXTENSION = path.join(ROOT, 'test', 'fixtures', 'fake-python-extension');

function fail(msg) {
  console.error(`${LABEL}: ${msg}`);
  console.log(`${LABEL}: 0 passed, 1 failed`);
  process.exit(1);
}

async function main() {
  const t0 = Date.now();
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const mainFile = path.join(ROOT, manifest.main ?? 'dist/extension.js');
  if (!fs.existsSync(TESTS_ENTRY)) fail(`${path.relative(ROOT, TESTS_ENTRY)} is missing: compile with \`npx tsc -p .\` first`);
  if (!fs.existsSync(mainFile)) fail(`${path.relative(ROOT, mainFile)} (package.json "main") is missing: run \`npm run build\` first`);

  let server;
  let browser;
  const log = [];
  const cleanup = [];
  try {
    // Written to a private temp dir (no stale file from an earlier run), then copied to test-artifacts/.
    const resultsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modellens-results-'));
    const resultsFile = path.join(resultsDir, 'results.json');
    cleanup.push(() => fs.rmSync(resultsDir, { recursive: true, force: true }));
    // The extension host inherits the server's environment: that is how the tests entry learns the path.
    server = await startCodeServer({
      env: { MODELLENS_TEST_RESULTS: resultsFile },
      ...(RESTRICTED ? { workspaceTrust: true, settings: USER_SETTINGS, extensions: [FAKE_PYTHON_EXTENSION] } : {}),
    });
    console.log(`${LABEL}: code-server on ${server.origin} ready in ${server.readyMs} ms`);
    browser = await launchBrowser();
    const page = await browser.newPage();

    // The run ends with an event: the workbench calls codeAutomationExit, or says it found no host.
    let noHost = false;
    let ended;
    const end = new Promise((resolve) => { ended = resolve; });
    page.on('console', async (msg) => {
      const text = await consoleText(msg);
      log.push(text);
      if (text.includes(NO_HOST)) { noHost = true; ended(); }
      if (VERBOSE) console.log(`  [page] ${text}`);
    });
    page.on('pageerror', (err) => log.push(`pageerror: ${err.message}`));

    let exitCode;
    await page.exposeFunction('codeAutomationExit', (code) => { exitCode = code; ended(); });

    // Both URIs must be vscode-remote with the page's own host:port; a file:// tests path never runs.
    const payload = [
      ['extensionDevelopmentPath', remoteUri(server.port, ROOT)],
      ['extensionTestsPath', remoteUri(server.port, TESTS_ENTRY)],
    ];
    const opened = Date.now();
    // A multi-root workspace (examples/ first, a second folder after it): every suite runs the
    // way a multi-root user works, and test/integration/multiRoot.test.ts checks the second root.
    // Both are temp copies (the repository's own files are never opened for editing).
    // Restricted Mode: one folder, untrusted, whose own settings raise every restricted limit.
    const copy = workspaceCopy(RESTRICTED ? [EXAMPLES_DIR] : undefined);
    cleanup.push(copy.remove);
    if (RESTRICTED) {
      const vscodeDir = ensureDir(path.join(copy.folders[0], '.vscode'));
      fs.writeFileSync(path.join(vscodeDir, 'settings.json'), JSON.stringify(UNTRUSTED_WORKSPACE_SETTINGS, null, 2));
      await page.goto(workbenchUrl(server.port, { folder: copy.folders[0], payload }));
    } else {
      const workspaceFile = path.join(resultsDir, 'modellens-tests.code-workspace');
      fs.writeFileSync(workspaceFile, JSON.stringify({ folders: copy.folders.map((p) => ({ path: p })) }));
      await page.goto(workbenchUrl(server.port, { workspace: workspaceFile, payload }));
    }

    // TIMEOUT_MS is a backstop for a hung run, not a speed target.
    let backstop;
    await Promise.race([end, new Promise((r) => { backstop = setTimeout(r, TIMEOUT_MS); })]);
    clearTimeout(backstop);
    const tail = () => log.slice(-40).map((l) => `  | ${l}`).join('\n');
    if (noHost) throw new Error(`"${NO_HOST} that can launch the test runner": the tests path was not accepted\n${tail()}`);
    if (exitCode === undefined) throw new Error(`timed out after ${TIMEOUT_MS} ms waiting for the test run to finish\n${tail()}`);
    console.log(`${LABEL}: extension host finished with code ${exitCode} in ${((Date.now() - opened) / 1000).toFixed(1)} s`);

    const results = readTestResults(resultsFile);
    if (!results) throw new Error(`no results file was written (${resultsFile})\n${tail()}`);
    const kept = path.join(ensureDir(path.join(ARTIFACTS_DIR, LABEL)), 'results.json');
    fs.copyFileSync(resultsFile, kept);
    console.log(`${LABEL}: results in ${path.relative(ROOT, kept)}; total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const { failed } = printTestResults(LABEL, results);
    if (failed > 0 || results.passed === 0 || exitCode !== 0) {
      if (results.passed === 0 && failed === 0) console.error(`${LABEL}: nothing ran`);
      if (exitCode !== 0 && failed === 0) console.error(`${LABEL}: extension host reported exit code ${exitCode}\n${tail()}`);
      process.exitCode = 1;
    }
  } catch (e) {
    console.error(`${LABEL}: ${e.message}`);
    if (server && !VERBOSE) console.error(`  server output (tail):\n${server.output().split('\n').slice(-15).join('\n')}`);
    console.log(`${LABEL}: 0 passed, 1 failed`);
    process.exitCode = 1;
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server) await server.stop();
    for (const f of cleanup) f();
  }
}

await main();
