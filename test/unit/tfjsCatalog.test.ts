/**
 * The tfjs half of the layer catalog, checked against the real TensorFlow.js 4.22 at test time:
 * every case builds the real layer with `tf.layers[factory](config)`, applies it to symbolic
 * `tf.input({batchShape})` tensors (or, for `concrete` cases, to real zero tensors) and compares
 * its parameter counts and output shapes with the catalog entry's rules. No expected number is
 * typed in here; they all come from tfjs.
 */
import * as assert from 'assert';
import { ArgValue, LayerSpec } from '../../src/core/args';
import { bindTfjs } from '../../src/core/catalog/bind';
import { tfjsEntries } from '../../src/core/catalog/tfjs';
import type { LayerEntry } from '../../src/core/catalog/types';
import { Out, Shape, ShapeError, flattenOut, isTuple } from '../../src/core/shape';
import { ConfigError, Unknowable } from '../../src/core/unknown';
import { paramsWithoutInput } from '../../src/core/catalog/util';

// ---- the slice of the tfjs API the test uses (tfjs is loaded with require so that the test
// talks to the real package exactly as a user's code would) ----
interface TfTensorLike {
  shape: (number | null)[];
}
interface TfWeight {
  shape: number[];
}
interface TfLayer {
  apply(x: TfTensorLike | TfTensorLike[]): TfTensorLike | TfTensorLike[];
  countParams(): number;
  trainableWeights: TfWeight[];
  nonTrainableWeights: TfWeight[];
  getClassName(): string;
  getConfig(): Record<string, unknown>;
  inboundNodes: { outputTensors: TfTensorLike[] }[];
}
interface Tf {
  layers: Record<string, (config?: Record<string, unknown>) => TfLayer>;
  input(c: { batchShape: (number | null)[] }): TfTensorLike;
  zeros(shape: number[]): TfTensorLike;
  enableProdMode(): void;
  setBackend(name: string): Promise<boolean>;
}

// PROD mode silences tfjs's "install tfjs-node" banner (it is printed through backend_util.warn).
const tf = require('@tensorflow/tfjs') as Tf;
tf.enableProdMode();
void tf.setBackend('cpu');

// ---- the case table ----

/** A nested layer config (`bidirectional({layer: ...})`), built for both tfjs and the catalog. */
class Inner {
  constructor(
    readonly factory: string,
    readonly config: Record<string, unknown>,
  ) {}
}
const L = (factory: string, config: Record<string, unknown>): Inner => new Inner(factory, config);

interface Case {
  factory: string;
  config: Record<string, unknown>;
  inputs: Shape[];
  /** Compare with a real forward pass (batch 2) instead of tfjs's symbolic shape inference. */
  concrete?: boolean;
  /** tfjs reports a shape with no fixed size (randomWidth's -1): the catalog's output is Unknowable, its count tfjs's. */
  unknownShape?: boolean;
  /** tfjs rejects this; the catalog must throw this error class. */
  throws?: typeof ShapeError | typeof ConfigError;
}

const c = (factory: string, config: Record<string, unknown>, ...inputs: Shape[]): Case => ({ factory, config, inputs });
const concrete = (factory: string, config: Record<string, unknown>, ...inputs: Shape[]): Case => ({ factory, config, inputs, concrete: true });
const bad = (factory: string, config: Record<string, unknown>, ...inputs: Shape[]): Case => ({ factory, config, inputs, throws: ShapeError });

