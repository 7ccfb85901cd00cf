import { nn, Tensor } from 'js-pytorch';

/**
 * A small Transformer encoder classifier: embeddings, two encoder layers, mean pooling over the
 * sequence, a stack of projections and a classifier.
 *
 * @inputShape [8, 20]
 */
export class TinyTransformer extends nn.Module {
  embedding: nn.Embedding;
  encoder: nn.TransformerEncoder;
  layers: nn.ModuleList<nn.Linear>;
  head: nn.Linear;

  constructor(vocabSize = 1000, dModel = 64, numClasses = 3) {
    super();
    this.embedding = new nn.Embedding(vocabSize, dModel);
    const encoderLayer = new nn.TransformerEncoderLayer(dModel, 4, { dim_feedforward: 128, batch_first: true });
    this.encoder = new nn.TransformerEncoder(encoderLayer, { num_layers: 2 });
    this.layers = new nn.ModuleList([new nn.Linear(dModel, dModel), new nn.Linear(dModel, 32)]);
    this.head = new nn.Linear(32, numClasses);
  }

  forward(tokens: Tensor): Tensor {
    let x = this.embedding.forward(tokens);
    x = this.encoder.forward(x);
    x = x.mean(1);
    for (const layer of this.layers) x = layer.forward(x);
    return this.head.forward(x);
  }
}

/**
 * A pre-norm encoder (LayerNorm before attention and feed-forward, GELU, a final LayerNorm) with
 * a cross-attention read-out whose per-head weights are kept.
 *
 * @inputShape [4, 12]
 */
export class PreNormEncoder extends nn.Module {
  embedding: nn.Embedding;
  encoder: nn.TransformerEncoder;
  readout: nn.MultiheadAttention;
  head: nn.Linear;

  constructor(vocabSize = 500, dModel = 32) {
    super();
    this.embedding = new nn.Embedding(vocabSize, dModel);
    const layer = new nn.TransformerEncoderLayer(dModel, 2, { dim_feedforward: 48, activation: 'gelu', batch_first: true, norm_first: true });
    this.encoder = new nn.TransformerEncoder(layer, 3, new nn.LayerNorm(dModel));
    this.readout = new nn.MultiheadAttention(dModel, 4, { batch_first: true });
    this.head = new nn.Linear(dModel, 2);
  }

  forward(tokens: Tensor): Tensor {
    const x = this.encoder.forward(this.embedding.forward(tokens));
    const [summary, weights] = this.readout.forward(x, x, x, { need_weights: true, average_attn_weights: false });
    return this.head.forward(summary.mean(1));
  }
}
