"""W5 on PyTorch, one thread: the optional anchor row of `pnpm bench` (never needed by CI).

Usage: python3 w5.py <data.bin> <train rows> <test rows> <reps>
data.bin holds float32 train images (rows x 784), float32 test images (rows x 784), then
uint8 train labels and uint8 test labels, all written by benchmarks/src/pytorch.ts from the
same split the other cases use. Prints one JSON line: {"version", "reps": [{"seconds",
"accuracy", "loss"}]} after one untimed warm-up repetition. Same network, loss, optimizer,
batch and order (no shuffling) as the smolml and TF.js cases; PyTorch's default float32.
"""
import json
import sys
import time

import numpy as np
import torch
from torch import nn

torch.set_num_threads(1)
path, n_train, n_test, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
raw = open(path, 'rb').read()
f32 = np.frombuffer(raw, dtype=np.float32, count=(n_train + n_test) * 784)
labels = np.frombuffer(raw, dtype=np.uint8, offset=(n_train + n_test) * 784 * 4)
x_train = torch.tensor(f32[: n_train * 784].reshape(n_train, 1, 28, 28))
x_test = torch.tensor(f32[n_train * 784:].reshape(n_test, 1, 28, 28))
y_train = torch.tensor(labels[:n_train].astype(np.int64))
y_test = torch.tensor(labels[n_train:].astype(np.int64))


def model():
    return nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(784, 10),  # softmax + categorical CE = cross_entropy on logits
    )


def rep(seed):
    torch.manual_seed(seed)
    m = model()
    opt = torch.optim.Adam(m.parameters(), lr=1e-3)
    t0 = time.perf_counter()
    for i in range(0, n_train, 64):
        opt.zero_grad()
        loss = nn.functional.cross_entropy(m(x_train[i:i + 64]), y_train[i:i + 64])
        loss.backward()
        opt.step()
    seconds = time.perf_counter() - t0
    with torch.no_grad():
        acc = (m(x_test).argmax(1) == y_test).float().mean().item()
    return {'seconds': seconds, 'accuracy': acc, 'loss': loss.item()}


rep(0)  # warm-up
print(json.dumps({'version': torch.__version__, 'reps': [rep(1 + r) for r in range(reps)]}))
