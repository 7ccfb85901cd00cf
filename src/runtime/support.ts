/**
 * Which layer kinds and ops the runtime can rebuild, without loading tfjs: the plan is checked
 * in the caller's thread so that a model that cannot be built is refused before a worker starts.
 * The builders (torchLayers.ts, torchOps.ts, tfjsLayers.ts) implement exactly these names.
 */

/** PyTorch-shaped layers, implemented with PyTorch's semantics as custom tfjs layers. */
export const TORCH_LAYERS = new Set([
  'Linear', 'Identity', 'Flatten', 'Unflatten', 'ZeroPad2d', 'Upsample',
  'Dropout', 'Dropout1d', 'Dropout2d', 'Dropout3d', 'AlphaDropout', 'FeatureAlphaDropout',
  'ReLU', 'LeakyReLU', 'ELU', 'GELU', 'SiLU', 'Sigmoid', 'Tanh', 'Softmax', 'LogSoftmax', 'Softplus', 'Hardtanh', 'Mish', 'Softmax2d', 'PReLU',
  'Conv1d', 'Conv2d', 'Conv3d', 'ConvTranspose1d', 'ConvTranspose2d',
  'MaxPool1d', 'MaxPool2d', 'MaxPool3d', 'AvgPool1d', 'AvgPool2d', 'AvgPool3d',
  'AdaptiveAvgPool1d', 'AdaptiveAvgPool2d', 'AdaptiveAvgPool3d', 'AdaptiveMaxPool1d', 'AdaptiveMaxPool2d', 'AdaptiveMaxPool3d',
  'BatchNorm1d', 'BatchNorm2d', 'BatchNorm3d', 'LayerNorm', 'GroupNorm',
  'Embedding', 'RNN', 'LSTM', 'GRU', 'MultiheadAttention', 'TransformerEncoderLayer', 'TransformerEncoder',
]);

/** Ops recorded from `forward` (tensor methods and torch./F. functions). */
export const TORCH_OPS = new Set([
  'add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'pow',
  'cat', 'concat', 'stack', 'view', 'reshape', 'flatten', 'permute', 'transpose', 't', 'squeeze', 'unsqueeze',
  'mean', 'sum', 'max', 'min', 'amax', 'amin', 'prod', 'std', 'var', 'logsumexp',
  'select', 'index', 'narrow', 'matmul',
  'relu', 'relu_', 'relu6', 'sigmoid', 'tanh', 'gelu', 'silu', 'mish', 'elu', 'selu', 'leaky_relu', 'leakyRelu', 'hardtanh', 'softplus',
  'softmax', 'log_softmax', 'logSoftmax', 'dropout', 'dropout2d', 'exp', 'log', 'abs', 'neg', 'sqrt', 'rsqrt', 'square', 'sign',
  'long', 'int',
  'max_pool1d', 'max_pool2d', 'avg_pool1d', 'avg_pool2d', 'adaptive_avg_pool1d', 'adaptive_avg_pool2d', 'adaptive_max_pool2d',
  'maxPool2d', 'avgPool2d', 'adaptiveAvgPool2d',
]);

/** The op name → the layer type whose semantics it shares (functional pooling): the analyzer's table. */
export { FUNCTIONAL_LAYERS } from '../core/framework/tensorOps';

/** tfjs classNames with no usable `tf.layers` factory in a forward pass. */
export const TFJS_UNSUPPORTED = new Map<string, string>([
  ['CenterCrop', 'tf.layers.centerCrop is an image preprocessing layer'],
  ['Resizing', "tfjs 4.22's Resizing reports a batched output as [height, width, inputShape[2]]: the model it builds disagrees with a forward pass"],
  ['RandomWidth', 'tf.layers.randomWidth picks a random width'],
  ['SimpleRNNCell', 'a cell applied on its own does not run in tfjs: wrap it in tf.layers.rnn'],
  ['LSTMCell', 'a cell applied on its own does not run in tfjs: wrap it in tf.layers.rnn'],
  ['GRUCell', 'a cell applied on its own does not run in tfjs: wrap it in tf.layers.rnn'],
  ['StackedRNNCells', 'cells applied on their own do not run in tfjs: wrap them in tf.layers.rnn'],
  ['ConvLSTM2DCell', 'a cell applied on its own does not run in tfjs: use tf.layers.convLstm2d'],
]);