const CASES: Case[] = [
  // input
  c('inputLayer', { inputShape: [28, 28, 1] }),
  c('inputLayer', { batchInputShape: [4, 10] }),
  c('inputLayer', { inputShape: [null, 8] }),
  // dense
  c('dense', { units: 10 }, [null, 784]),
  c('dense', { units: 3, useBias: false }, [null, 5]),
  c('dense', { units: 4, activation: 'relu' }, [null, 6, 7]),
  bad('dense', { units: 3 }, [null]),
  // activations
  c('activation', { activation: 'relu' }, [null, 4, 5]),
  c('activation', { activation: 'softmax' }, [null, 10]),
  c('reLU', {}, [null, 3]),
  c('reLU', { maxValue: 6 }, [null, 2, 3]),
  c('leakyReLU', {}, [null, 8]),
  c('leakyReLU', { alpha: 0.1 }, [null, 4, 4, 2]),
  c('elu', {}, [null, 8]),
  { ...c('elu', { alpha: 0.5 }, [null, 2, 8]), throws: ConfigError },
  c('softmax', {}, [null, 10]),
  c('softmax', { axis: 1 }, [null, 3, 4]),
  c('thresholdedReLU', { theta: 0.5 }, [null, 6]),
  c('prelu', {}, [null, 3, 4]),
  c('prelu', { sharedAxes: [1, 2] }, [null, 5, 5, 3]),
  // dropout and noise
  c('dropout', { rate: 0.5 }, [null, 10]),
  c('dropout', { rate: 0.2 }, [null, 4, 4, 3]),
  c('spatialDropout1d', { rate: 0.2 }, [null, 5, 2]),
  bad('spatialDropout1d', { rate: 0.2 }, [null, 5]),
  c('gaussianDropout', { rate: 0.1 }, [null, 6]),
  c('gaussianNoise', { stddev: 0.1 }, [null, 6, 2]),
  c('alphaDropout', { rate: 0.1 }, [null, 6]),
  // reshaping
  c('flatten', {}, [null, 7, 7, 64]),
  c('flatten', {}, [null, 3, 4]),
  c('flatten', { dataFormat: 'channelsFirst' }, [null, 2, 3, 4]),
  bad('flatten', {}, [null, 4]),
  c('reshape', { targetShape: [3, 8] }, [null, 24]),
  concrete('reshape', { targetShape: [7, 7, 16] }, [null, 784]),
  concrete('reshape', { targetShape: [-1, 4] }, [null, 6, 4]),
  concrete('reshape', { targetShape: [2, -1] }, [null, 12]),
  { ...concrete('reshape', { targetShape: [5, 4] }, [null, 6, 4]), throws: ShapeError },
  { ...concrete('reshape', { targetShape: [-1, 5] }, [null, 12]), throws: ShapeError },
  c('permute', { dims: [2, 1] }, [null, 3, 4]),
  c('permute', { dims: [3, 1, 2] }, [null, 2, 3, 4]),
  c('repeatVector', { n: 3 }, [null, 5]),
  c('zeroPadding2d', {}, [null, 5, 5, 3]),
  c('zeroPadding2d', { padding: 2 }, [null, 5, 6, 3]),
  c('zeroPadding2d', { padding: [1, 2] }, [null, 5, 5, 3]),
  c('zeroPadding2d', { padding: [[1, 2], [3, 4]] }, [null, 5, 5, 3]),
  c('zeroPadding2d', { padding: [1, 2], dataFormat: 'channelsFirst' }, [null, 3, 5, 6]),
  c('cropping2D', { cropping: 1 }, [null, 10, 10, 2]),
  c('cropping2D', { cropping: [1, 2] }, [null, 10, 12, 2]),
  c('cropping2D', { cropping: [[1, 2], [3, 0]] }, [null, 10, 10, 2]),
  c('cropping2D', { cropping: [[1, 2], [3, 0]], dataFormat: 'channelsFirst' }, [null, 2, 10, 10]),
  c('upSampling2d', {}, [null, 5, 5, 1]),
  c('upSampling2d', { size: [2, 3] }, [null, 5, 5, 1]),
  c('upSampling2d', { size: [3, 3], interpolation: 'bilinear' }, [null, 4, 4, 2]),
  c('upSampling2d', { size: [2, 3], dataFormat: 'channelsFirst' }, [null, 2, 5, 4]),
  c('centerCrop', { height: 2, width: 3 }, [null, 5, 6, 3]),
  c('masking', { maskValue: 0 }, [null, 5, 3]),
  c('rescaling', { scale: 1 / 255 }, [null, 28, 28, 1]),
  // convolutions
  c('conv1d', { filters: 8, kernelSize: 3 }, [null, 20, 4]),
  c('conv1d', { filters: 8, kernelSize: 3, strides: 2, padding: 'same' }, [null, 20, 4]),
  c('conv1d', { filters: 6, kernelSize: 3, dilationRate: 2 }, [null, 20, 4]),
  c('conv1d', { filters: 6, kernelSize: [5], useBias: false }, [null, 20, 4]),
  c('conv1d', { filters: 4, kernelSize: 3, dataFormat: 'channelsFirst' }, [null, 6, 10]),
  // tfjs builds 'causal' (sized like 'valid') but cannot run it: the entry's runProblem says so (analyzerForms tests the warning).
  c('conv1d', { filters: 3, kernelSize: 3, padding: 'causal' }, [null, 7, 1]),
  c('conv2d', { filters: 32, kernelSize: 3 }, [null, 28, 28, 1]),
  c('conv2d', { filters: 16, kernelSize: 3, strides: 2 }, [null, 28, 28, 3]),
  c('conv2d', { filters: 16, kernelSize: 3, strides: 2, padding: 'same' }, [null, 7, 7, 3]),
  c('conv2d', { filters: 8, kernelSize: [3, 5], strides: [1, 2] }, [null, 20, 21, 3]),
  c('conv2d', { filters: 8, kernelSize: 3, dilationRate: 2 }, [null, 20, 20, 3]),
  c('conv2d', { filters: 8, kernelSize: 3, dilationRate: [2, 3], padding: 'same' }, [null, 20, 20, 3]),
  c('conv2d', { filters: 8, kernelSize: 3, useBias: false }, [null, 10, 10, 4]),
  c('conv2d', { filters: 8, kernelSize: 3, dataFormat: 'channelsFirst' }, [null, 3, 32, 32]),
  c('conv2d', { filters: 8, kernelSize: 5, strides: 2, padding: 'same', dataFormat: 'channelsFirst' }, [null, 3, 31, 32]),
  c('conv2d', { filters: 64, kernelSize: 1, activation: 'relu' }, [null, 14, 14, 32]),
  c('conv3d', { filters: 4, kernelSize: 3 }, [null, 8, 8, 8, 1]),
  c('conv3d', { filters: 4, kernelSize: 3, strides: 2, padding: 'same' }, [null, 8, 9, 10, 2]),
  c('conv3d', { filters: 4, kernelSize: 3, dataFormat: 'channelsFirst' }, [null, 2, 8, 8, 8]),
  c('conv3d', { filters: 4, kernelSize: [1, 3, 3], useBias: false }, [null, 5, 8, 8, 3]),
  c('conv2dTranspose', { filters: 16, kernelSize: 3, strides: 2 }, [null, 7, 7, 32]),
  c('conv2dTranspose', { filters: 16, kernelSize: 3, strides: 2, padding: 'same' }, [null, 7, 7, 32]),
  c('conv2dTranspose', { filters: 8, kernelSize: 4, strides: 2 }, [null, 5, 6, 3]),
  c('conv2dTranspose', { filters: 8, kernelSize: 3 }, [null, 5, 5, 3]),
  c('conv2dTranspose', { filters: 8, kernelSize: 3, strides: 2, dataFormat: 'channelsFirst' }, [null, 3, 5, 5]),
  c('conv2dTranspose', { filters: 8, kernelSize: [3, 5], strides: [1, 2], useBias: false }, [null, 5, 5, 3]),
  c('conv3dTranspose', { filters: 2, kernelSize: 3, strides: 2 }, [null, 3, 4, 5, 2]),
  c('conv3dTranspose', { filters: 2, kernelSize: 3, strides: 2, padding: 'same' }, [null, 3, 4, 5, 2]),
  c('separableConv2d', { filters: 16, kernelSize: 3 }, [null, 32, 32, 3]),
  c('separableConv2d', { filters: 16, kernelSize: 3, depthMultiplier: 2 }, [null, 32, 32, 3]),
  c('separableConv2d', { filters: 8, kernelSize: 3, strides: 2, padding: 'same' }, [null, 15, 15, 4]),
  c('separableConv2d', { filters: 8, kernelSize: 3, useBias: false }, [null, 10, 10, 4]),
  c('separableConv2d', { filters: 8, kernelSize: 3, dataFormat: 'channelsFirst' }, [null, 4, 10, 10]),
  c('separableConv2d', { filters: 8, kernelSize: 3, dilationRate: 2 }, [null, 12, 12, 4]),
  c('depthwiseConv2d', { kernelSize: 3 }, [null, 32, 32, 8]),
  c('depthwiseConv2d', { kernelSize: 3, depthMultiplier: 3 }, [null, 32, 32, 8]),
  c('depthwiseConv2d', { kernelSize: 3, strides: 2, padding: 'same' }, [null, 15, 15, 8]),
  c('depthwiseConv2d', { kernelSize: [3, 5], useBias: false }, [null, 10, 10, 4]),
  c('depthwiseConv2d', { kernelSize: 3, depthMultiplier: 2, dataFormat: 'channelsFirst' }, [null, 4, 10, 10]),
  // pooling
  c('maxPooling1d', { poolSize: 2 }, [null, 10, 3]),
  c('maxPooling1d', { poolSize: 3, strides: 1 }, [null, 10, 3]),
  c('maxPooling1d', { poolSize: 3, strides: 2, padding: 'same' }, [null, 11, 3]),
  c('maxPooling1d', { poolSize: [2] }, [null, 9, 3]),
  c('averagePooling1d', { poolSize: 2 }, [null, 10, 3]),
  c('averagePooling1d', { poolSize: 4, strides: 3, padding: 'same' }, [null, 10, 3]),
  c('maxPooling2d', { poolSize: 2 }, [null, 28, 28, 32]),
  c('maxPooling2d', { poolSize: [3, 3], strides: [2, 2] }, [null, 28, 28, 32]),
  c('maxPooling2d', { poolSize: 2, padding: 'same' }, [null, 7, 7, 1]),
  c('maxPooling2d', { poolSize: 2 }, [null, 7, 7, 1]),
  c('maxPooling2d', { poolSize: [2, 3], dataFormat: 'channelsFirst' }, [null, 4, 10, 12]),
  c('averagePooling2d', { poolSize: 2 }, [null, 28, 28, 32]),
  c('averagePooling2d', { poolSize: 3, strides: 2, padding: 'same' }, [null, 15, 15, 8]),
  c('averagePooling2d', { poolSize: 2, dataFormat: 'channelsFirst' }, [null, 8, 16, 16]),
  c('maxPooling3d', { poolSize: 2 }, [null, 8, 8, 8, 2]),
  c('maxPooling3d', { poolSize: 2, dataFormat: 'channelsFirst' }, [null, 2, 8, 8, 8]),
  c('averagePooling3d', { poolSize: [1, 2, 2], padding: 'same' }, [null, 5, 9, 9, 2]),
  c('globalMaxPooling1d', {}, [null, 10, 3]),
  c('globalAveragePooling1d', {}, [null, 10, 3]),
  c('globalMaxPooling2d', {}, [null, 7, 7, 64]),
  c('globalAveragePooling2d', {}, [null, 7, 7, 64]),
  c('globalAveragePooling2d', { dataFormat: 'channelsFirst' }, [null, 64, 7, 7]),
  c('globalMaxPooling2d', { dataFormat: 'channelsFirst' }, [null, 32, 5, 5]),
  bad('maxPooling2d', { poolSize: 2 }, [null, 5, 5]),
  // the aliases tfjs exports for the pooling layers
  c('maxPool1d', { poolSize: 2 }, [null, 10, 3]),
  c('maxPool2d', { poolSize: 2 }, [null, 10, 10, 3]),
  c('avgPool1d', { poolSize: 2 }, [null, 10, 3]),
  c('avgPooling1d', { poolSize: 5 }, [null, 10, 3]),
  c('avgPool2d', { poolSize: 2 }, [null, 10, 10, 3]),
  c('avgPooling2d', { poolSize: 2, strides: 1 }, [null, 10, 10, 3]),
  c('avgPool3d', { poolSize: 2 }, [null, 4, 4, 4, 3]),
  c('avgPooling3d', { poolSize: 2 }, [null, 4, 6, 4, 3]),
  c('globalMaxPool1d', {}, [null, 10, 3]),
  c('globalMaxPool2d', {}, [null, 10, 10, 3]),
  // normalization
  c('batchNormalization', {}, [null, 10]),
  c('batchNormalization', {}, [null, 28, 28, 32]),
  c('batchNormalization', { axis: 1 }, [null, 32, 28, 28]),
  c('batchNormalization', { center: false }, [null, 5, 3]),
  c('batchNormalization', { scale: false }, [null, 12]),
  c('batchNormalization', { center: false, scale: false }, [null, 12]),
  c('layerNormalization', {}, [null, 10]),
  c('layerNormalization', {}, [null, 5, 8]),
  c('layerNormalization', { axis: [1, 2] }, [null, 3, 4]),
  c('layerNormalization', { center: false }, [null, 5, 8]),
  c('layerNormalization', { axis: 1 }, [null, 5, 8]),
  // embedding
  c('embedding', { inputDim: 1000, outputDim: 64 }, [null, 20]),
  c('embedding', { inputDim: 1000, outputDim: 64, inputLength: 20 }, [null, 20]),
  c('embedding', { inputDim: 50, outputDim: 8, inputLength: 5 }, [null, null]),
  c('embedding', { inputDim: 10, outputDim: 3 }, [null, 5, 2]),
  bad('embedding', { inputDim: 10, outputDim: 3, inputLength: 10 }, [null, 20]),
  // recurrent
  c('simpleRNN', { units: 8 }, [null, 10, 4]),
  c('simpleRNN', { units: 8, returnSequences: true }, [null, 10, 4]),
  c('simpleRNN', { units: 8, returnState: true }, [null, 10, 4]),
  c('simpleRNN', { units: 8, returnSequences: true, returnState: true }, [null, 10, 4]),
  c('simpleRNN', { units: 5, useBias: false }, [null, 7, 3]),
  bad('simpleRNN', { units: 3 }, [null, 5]),
  c('lstm', { units: 16 }, [null, 10, 8]),
  c('lstm', { units: 16, returnSequences: true }, [null, 10, 8]),
  c('lstm', { units: 16, returnState: true }, [null, 10, 8]),
  c('lstm', { units: 4, returnSequences: true, returnState: true }, [null, 6, 3]),
  c('lstm', { units: 4, useBias: false }, [null, 6, 3]),
  c('gru', { units: 16 }, [null, 10, 8]),
  c('gru', { units: 16, returnSequences: true }, [null, 10, 8]),
  c('gru', { units: 16, returnState: true }, [null, 10, 8]),
  c('gru', { units: 4, returnSequences: true, returnState: true }, [null, 6, 3]),
  c('gru', { units: 4, useBias: false }, [null, 6, 3]),
  { ...c('gru', { units: 4, resetAfter: true }, [null, 6, 3]), throws: ConfigError },
  // preprocessing
  c('categoryEncoding', { numTokens: 10 }, [null, 3]),
  c('categoryEncoding', { numTokens: 10, outputMode: 'oneHot' }, [null, 1]),
  c('categoryEncoding', { numTokens: 10, outputMode: 'oneHot' }, [null, 3]),
  c('categoryEncoding', { numTokens: 7, outputMode: 'count' }, [null, 3, 2]),
  c('resizing', { height: 5, width: 7 }, [null, 10, 12, 3]),
  c('resizing', { height: 5, width: 7, interpolation: 'nearest' }, [10, 12, 3]),
  { ...c('resizing', { height: 5, width: 7, interpolation: 'bicubic' }, [null, 10, 12, 3]), throws: ConfigError },
  { ...c('randomWidth', { factor: 0.2 }, [null, 10, 12, 3]), unknownShape: true },
  { ...c('randomWidth', { factor: [-0.5, 0.3] }, [null, 10, 12, 3]), unknownShape: true },
  { ...c('randomWidth', { factor: -0.2 }, [null, 10, 12, 3]), throws: ConfigError },
  // cells and the layers that run them
  c('rnn', { cell: L('simpleRNNCell', { units: 6 }) }, [null, 10, 4]),
  c('rnn', { cell: L('lstmCell', { units: 4 }), returnSequences: true, returnState: true }, [null, 5, 3]),
  c('rnn', { cell: L('gruCell', { units: 5, useBias: false }), returnSequences: true }, [null, 7, 3]),
  c('rnn', { cell: [L('lstmCell', { units: 4 }), L('gruCell', { units: 6 })], returnState: true }, [null, 5, 3]),
  c('rnn', { cell: [L('simpleRNNCell', { units: 3 }), L('lstmCell', { units: 8 }), L('simpleRNNCell', { units: 2 })], returnSequences: true }, [null, 4, 9]),
  c('rnn', { cell: L('stackedRNNCells', { cells: [L('simpleRNNCell', { units: 4 }), L('gruCell', { units: 6 })] }), returnState: true }, [null, 5, 3]),
  bad('rnn', { cell: L('lstmCell', { units: 4 }) }, [null, 3]),
  { ...c('rnn', { cell: L('gruCell', { units: 4, resetAfter: true }) }, [null, 6, 3]), throws: ConfigError },
  c('simpleRNNCell', { units: 4 }, [null, 3]),
  c('lstmCell', { units: 4 }, [null, 3]),
  c('gruCell', { units: 5, useBias: false }, [null, 7]),
  c('stackedRNNCells', { cells: [L('simpleRNNCell', { units: 4 }), L('lstmCell', { units: 6 })] }, [null, 3]),
  c('convLstm2d', { filters: 4, kernelSize: 3 }, [null, 5, 8, 8, 3]),
  c('convLstm2d', { filters: 4, kernelSize: 3, returnSequences: true }, [null, 5, 8, 8, 3]),
  c('convLstm2d', { filters: 4, kernelSize: 3, padding: 'same', strides: 2, returnState: true }, [null, 5, 8, 9, 3]),
  c('convLstm2d', { filters: 4, kernelSize: [3, 2], dataFormat: 'channelsFirst', dilationRate: 2 }, [null, 5, 3, 8, 9]),
  c('convLstm2d', { filters: 2, kernelSize: 1, useBias: false, returnSequences: true }, [null, 3, 4, 4, 5]),
  bad('convLstm2d', { filters: 4, kernelSize: 3 }, [null, 8, 8, 3]),
  c('convLstm2dCell', { filters: 4, kernelSize: 3 }, [null, 8, 8, 3]),
  // wrappers
  { ...c('bidirectional', { layer: L('rnn', { cell: L('gruCell', { units: 4 }) }) }, [null, 5, 3]), throws: ConfigError },
  c('bidirectional', { layer: L('lstm', { units: 8 }) }, [null, 10, 4]),
  c('bidirectional', { layer: L('lstm', { units: 8 }), mergeMode: 'sum' }, [null, 10, 4]),
  c('bidirectional', { layer: L('lstm', { units: 8, returnSequences: true }), mergeMode: 'mul' }, [null, 10, 4]),
  c('bidirectional', { layer: L('gru', { units: 8 }), mergeMode: 'ave' }, [null, 10, 4]),
  c('bidirectional', { layer: L('gru', { units: 8, returnSequences: true }), mergeMode: null }, [null, 10, 4]),
  c('bidirectional', { layer: L('gru', { units: 6, returnSequences: true }) }, [null, 10, 4]),
  c('bidirectional', { layer: L('simpleRNN', { units: 5 }) }, [null, 7, 3]),
  c('bidirectional', { layer: L('lstm', { units: 3, returnState: true }) }, [null, 5, 2]),
  c('bidirectional', { layer: L('lstm', { units: 3, returnState: true }), mergeMode: null }, [null, 5, 2]),
  c('bidirectional', { layer: L('gru', { units: 3, returnState: true, returnSequences: true }), mergeMode: 'sum' }, [null, 5, 2]),
  c('timeDistributed', { layer: L('dense', { units: 3 }) }, [null, 5, 2]),
  c('timeDistributed', { layer: L('dense', { units: 4, useBias: false }) }, [null, 5, 6, 3]),
  c('timeDistributed', { layer: L('conv2d', { filters: 4, kernelSize: 3 }) }, [null, 4, 8, 8, 3]),
  c('timeDistributed', { layer: L('flatten', {}) }, [null, 4, 3, 3, 2]),
  // merge
  c('add', {}, [null, 4], [null, 4]),
  c('add', {}, [null, 3, 4], [null, 3, 4], [null, 3, 4]),
  c('add', {}, [null, 1, 4], [null, 3, 4]),
  c('add', {}, [null, 4], [null, 3, 4]),
  bad('add', {}, [null, 3], [null, 4]),
  c('multiply', {}, [null, 8], [null, 8]),
  bad('multiply', {}, [null, 2, 8], [null, 3, 8]),
  c('average', {}, [null, 5, 5, 3], [null, 5, 5, 3]),
  c('maximum', {}, [null, 6], [null, 6], [null, 6]),
  c('minimum', {}, [null, 2, 6], [null, 2, 6]),
  bad('minimum', {}, [null, 6], [null, 7]),
  c('concatenate', {}, [null, 3], [null, 4]),
  c('concatenate', { axis: 1 }, [null, 3, 4], [null, 2, 4]),
  c('concatenate', {}, [null, 8, 8, 3], [null, 8, 8, 5], [null, 8, 8, 1]),
  c('concatenate', { axis: -2 }, [null, 3, 4], [null, 5, 4]),
  bad('concatenate', {}, [null, 3, 4], [null, 2, 5]),
  c('dot', { axes: -1 }, [null, 4], [null, 4]),
  c('dot', { axes: 1 }, [null, 3, 4], [null, 3, 5]),
  c('dot', { axes: [2, 1] }, [null, 3, 4], [null, 4, 5]),
  c('dot', { axes: -1, normalize: true }, [null, 6], [null, 6]),
  bad('dot', { axes: -1 }, [null, 4], [null, 5]),
];

