import * as nn from 'js-pytorch';
import { torch } from 'js-pytorch';

/**
 * A small MNIST-style classifier: two conv blocks, then a two-layer head.
 *
 * @inputShape [8, 1, 28, 28]
 */
export class SmallCNN extends nn.Module {
  // 1×28×28 → 16×26×26 → pooled to 16×13×13
  conv1 = new nn.Conv2d(1, 16, 3);
  bn1 = new nn.BatchNorm2d(16);
  relu1 = new nn.ReLU();
  pool1 = new nn.MaxPool2d(2);

  // 'same' padding keeps 13×13; pooling floors it to 6×6
  conv2 = new nn.Conv2d(16, 32, 3, { stride: 1, padding: 1, bias: false });
  bn2 = new nn.BatchNorm2d(32);
  relu2 = new nn.ReLU();
  pool2 = new nn.MaxPool2d(2, 2);

  fc1 = new nn.Linear(32 * 6 * 6, 128);
  dropout = new nn.Dropout(0.25);
  fc2 = new nn.Linear(128, 10);

  forward(x: nn.Tensor): nn.Tensor {
    x = this.pool1.forward(this.relu1.forward(this.bn1.forward(this.conv1.forward(x))));
    x = this.pool2.forward(this.relu2.forward(this.bn2.forward(this.conv2.forward(x))));
    x = torch.flatten(x, 1);
    x = this.fc1.forward(x);
    x = this.dropout.forward(x);
    return this.fc2.forward(x);
  }
}
