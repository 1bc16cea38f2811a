#!/usr/bin/python3
"""Defines and trains a small MobileNetV2-style network on Debian's
dataset-fashion-mnist with fixed seeds, exports it with torch.onnx.export,
and measures PyTorch's own fp32 and static-PTQ int8 accuracy (FX graph
mode, onednn engine: per-channel symmetric int8 weights, u8 activations
with histogram observers) on the same weights.

The network: a 3x3 stem (16 channels), eight inverted-residual blocks
(1x1 expansion with ReLU6, 3x3 depthwise with ReLU6, 1x1 linear bottleneck,
a residual add where the block keeps its shape; strides 2 at 28, 14 and 7
pixels), a 1x1 convolution to 256 channels with ReLU6, global average
pooling and a linear classifier. Batch normalization is trained and folded
into the convolutions by the export (eval mode).

Needs Debian's python3-torch, python3-numpy, python3-onnx and
dataset-fashion-mnist; run with /usr/bin/python3.

Usage: train.py OUTDIR [--epochs N]
Writes OUTDIR/mobilenet.onnx, calib.npy (the first 500 training images),
test-images.npy and test-labels.npy (the 10,000 test images, N x 1 x 28 x
28 float32, normalized), torch.json (fp32 and PTQ accuracies, training
time).
"""

import argparse
import copy
import gzip
import json
import os
import struct
import time

import numpy as np
import torch
import torch.nn as nn

DATA = "/usr/share/datasets/fashion-mnist"
SEED = 20261207
# (expansion, output channels, stride) of each inverted-residual block.
BLOCKS = [(1, 16, 1), (4, 24, 2), (4, 24, 1), (4, 32, 2), (4, 32, 1),
          (4, 32, 1), (4, 64, 2), (4, 64, 1)]


def load(kind):
    with gzip.open(os.path.join(DATA, "%s-images-idx3-ubyte.gz" % kind)) as f:
        _, n, rows, cols = struct.unpack(">IIII", f.read(16))
        images = np.frombuffer(f.read(), dtype=np.uint8).reshape(n, 1, rows, cols)
    with gzip.open(os.path.join(DATA, "%s-labels-idx1-ubyte.gz" % kind)) as f:
        f.read(8)
        labels = np.frombuffer(f.read(), dtype=np.uint8)
    return (images.astype(np.float32) / 255.0 - 0.2860) / 0.3530, labels.astype(np.int64)


def conv_bn(cin, cout, kernel, stride=1, groups=1, relu6=True):
    layers = [nn.Conv2d(cin, cout, kernel, stride, kernel // 2, groups=groups, bias=False),
              nn.BatchNorm2d(cout)]
    if relu6:
        layers.append(nn.ReLU6())
    return nn.Sequential(*layers)


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, expansion, stride):
        super().__init__()
        hidden = cin * expansion
        layers = [conv_bn(cin, hidden, 1)] if expansion != 1 else []
        layers += [conv_bn(hidden, hidden, 3, stride, groups=hidden),
                   conv_bn(hidden, cout, 1, relu6=False)]  # linear bottleneck
        self.body = nn.Sequential(*layers)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.body(x)
        return x + y if self.residual else y


class MobileNet(nn.Module):
    def __init__(self):
        super().__init__()
        layers, c = [conv_bn(1, 16, 3)], 16
        for t, cout, s in BLOCKS:
            layers.append(InvertedResidual(c, cout, t, s))
            c = cout
        layers.append(conv_bn(c, 256, 1))
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Linear(256, 10)

    def forward(self, x):
        x = self.features(x)
        return self.classifier(torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1))


def accuracy(model, x, y, batch=500):
    right = 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            right += int((model(torch.from_numpy(x[i:i + batch])).argmax(1).numpy()
                          == y[i:i + batch]).sum())
    return right / len(x)


def torch_ptq(model, calib, x, y):
    """PyTorch's static post-training quantization of the same weights."""
    from torch.ao.quantization import QConfig, QConfigMapping
    from torch.ao.quantization import HistogramObserver, PerChannelMinMaxObserver
    from torch.ao.quantization.quantize_fx import convert_fx, prepare_fx
    torch.backends.quantized.engine = "onednn"
    qconfig = QConfig(
        activation=HistogramObserver.with_args(dtype=torch.quint8),
        weight=PerChannelMinMaxObserver.with_args(
            dtype=torch.qint8, qscheme=torch.per_channel_symmetric))
    m = prepare_fx(copy.deepcopy(model).eval(), QConfigMapping().set_global(qconfig),
                   example_inputs=(torch.from_numpy(calib[:1]),))
    with torch.no_grad():
        for i in range(0, len(calib), 50):
            m(torch.from_numpy(calib[i:i + 50]))
    return accuracy(convert_fx(m), x, y)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("outdir")
    parser.add_argument("--epochs", type=int, default=4)
    a = parser.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    torch.manual_seed(SEED)
    np.random.seed(SEED)
    torch.set_num_threads(2)
    x_train, y_train = load("train")
    x_test, y_test = load("t10k")

    model = MobileNet()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    steps = a.epochs * (len(x_train) // 128)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=4e-3, total_steps=steps)
    start = time.time()
    for epoch in range(a.epochs):
        model.train()
        order = np.random.permutation(len(x_train))
        for i in range(0, len(order) - 127, 128):
            idx = order[i:i + 128]
            xb = torch.from_numpy(x_train[idx])
            # Random shifts by up to 2 pixels: the only augmentation.
            dx, dy = np.random.randint(-2, 3, size=2)
            xb = torch.roll(xb, shifts=(int(dy), int(dx)), dims=(2, 3))
            loss = nn.functional.cross_entropy(model(xb), torch.from_numpy(y_train[idx]))
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        model.eval()
        print("epoch %d: test accuracy %.4f (%.0f s)" % (
            epoch + 1, accuracy(model, x_test, y_test), time.time() - start), flush=True)
    train_time = time.time() - start
    model.eval()

    calib = x_train[:500]
    np.save(os.path.join(a.outdir, "calib.npy"), calib)
    np.save(os.path.join(a.outdir, "test-images.npy"), x_test)
    np.save(os.path.join(a.outdir, "test-labels.npy"), y_test)
    torch.onnx.export(model, torch.from_numpy(x_test[:1]),
                      os.path.join(a.outdir, "mobilenet.onnx"), opset_version=17,
                      input_names=["x"], output_names=["logits"],
                      dynamic_axes={"x": {0: "n"}, "logits": {0: "n"}})
    torch.save(model.state_dict(), os.path.join(a.outdir, "mobilenet.pt"))
    fp32 = accuracy(model, x_test, y_test)
    ptq = torch_ptq(model, calib, x_test, y_test)
    result = {"fp32": fp32, "ptq_int8": ptq, "epochs": a.epochs,
              "train_seconds": round(train_time, 1), "seed": SEED,
              "parameters": sum(p.numel() for p in model.parameters())}
    with open(os.path.join(a.outdir, "torch.json"), "w") as f:
        json.dump(result, f, indent=1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