// ---- running tfjs ----

function tfjsConfig(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // tfjs mutates some config arrays in place (Reshape writes null over targetShape's -1), so it gets copies.
  // A list of nested layers (rnn's cells) is built layer by layer.
  const one = (v: unknown): unknown =>
    v instanceof Inner ? tf.layers[v.factory](tfjsConfig(v.config)) : Array.isArray(v) && v.some((x) => x instanceof Inner) ? v.map(one) : v === undefined ? v : (JSON.parse(JSON.stringify(v)) as unknown);
  for (const [k, v] of Object.entries(config)) out[k] = one(v);
  return out;
}

interface Real {
  layer: TfLayer;
  shapes: Shape[];
  tuple: boolean;
  trainable: number;
  nonTrainable: number;
  total: number;
}

const size = (ws: TfWeight[]): number => ws.reduce((n, w) => n + w.shape.reduce((p, d) => p * d, 1), 0);

/** Builds and applies the real tfjs layer; throws whatever tfjs throws. */
function runTfjs(cs: Case): Real {
  const make = tf.layers[cs.factory];
  if (typeof make !== 'function') throw new Error(`tf.layers.${cs.factory} does not exist in this tfjs`);
  const layer = make(tfjsConfig(cs.config));
  let outs: TfTensorLike[];
  let tuple = false;
  if (cs.factory === 'inputLayer') {
    outs = [layer.inboundNodes[0].outputTensors[0]];
  } else {
    const xs = cs.inputs.map((s) =>
      // A copy: some computeOutputShape methods (CategoryEncoding's) write into the shape they are given.
      cs.concrete ? tf.zeros(s.map((d, i) => (i === 0 ? 2 : (d as number)))) : tf.input({ batchShape: [...s] }),
    );
    const y = layer.apply(xs.length === 1 ? xs[0] : xs);
    tuple = Array.isArray(y);
    outs = Array.isArray(y) ? y : [y];
  }
  // tfjs keeps a given batch size (inputLayer's batchInputShape, the concrete batch of 2); ModelLens reports it as unknown.
  const fixBatch = cs.factory === 'inputLayer' || cs.concrete;
  const shapes = outs.map((t) => t.shape.map((d, i) => (fixBatch && i === 0 ? null : d)));
  return { layer, shapes, tuple, trainable: size(layer.trainableWeights), nonTrainable: size(layer.nonTrainableWeights), total: layer.countParams() };
}

