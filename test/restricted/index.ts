// Tests entry for the Restricted Mode run (scripts/run-integration.mjs --restricted): the same
// runner as the integration suites, over the suites in this folder only.
import { runSuites } from '../integration/index';

export function run(): Promise<void> {
  return runSuites(__dirname, 'restricted');
}
