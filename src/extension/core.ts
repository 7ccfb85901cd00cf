import * as path from 'path';
import type * as CoreApi from './coreApi';

export type Core = typeof CoreApi;

let loaded: Core | undefined;

/**
 * The analyzer, loaded on first use. In the bundle, dist/coreApi.js sits next to dist/extension.js;
 * the computed path keeps esbuild from inlining it into the activation bundle.
 */
export function core(): Core {
  if (!loaded) {
    const file = path.join(__dirname, 'coreApi.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require(file) as Core;
  }
  return loaded;
}
