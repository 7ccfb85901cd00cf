export * from './types';
export { buildDiagramGraph, nodeId, groupId } from './build';
export { buildNeuronView, MAX_NEURON_LAYERS, MAX_DRAWN_UNITS, HEAD_UNITS, TAIL_UNITS } from './neurons';
export { visibleGraph, type VisibleGraph, type VisibleNode, type VisibleEdge, type CollapsedGroupNode } from './visible';
export { shapeText, paramsText } from './format';
export { parseDiagramMessage, MAX_EXPORT_CHARS, type ToDiagram, type FromDiagram, type ExportFormat, type DiagramBadge, type DiagramRendered } from './messages';
export { foldRepeats, repeatId } from './repeats';
export { defaultCollapsed, DEFAULT_VISIBLE_LIMIT } from './defaults';
