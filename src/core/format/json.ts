import type { Diagnostic, FileSummary, LayerRow, ModelSummary } from '../summary';

/**
 * The public JSON contract (what `modellens --format json` prints and scripts read). The
 * documented keys come first, in a fixed order; extra fields follow. Unknown values are `null`,
 * never omitted, so consumers can rely on every key being present. Functional ops are graph
 * nodes, not layers: they go to `ops`.
 */

function diagnosticJson(d: Diagnostic): Record<string, unknown> {
  const out: Record<string, unknown> = { line: d.line, severity: d.severity, message: d.message };
  if (d.code !== undefined) out.code = d.code;
  if (d.start !== undefined) out.start = d.start;
  if (d.end !== undefined) out.end = d.end;
  return out;
}

function layerJson(r: LayerRow): Record<string, unknown> {
  return {
    name: r.name,
    type: r.type,
    line: r.line,
    depth: r.depth,
    container: r.container,
    outputShape: r.outputShape,
    params: r.params,
    // Extras.
    id: r.id,
    family: r.family,
    inputShapes: r.inputShapes,
    outputShapes: r.outputShapes ?? (r.outputShape === null ? [] : [r.outputShape]),
    totalParams: r.totalParams,
    trainableParams: r.trainableParams,
    nonTrainableParams: r.nonTrainableParams,
    multAdds: r.multAdds,
    formula: r.formula ?? null,
    unknownReason: r.unknownReason ?? null,
    parent: r.parent ?? null,
    inputs: r.inputs,
    inputOutputs: r.inputOutputs ?? r.inputs.map(() => 0),
    reused: r.reused ?? false,
    notCalled: r.notCalled ?? false,
    hyper: r.hyper ?? null,
    catalogKey: r.catalogKey ?? null,
    ...(r.cloned ? { cloned: true } : {}),
    ...(r.file ? { file: r.file } : {}),
    ...(r.args ? { args: r.args } : {}),
  };
}

function opJson(r: LayerRow): Record<string, unknown> {
  return {
    id: r.id,
    name: r.name,
    type: r.type,
    line: r.line,
    inputs: r.inputs,
    inputOutputs: r.inputOutputs ?? r.inputs.map(() => 0),
    inputShapes: r.inputShapes,
    outputShape: r.outputShape,
    unknownReason: r.unknownReason ?? null,
    ...(r.opArgs ? { args: r.opArgs } : {}),
  };
}

/** One model as a plain object with the contract's key order. */
export function modelJson(m: ModelSummary): Record<string, unknown> {
  return {
    name: m.name,
    line: m.line,
    inputShape: m.inputShape,
    totalParams: m.totalParams,
    trainableParams: m.trainableParams,
    nonTrainableParams: m.nonTrainableParams,
    outputShape: m.outputShape,
    layers: m.layers.filter((r) => !r.op).map(layerJson),
    diagnostics: m.diagnostics.map(diagnosticJson),
    // Extras.
    framework: m.framework,
    kind: m.kind,
    moduleType: m.moduleType ?? null,
    inputShapes: m.inputShapes,
    outputShapes: m.outputShapes,
    inputShapeSource: m.inputShapeSource,
    multAdds: m.multAdds,
    paramBytes: m.paramBytes,
    activationBytes: m.activationBytes,
    inputBytes: m.inputBytes,
    totalsUnknownReason: m.totalsUnknownReason ?? null,
    outputUnknownReason: m.outputUnknownReason ?? null,
    builtWith: m.builtWith ?? null,
    ops: m.layers.filter((r) => r.op).map(opJson),
  };
}

/** One model in the same envelope as a file, so every JSON output has one shape. */
export function formatJson(m: ModelSummary): string {
  return formatFileJson({ file: m.file, models: [m], diagnostics: [] });
}

/** The whole file: `{ file, models: [...], diagnostics }`. */
export function formatFileJson(file: FileSummary): string {
  const out = {
    file: file.file,
    models: file.models.map(modelJson),
    diagnostics: file.diagnostics.map(diagnosticJson),
  };
  return JSON.stringify(out, null, 2) + '\n';
}
