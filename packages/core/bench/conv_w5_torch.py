"""PyTorch side of conv-w5.mjs: forward+backward+SGD samples/s of the W5 net on one thread.

Usage: /usr/bin/python3 conv_w5_torch.py SECONDS   (prints one JSON line: {"float64": s/s, "float32": s/s})
"""
import json
import sys
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0


def rate(dtype):
    g = torch.Generator().manual_seed(0)
    def p(*shape, scale):
        return (torch.randn(*shape, generator=g, dtype=dtype) * scale).requires_grad_(True)
    w1, b1 = p(8, 1, 3, 3, scale=0.3), p(8, scale=0.0)
    w2, b2 = p(16, 8, 3, 3, scale=0.1), p(16, scale=0.0)
    wd, bd = p(784, 10, scale=0.05), p(10, scale=0.0)
    params = [w1, b1, w2, b2, wd, bd]
    x = torch.rand(64, 1, 28, 28, generator=g, dtype=dtype)
    y = torch.randint(0, 10, (64,), generator=g)

    def step():
        h = F.max_pool2d(F.relu(F.conv2d(x, w1, b1, padding=1)), 2)
        h = F.max_pool2d(F.relu(F.conv2d(h, w2, b2, padding=1)), 2)
        logits = h.reshape(64, 784) @ wd + bd
        loss = -F.log_softmax(logits, dim=1)[torch.arange(64), y].mean()
        for q in params:
            q.grad = None
        loss.backward()
        with torch.no_grad():
            for q in params:
                q -= 0.01 * q.grad

    for _ in range(3):
        step()
    steps, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        step()
        steps += 1
    return 64 * steps / (time.perf_counter() - start)


print(json.dumps({"float64": rate(torch.float64), "float32": rate(torch.float32)}))
