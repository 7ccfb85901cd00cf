import { nn, Tensor } from 'js-pytorch';

/**
 * A three-layer perceptron that regresses one value from 128 features.
 *
 * @inputShape [64, 128]
 */
export class SimpleMLP extends nn.Module {
  fc1: nn.Linear;
  relu1: nn.ReLU;
  fc2: nn.Linear;
  relu2: nn.ReLU;
  fc3: nn.Linear;

  constructor(inputSize = 128, hiddenSize = 516, outputSize = 1) {
    super();
    this.fc1 = new nn.Linear(inputSize, hiddenSize);
    this.relu1 = new nn.ReLU();
    this.fc2 = new nn.Linear(hiddenSize, hiddenSize);
    this.relu2 = new nn.ReLU();
    this.fc3 = new nn.Linear(hiddenSize, outputSize);
  }

  forward(x: Tensor): Tensor {
    x = this.fc1.forward(x);
    x = this.relu1.forward(x);
    x = this.fc2.forward(x);
    x = this.relu2.forward(x);
    x = this.fc3.forward(x);
    return x;
  }
}
