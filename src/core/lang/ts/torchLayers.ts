// `import = require` keeps the bundle from wrapping the module in per-property getters (hot in switches).
import ts = require('typescript');
// typescript.js exports through getters: read the hot ones once.
const { isObjectLiteralExpression } = ts;
import type { ArgValue } from '../../args';
import { bindTorch, takesRest } from '../../catalog/bind';
import type { LayerEntry } from '../../catalog/types';
import { ConfigError } from '../../unknown';
import type { Interp } from './interp';
import { LayerInstance, UnknownLayer, Value, isPlainObjectValue, ModuleInstance, existsOnlyIf } from '../../framework/values';
import { registerName } from '../../framework/moduleApi';

/**
 * `new nn.Conv2d(3, 16, 3, { stride: 2 })`: binds PyTorch's positional order, then the trailing
 * object literal as keyword arguments, and remembers which node gave which argument (for quick fixes).
 */
export function makeTorchLayer(interp: Interp, entry: LayerEntry, argNodes: readonly ts.Expression[], args: Value[], node: ts.NewExpression): LayerInstance | UnknownLayer {
  const hasRest = takesRest(entry);
  let positional = args;
  let kwargs: Record<string, ArgValue> | undefined;
  // `nn.Sequential(OrderedDict([('conv', …), ('relu', …)]))`, in TypeScript an object literal of
  // named children: the children in order, named by their keys.
  let childNames: string[] | undefined;
  if (entry.container === 'sequential' && args.length === 1 && isObjectLiteralExpression(argNodes[0]) && isPlainObjectValue(args[0])) {
    childNames = Object.keys(args[0]);
    positional = Object.values(args[0]);
  }
  const last = argNodes[argNodes.length - 1];
  if (!hasRest && last && isObjectLiteralExpression(last) && isPlainObjectValue(args[args.length - 1])) {
    kwargs = args[args.length - 1] as Record<string, ArgValue>;
    positional = args.slice(0, -1);
  }
  try {
    const bound = bindTorch(entry, positional as ArgValue[], kwargs);
    const layer = new LayerInstance(entry, bound, node, interp.file.site(node), argNodes, kwargs ? last : undefined);
    if (interp.branchCondition) layer.conditional = existsOnlyIf(interp.branchCondition);
    layer.childNames = childNames;
    // A composite (TransformerEncoder) is PyTorch's module from the start, as in PyTorch: loops
    // over modules() and writes to its submodules reach them before forward runs.
    if (entry.expand) layer.expanded = interp.expandLayer(layer);
    if (entry.container === 'sequential' || entry.container === 'modulelist') {
      // PyTorch names container children by position: `features.0`, `features.1`.
      const children = bound.raw('modules');
      if (Array.isArray(children)) {
        children.forEach((c, k) => {
          registerName(c as Value, childNames?.[k] ?? String(k));
          if ((c instanceof LayerInstance || c instanceof UnknownLayer || c instanceof ModuleInstance) && !c.owner) c.owner = layer;
        });
      }
    }
    return layer;
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    interp.report(node, 'error', e.message, 'config');
    const u = new UnknownLayer(entry.type, 'torch', node, interp.file.site(node));
    u.reason = e.message;
    return u;
  }
}
