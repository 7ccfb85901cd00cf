import { nn, Linear, Tensor } from 'js-pytorch';

/**
 * Bag-of-embeddings classifier: average the token vectors, then a small MLP.
 *
 * @inputShape [8, 20]
 */
export class EmbeddingBagClassifier extends nn.Module {
  embedding: nn.Embedding;
  hidden: Linear;
  act: nn.ReLU;
  out: Linear;

  constructor(vocabSize = 2000, embedDim = 32, hiddenDim = 64, numClasses = 2) {
    super();
    this.embedding = new nn.Embedding(vocabSize, embedDim, { paddingIdx: 0 });
    this.hidden = new Linear(embedDim, hiddenDim);
    this.act = new nn.ReLU();
    this.out = new Linear(hiddenDim, numClasses);
  }

  forward(tokens: Tensor): Tensor {
    let x = this.embedding.forward(tokens);
    x = x.mean(1);
    x = this.act.forward(this.hidden.forward(x));
    return this.out.forward(x);
  }
}
