#!/usr/bin/env python3
"""Peer benchmark for the convolutions (benches/nn.rs, group `nn_conv`): PyTorch, f32, the
same thread count, the same workloads:

* conv2d forward + backward (input, weight and bias gradients) for LeNet's two convolutions
  on a batch of 64 MNIST-sized images and for a ResNet block's 3x3 convolution (8 images of
  64 x 56 x 56, padding 1);
* one training step (Adam, cross-entropy) of example 15's conv net on 32 digits.

Prints the median and range of repeated timings per workload. Run from the repository root
after `cargo bench --bench nn -- nn_conv` (or use compare_conv.sh, which runs both):

    python benches/peers/conv_step.py [--threads 2] [--quick]
"""

import argparse
import statistics
import time

import torch
import torch.nn.functional as F

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--quick", action="store_true")
args = parser.parse_args()
torch.set_num_threads(args.threads)
reps = 5 if args.quick else 20

torch.manual_seed(3)
CASES = [
    ("lenet_conv1", (64, 1, 28, 28), (6, 1, 5, 5), 0),
    ("lenet_conv2", (64, 6, 12, 12), (16, 6, 5, 5), 0),
    ("resnet_3x3", (8, 64, 56, 56), (64, 64, 3, 3), 1),
]


def timed(step):
    for _ in range(3):
        step()
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        step()
        times.append((time.perf_counter() - t) * 1e3)
    return statistics.median(times), min(times), max(times)


rows = []
for name, xd, wd, pad in CASES:
    x = (torch.rand(xd) * 2 - 1).requires_grad_()
    w = (torch.rand(wd) * 0.2 - 0.1).requires_grad_()
    b = torch.zeros(wd[0], requires_grad=True)

    def step():
        y = F.conv2d(x, w, b, padding=pad)
        y.sum().backward()
        x.grad = w.grad = b.grad = None

    rows.append((name, *timed(step)))

model = torch.nn.Sequential(
    torch.nn.Conv2d(1, 32, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
    torch.nn.Conv2d(32, 64, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
    torch.nn.Flatten(), torch.nn.Linear(256, 10),
)
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
x = torch.rand(32, 1, 8, 8)
labels = torch.randint(0, 10, (32,))


def train_step():
    loss = F.cross_entropy(model(x), labels)
    loss.backward()
    opt.step()
    opt.zero_grad(set_to_none=True)


rows.append(("digits_convnet_step_b32", *timed(train_step)))
print(f"torch {torch.__version__}, {args.threads} threads")
print("| workload | torch median ms | [min-max] |")
print("|---|---:|---:|")
for name, med, lo, hi in rows:
    print(f"| {name} | {med:.3f} | [{lo:.3f}-{hi:.3f}] |")
