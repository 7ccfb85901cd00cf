/** The forward-pass runtime's public surface (no tfjs is loaded by importing this). */
export { runForwardPass, DEFAULT_CONFIRM_BYTES, DEFAULT_TIMEOUT_MS, defaultMaxBytes, formatBytes } from './runner';
export type { RunOptions } from './runner';
export { planFromSummary, estimateBytes, DEFAULT_BATCH } from './plan';
export { estimateMemory, type MemoryEstimate } from './memory';
export { ForwardPassError } from './types';
export type { ForwardResult, LayerRunStats, Finding, Plan } from './types';
export { formatForwardText } from './text';
