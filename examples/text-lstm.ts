import { nn, Tensor } from 'js-pytorch';

/**
 * Sentence classifier: token embeddings through a two-layer bidirectional LSTM; the last time
 * step's features (both directions) feed the classifier.
 *
 * @inputShape [32, 50]
 */
export class TextLSTM extends nn.Module {
  embedding: nn.Embedding;
  lstm: nn.LSTM;
  classifier: nn.Linear;

  constructor(vocabSize = 5000, embedDim = 64, hiddenSize = 128, numClasses = 4) {
    super();
    this.embedding = new nn.Embedding(vocabSize, embedDim);
    this.lstm = new nn.LSTM(embedDim, hiddenSize, { num_layers: 2, batch_first: true, bidirectional: true });
    this.classifier = new nn.Linear(hiddenSize * 2, numClasses);
  }

  forward(tokens: Tensor): Tensor {
    const emb = this.embedding.forward(tokens);
    const [out, [h, c]] = this.lstm.forward(emb);
    const last = out.select(1, -1);
    return this.classifier.forward(last);
  }
}
