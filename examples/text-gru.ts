import { nn, F, Tensor } from 'js-pytorch';

const VOCAB = 10000;

enum Dims {
  Embed = 48,
  Hidden = 96,
}

/**
 * A GRU tagger-style classifier that reads the final hidden state.
 *
 * @inputShape [16, 40]
 */
export class TextGRU extends nn.Module {
  embed: nn.Embedding;
  gru: nn.GRU;
  head: nn.Linear;

  constructor(numClasses = 5) {
    super();
    this.embed = new nn.Embedding(VOCAB, Dims.Embed);
    this.gru = new nn.GRU(Dims.Embed, Dims.Hidden, { batch_first: true });
    this.head = new nn.Linear(Dims.Hidden, numClasses);
  }

  forward(tokens: Tensor): Tensor {
    const [, hN] = this.gru.forward(this.embed.forward(tokens));
    // hN is [num_layers, batch, hidden]; keep the last layer's state
    const h = hN.select(0, -1);
    return F.log_softmax(this.head.forward(h), 1);
  }
}