// ---- running the catalog ----

const byFactory = new Map(tfjsEntries.map((e) => [e.factory, e] as [string | undefined, LayerEntry]));

function entryFor(factory: string): LayerEntry {
  const e = byFactory.get(factory);
  if (!e) throw new Error(`no catalog entry for tf.layers.${factory}`);
  return e;
}

function catalogConfig(config: Record<string, unknown>): ArgValue {
  const out: Record<string, ArgValue> = {};
  const one = (v: unknown): ArgValue => {
    if (Array.isArray(v)) return v.map(one);
    if (!(v instanceof Inner)) return v as ArgValue;
    const inner = entryFor(v.factory);
    return new LayerSpec(inner, bindTfjs(inner, catalogConfig(v.config)));
  };
  for (const [k, v] of Object.entries(config)) out[k] = one(v);
  return out;
}

function runCatalog(cs: Case, inputs: Shape[] = cs.inputs): { out: Out; trainable: number; nonTrainable: number; entry: LayerEntry } {
  const entry = entryFor(cs.factory);
  const args = bindTfjs(entry, catalogConfig(cs.config));
  const out = entry.output(args, inputs);
  const p = entry.params(args, inputs);
  // The optional rules must run on every valid case too.
  if (entry.multAdds) assert.ok(Number.isFinite(entry.multAdds(args, inputs, out)), 'multAdds is a finite number');
  if (entry.hyper) assert.strictEqual(typeof entry.hyper(args), 'string');
  assert.ok(typeof p.formula === 'string' && p.formula.length > 0, 'has a formula');
  return { out, trainable: p.trainable, nonTrainable: p.nonTrainable, entry };
}

