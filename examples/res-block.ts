import { nn, Tensor } from 'js-pytorch';

/**
 * A basic residual block (conv-bn-relu-conv-bn plus the shortcut, then relu). When it changes
 * the resolution or the width, a 1×1 convolution projects the shortcut to match.
 * It is a building block: its sizes are constructor arguments without defaults.
 */
export class ResBlock extends nn.Module {
  conv1: nn.Conv2d;
  bn1: nn.BatchNorm2d;
  conv2: nn.Conv2d;
  bn2: nn.BatchNorm2d;
  relu: nn.ReLU;
  downsample: nn.Sequential | null;

  constructor(inChannels: number, outChannels: number, stride = 1) {
    super();
    this.conv1 = new nn.Conv2d(inChannels, outChannels, 3, { stride, padding: 1, bias: false });
    this.bn1 = new nn.BatchNorm2d(outChannels);
    this.conv2 = new nn.Conv2d(outChannels, outChannels, 3, { padding: 1, bias: false });
    this.bn2 = new nn.BatchNorm2d(outChannels);
    // One ReLU module, applied twice (as torchvision's BasicBlock does).
    this.relu = new nn.ReLU({ inplace: true });
    this.downsample =
      stride !== 1 || inChannels !== outChannels
        ? new nn.Sequential(
            new nn.Conv2d(inChannels, outChannels, 1, { stride, bias: false }),
            new nn.BatchNorm2d(outChannels),
          )
        : null;
  }

  forward(x: Tensor): Tensor {
    let out = this.relu.forward(this.bn1.forward(this.conv1.forward(x)));
    out = this.bn2.forward(this.conv2.forward(out));
    const identity = this.downsample ? this.downsample.forward(x) : x;
    out = out.add(identity);
    return this.relu.forward(out);
  }
}
