import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { HARMLESS_SETTINGS, RESTRICTED_SETTINGS } from '../../src/extension/restricted';

/**
 * Restricted Mode: every setting that loosens a limit is declared restricted in package.json, so
 * an untrusted workspace's `.vscode/settings.json` can't raise it. A new setting fails here until
 * it is classified (restricted.ts) as loosening a limit or as harmless.
 */

const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8'));

describe('untrusted workspaces', () => {
  const declared = Object.keys(pkg.contributes.configuration.properties).map((k) => k.replace(/^modellens\./, ''));
  const untrusted = pkg.capabilities.untrustedWorkspaces;

  it('supports untrusted workspaces in a limited way, and says how', () => {
    assert.strictEqual(untrusted.supported, 'limited');
    assert.match(untrusted.description, /Restricted Mode/);
  });

  it('lists every limit-loosening setting under restrictedConfigurations, and only declared ones', () => {
    assert.deepStrictEqual([...untrusted.restrictedConfigurations].sort(), RESTRICTED_SETTINGS.map((k) => `modellens.${k}`).sort());
    for (const k of RESTRICTED_SETTINGS) assert.ok(declared.includes(k), `modellens.${k} is restricted but not declared`);
    for (const k of ['maxFileSizeKB', 'forwardPass.confirmAboveMB', 'forwardPass.timeoutSeconds', 'forwardPass.backend']) {
      assert.ok((RESTRICTED_SETTINGS as readonly string[]).includes(k), `modellens.${k} loosens a limit`);
    }
  });

  it('classifies every declared setting as restricted or harmless', () => {
    const known = new Set<string>([...RESTRICTED_SETTINGS, ...HARMLESS_SETTINGS]);
    const unclassified = declared.filter((k) => !known.has(k));
    assert.deepStrictEqual(unclassified, [], 'classify these in src/extension/restricted.ts (and list the restricted ones in package.json)');
    for (const k of HARMLESS_SETTINGS) assert.ok(declared.includes(k), `modellens.${k} is not declared`);
  });

  it('documents every restricted setting and Restricted Mode in docs/extension.md', () => {
    const docs = fs.readFileSync(path.resolve(__dirname, '../../../docs/extension.md'), 'utf8');
    for (const k of RESTRICTED_SETTINGS) {
      assert.ok(docs.includes(`modellens.${k}`), `docs/extension.md does not document modellens.${k}`);
    }
    assert.match(docs, /Restricted Mode/);
  });
});