const label = (cs: Case): string =>
  `${cs.factory}(${JSON.stringify(cs.config, (_k, v: unknown) => (v instanceof Inner ? `${v.factory}(${JSON.stringify(v.config)})` : v))}) on ${cs.inputs
    .map((s) => JSON.stringify(s))
    .join(', ')}${cs.concrete ? ' [forward pass]' : ''}`;

function compare(real: Real, mine: { out: Out; trainable: number; nonTrainable: number }): void {
  assert.deepStrictEqual(flattenOut(mine.out), real.shapes, 'output shape(s)');
  assert.strictEqual(isTuple(mine.out), real.tuple, 'a list of outputs exactly when tfjs returns one');
  assert.strictEqual(mine.trainable, real.trainable, 'trainable params');
  assert.strictEqual(mine.nonTrainable, real.nonTrainable, 'non-trainable params');
  assert.strictEqual(mine.trainable + mine.nonTrainable, real.total, 'countParams()');
}

describe('tfjs catalog vs real TensorFlow.js', () => {
  it('uses tfjs 4.22', () => {
    const version = (require('@tensorflow/tfjs/package.json') as { version: string }).version;
    assert.strictEqual(version, '4.22.0');
  });

  for (const cs of CASES) {
    if (cs.throws) {
      it(`rejects ${label(cs)}`, () => {
        assert.throws(() => runTfjs(cs), (e: unknown) => e instanceof Error, 'tfjs itself rejects this case');
        const cls = cs.throws as new (...args: never[]) => Error;
        assert.throws(() => runCatalog(cs), (e: unknown) => {
          assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
          if (e instanceof ShapeError) assert.match(e.message, /^expects .+ but receives .+/);
          return true;
        });
      });
    } else if (cs.unknownShape) {
      it(`${label(cs)}: tfjs's count, and an output shape it leaves open is unknown`, () => {
        const real = runTfjs(cs);
        assert.ok(real.shapes[0].some((d) => d === -1), `tfjs reports ${JSON.stringify(real.shapes)}`);
        const entry = entryFor(cs.factory);
        const args = bindTfjs(entry, catalogConfig(cs.config));
        assert.strictEqual(entry.params(args, cs.inputs).trainable, real.total);
        assert.throws(() => entry.output(args, cs.inputs), Unknowable);
      });
    } else {
      it(label(cs), () => {
        const real = runTfjs(cs);
        const mine = runCatalog(cs);
        assert.strictEqual(mine.entry.type, real.layer.getClassName(), 'type is the tfjs className');
        compare(real, mine);
      });
    }
  }
});

