import { nn, torch, Tensor } from 'js-pytorch';
import { ResBlock } from './res-block';

/**
 * A tiny ResNet for 32×32 images: a stem, two residual blocks (the second halves the
 * resolution and doubles the width), global average pooling and a linear classifier.
 *
 * @inputShape [4, 3, 32, 32]
 */
export class ResNetTiny extends nn.Module {
  stem: nn.Conv2d;
  bn: nn.BatchNorm2d;
  relu: nn.ReLU;
  layer1: ResBlock;
  layer2: ResBlock;
  pool: nn.AdaptiveAvgPool2d;
  fc: nn.Linear;

  constructor(numClasses = 10) {
    super();
    this.stem = new nn.Conv2d(3, 16, 3, { padding: 1, bias: false });
    this.bn = new nn.BatchNorm2d(16);
    this.relu = new nn.ReLU();
    this.layer1 = new ResBlock(16, 16);
    this.layer2 = new ResBlock(16, 32, 2);
    this.pool = new nn.AdaptiveAvgPool2d([1, 1]);
    this.fc = new nn.Linear(32, numClasses);
  }

  forward(x: Tensor): Tensor {
    x = this.relu.forward(this.bn.forward(this.stem.forward(x)));
    x = this.layer1.forward(x);
    x = this.layer2.forward(x);
    x = this.pool.forward(x);
    x = torch.flatten(x, 1);
    return this.fc.forward(x);
  }
}
