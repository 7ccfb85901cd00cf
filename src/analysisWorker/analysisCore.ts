/**
 * The analyzer as the analysis worker uses it: its own bundle (dist/analysisCore.js), which the
 * worker loads through its V8 code cache (codeCache.ts) like the TypeScript compiler, instead of
 * compiling it in every fresh worker. Under tsc (out/) it is this module, beside worker.js.
 */
export { analyzeSource } from '../core/analyze';