describe('tfjs catalog coverage and docs', () => {
  it('has a case for every catalog factory', () => {
    const covered = new Set(CASES.map((cs) => cs.factory));
    const missing = tfjsEntries.filter((e) => !covered.has(e.factory as string)).map((e) => e.factory);
    assert.deepStrictEqual(missing, []);
  });

  it('has the brief’s required factories', () => {
    const required =
      'inputLayer dense activation reLU leakyReLU elu softmax dropout spatialDropout1d flatten reshape permute repeatVector conv1d conv2d conv3d conv2dTranspose separableConv2d depthwiseConv2d maxPooling1d maxPooling2d averagePooling1d averagePooling2d globalMaxPooling1d globalMaxPooling2d globalAveragePooling1d globalAveragePooling2d zeroPadding2d upSampling2d cropping2D batchNormalization layerNormalization embedding simpleRNN lstm gru bidirectional timeDistributed add concatenate multiply average maximum minimum dot';
    for (const fct of required.split(' ')) assert.ok(byFactory.has(fct), `tf.layers.${fct}`);
  });

  it('every factory exists in tfjs and maps to its className', () => {
    const seen = new Set<string>();
    for (const e of tfjsEntries) {
      assert.strictEqual(typeof tf.layers[e.factory as string], 'function', `tf.layers.${e.factory}`);
      assert.ok(!seen.has(e.factory as string), `duplicate factory ${e.factory}`);
      seen.add(e.factory as string);
      assert.strictEqual(e.framework, 'tfjs');
    }
  });

  it('every entry has docs with a js.tensorflow.org url', () => {
    for (const e of tfjsEntries) {
      assert.ok(e.docs.summary.length > 10 && e.docs.use.length > 5 && e.docs.formula.length > 0, `${e.factory} docs`);
      assert.match(e.docs.url, /^https:\/\/js\.tensorflow\.org\/api\/latest\/#layers\.\w+$/, `${e.factory} url`);
    }
  });

  it('merge layers take many inputs', () => {
    for (const f of ['add', 'concatenate', 'multiply', 'average', 'maximum', 'minimum', 'dot']) assert.strictEqual(entryFor(f).arity, 'many', f);
  });

  it('catalog defaults agree with the config tfjs fills in', () => {
    const leaves = (v: unknown): unknown[] => (Array.isArray(v) ? v.flatMap(leaves) : [v]);
    for (const cs of CASES.filter((x) => !x.throws)) {
      const entry = entryFor(cs.factory);
      const cfg = runTfjs(cs).layer.getConfig();
      for (const [k, mine] of Object.entries(entry.defaults ?? {})) {
        // A null default means "derived" (pool strides = poolSize); an absent tfjs key means tfjs does not report it.
        if (k in cs.config || mine === null || cfg[k] === undefined || cfg[k] === null) continue;
        let theirs = cfg[k];
        // LayerNormalization reports its axis resolved against the input rank after build ([1] for -1 on a 2-d input).
        if (k === 'axis' && Array.isArray(theirs) && typeof mine === 'number' && mine < 0) {
          theirs = leaves(theirs).map((t) => (t as number) - cs.inputs[0].length);
        }
        if (Array.isArray(mine)) assert.deepStrictEqual(theirs, mine, `${cs.factory}.${k}`);
        else assert.ok(leaves(theirs).every((t) => t === mine), `${cs.factory}.${k}: tfjs ${JSON.stringify(theirs)} vs catalog ${JSON.stringify(mine)}`);
      }
    }
  });
});

/** The same cases with unknown dims: tfjs decides where it can; elsewhere the catalog must propagate null. */
describe('tfjs catalog with unknown dims', () => {
  const variants: { cs: Case; how: string }[] = [];
  for (const cs of CASES) {
    if (cs.throws || cs.factory === 'inputLayer' || cs.concrete) continue;
    // tfjs 4.22's Resizing and RandomWidth report shapes without the batch axis (checked above as tfjs reports them).
    if (cs.unknownShape || cs.factory === 'resizing') continue;
    // (a) every dim except batch and the last unknown; (b) every non-batch dim unknown.
    if (cs.inputs.some((s) => s.length >= 3)) {
      variants.push({ cs: { ...cs, inputs: cs.inputs.map((s) => s.map((d, i) => (i === s.length - 1 ? d : null))) }, how: 'inner dims unknown' });
    }
    variants.push({ cs: { ...cs, inputs: cs.inputs.map((s) => s.map(() => null)) }, how: 'all dims unknown' });
  }

  for (const { cs, how } of variants) {
    it(`${how}: ${label(cs)}`, () => {
      let real: Real | undefined;
      try {
        real = runTfjs(cs);
      } catch {
        real = undefined;
      }
      const entry = entryFor(cs.factory);
      const args = bindTfjs(entry, catalogConfig(cs.config));
      const out = entry.output(args, cs.inputs); // must not throw: unknown dims propagate
      for (const s of flattenOut(out)) assert.strictEqual(s[0], null, 'batch stays null');
      let params: { trainable: number; nonTrainable: number } | undefined;
      try {
        params = entry.params(args, cs.inputs);
      } catch (e) {
        assert.ok(e instanceof Unknowable, `params may only be unknowable, got ${String(e)}`);
      }
      if (real) {
        // tfjs's Cropping2D computes `null - 3 = -3`; a negative size is its way of not knowing.
        const theirs = real.shapes.map((s) => s.map((d) => (d !== null && d < 0 ? null : d)));
        assert.deepStrictEqual(flattenOut(out), theirs, 'output shape(s) as tfjs infers them');
        assert.ok(params, 'tfjs could build the layer, so the catalog must know its params');
        assert.strictEqual(params.trainable, real.trainable, 'trainable params');
        assert.strictEqual(params.nonTrainable, real.nonTrainable, 'non-trainable params');
      }
    });
  }

  it('a count that needs an unknown dim throws Unknowable with a reason', () => {
    const e = entryFor('dense');
    assert.throws(() => e.params(bindTfjs(e, { units: 3 }), [[null, null]]), (err: unknown) => err instanceof Unknowable && /unknown/.test(err.message));
  });
});

describe('tfjs catalog: parameters known without an input shape', () => {
  // The engine counts a layer whose input is unknown when its rule never reads the input
  // (paramsWithoutInput). That is only right if tfjs builds the same weights for every input:
  // each case's real build must agree with the input-less count.
  const counted = CASES.filter((cs) => !cs.throws && cs.factory !== 'inputLayer');
  for (const cs of counted) {
    it(label(cs), () => {
      const entry = entryFor(cs.factory);
      const args = bindTfjs(entry, catalogConfig(cs.config));
      let p: { trainable: number; nonTrainable: number } | undefined;
      try {
        p = paramsWithoutInput(entry, args);
      } catch (e) {
        assert.ok(e instanceof Unknowable, `an input-less count may only be unknowable, got ${String(e)}`);
        return;
      }
      const real = runTfjs(cs);
      assert.strictEqual(p.trainable, real.trainable, 'trainable params, as tfjs builds them');
      assert.strictEqual(p.nonTrainable, real.nonTrainable, 'non-trainable params, as tfjs builds them');
    });
  }
  it('covers weightless layers and an input-independent table (embedding), and refuses dense', () => {
    const fits = (factory: string, config: Record<string, unknown>): boolean => {
      const e = entryFor(factory);
      try {
        paramsWithoutInput(e, bindTfjs(e, catalogConfig(config)));
        return true;
      } catch (err) {
        assert.ok(err instanceof Unknowable);
        return false;
      }
    };
    assert.strictEqual(fits('maxPooling2d', { poolSize: 2 }), true);
    assert.strictEqual(fits('embedding', { inputDim: 50, outputDim: 4 }), true);
    assert.strictEqual(fits('dense', { units: 3 }), false);
    assert.strictEqual(fits('conv2d', { filters: 4, kernelSize: 3 }), false);
  });
});
