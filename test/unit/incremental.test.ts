import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeSource, clearAnalysisCache } from '../../src/core/analyze';
import { clearParseCache } from '../../src/core/lang/ts/parseCache';
import { makeRng } from '../../scripts/generate-models';

/**
 * Re-analysis after an edit reuses the previous syntax tree (incremental parse). Whatever it
 * reuses, the answer must be the one a cold analysis of the same text gives.
 */

const EXAMPLES = path.resolve(__dirname, '../../../examples');

const EDITS = ['516', '256', ' ', '\n', '// note\n', 'x', ')', '{', ', 4', 'new nn.ReLU()'];

describe('incremental re-analysis equals cold analysis', () => {
  for (const f of fs.readdirSync(EXAMPLES).filter((n) => n.endsWith('.ts') && !n.endsWith('.d.ts'))) {
    it(f, () => {
      const file = path.join(EXAMPLES, f);
      let text = fs.readFileSync(file, 'utf8');
      const rand = makeRng(f.length * 7919);
      const virtual = '/virtual/' + f; // imports resolve against missing files: the same for both runs
      for (let i = 0; i < 25; i++) {
        const at = Math.floor(rand() * text.length);
        const del = Math.floor(rand() * 4);
        text = text.slice(0, at) + EDITS[Math.floor(rand() * EDITS.length)] + text.slice(at + del);
        const warm = JSON.stringify(analyzeSource(virtual, text));
        clearAnalysisCache();
        clearParseCache();
        const cold = JSON.stringify(analyzeSource(virtual, text));
        assert.strictEqual(warm, cold, `edit ${i} at ${at}`);
      }
    });
  }
});
