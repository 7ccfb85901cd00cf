// Tests entry for the extension host (the @vscode/test-electron / code-server `extensionTestsPath`
// shape): `run()` runs mocha over out/test/integration/**/*.test.js inside VS Code, so the suites
// can use the real `vscode` API. Results go to the JSON file named by MODELLENS_TEST_RESULTS,
// because the host's console only reaches the runner indirectly (the page console in the browser).
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export interface TestRecord {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export interface TestResults {
  passed: number;
  failed: number;
  pending: number;
  tests: TestRecord[];
  durationMs: number;
  /** Set when run() itself failed (no test files, load error): the runner must fail. */
  error?: string;
}

function findTestFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.js'))
    .map((f) => path.join(dir, f))
    .sort();
}

function writeResults(results: TestResults): void {
  const file = process.env.MODELLENS_TEST_RESULTS;
  if (!file) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(results, null, 2));
}

function errorText(err: unknown): string {
  if (err instanceof Error) return err.stack ?? `${err.name}: ${err.message}`;
  return String(err);
}

/** Runs every suite under out/test/integration (the default entry, examples/ open). */
export function run(): Promise<void> {
  return runSuites(__dirname, 'integration');
}

/** Runs mocha over the *.test.js files under `dir` (test/restricted reuses this with its own folder). */
export function runSuites(dir: string, what: string): Promise<void> {
  const started = Date.now();
  const results: TestResults = { passed: 0, failed: 0, pending: 0, tests: [], durationMs: 0 };
  const finish = (error?: unknown): void => {
    results.durationMs = Date.now() - started;
    if (error !== undefined) results.error = errorText(error);
    writeResults(results);
  };

  return new Promise<void>((resolve, reject) => {
    try {
      const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 180_000, reporter: 'spec' });
      // MODELLENS_TEST_FILES=escape,hover runs only those suites (by file name), when working on them.
      const only = process.env.MODELLENS_TEST_FILES?.split(',').filter(Boolean);
      const files = findTestFiles(dir).filter((f) => !only || only.some((o) => path.basename(f) === `${o}.test.js`));
      if (files.length === 0) throw new Error(`no *.test.js files under ${dir}: was the project compiled (tsc)?`);
      for (const f of files) mocha.addFile(f);

      const runner = mocha.run((failures) => {
        finish();
        if (failures > 0) reject(new Error(`${failures} ${what} test(s) failed`));
        else if (results.passed === 0) reject(new Error(`no ${what} tests ran`));
        else resolve();
      });
      runner.on('pass', (t: Mocha.Test) => {
        results.passed++;
        results.tests.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration });
      });
      // Also fires for failing hooks, which count as failures.
      runner.on('fail', (t: Mocha.Runnable, err: unknown) => {
        results.failed++;
        results.tests.push({ title: t.fullTitle(), state: 'failed', durationMs: t.duration, error: errorText(err) });
      });
      runner.on('pending', (t: Mocha.Test) => {
        results.pending++;
        results.tests.push({ title: t.fullTitle(), state: 'pending' });
      });
    } catch (e) {
      finish(e);
      reject(e);
    }
  });
}
