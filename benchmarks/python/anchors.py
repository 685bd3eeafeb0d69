#!/usr/bin/env python3
"""Optional anchor rows for `pnpm bench` (W4 and W5), run by src/main.ts when the interpreter has
the library; CI never needs them:

    python3 anchors.py w4-gemm <impl> <n> <per_rep> <reps>
    python3 anchors.py w5-cnn <impl> <digits.f64> <train> <test> <batch> <lr> <reps>
    python3 anchors.py serve w4-gemm <impl> <n> <per_rep>   (one W4 repetition per stdin line)

  pytorch, pytorch-f32   torch on one thread (torch.set_num_threads(1)), float64 or float32:
                         Debian's python3-torch at /usr/bin/python3. Debian builds it against the
                         generic libblas.so.3 interface; which library that is (reference BLAS,
                         OpenBLAS, BLIS...) is chosen by the system's alternatives, so the BLAS
                         actually loaded is read from /proc/self/maps and reported (W4)
  numpy                  numpy's `a @ b` in float64 on one thread (OPENBLAS_NUM_THREADS=1): an
                         optimized BLAS (numpy wheels ship OpenBLAS) as the machine's practical peak
                         (W4 only)

W4 does `per_rep` products of two n x n matrices (the same sin/cos data as the JS cases) per
repetition. W5 trains the W5 network (torch.nn layers, PyTorch's default initialisation,
CrossEntropyLoss on logits = softmax + categorical cross-entropy, Adam) for one epoch of the
`train` digits in order, in batches of `batch`, a fresh model each repetition, then measures
test accuracy; the digits are the JS cases' own, written by src/main.ts to `digits.f64`
(float64, little-endian: train pixels, train labels, test pixels, test labels). Each runs one
warm-up repetition and `reps` timed ones and prints one result line in the format of
src/case.ts."""
import json
import math
import os
import sys
import time

# one thread for every BLAS and OpenMP runtime, set before the libraries load
for var in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS'):
    os.environ[var] = '1'


def operands(n, dtype_name):
    import numpy as np
    i = np.arange(n * n, dtype=np.float64)
    return np.sin(i).reshape(n, n).astype(dtype_name), np.cos(i).reshape(n, n).astype(dtype_name)


def loaded_blas():
    """The BLAS library this process has mapped, e.g. 'OpenBLAS (libblas.so.3 -> .../openblas-pthread/...)'.

    torch loads libblas.so.3 when it starts, and the alternatives system decides which file that is:
    /usr/lib/x86_64-linux-gnu/blas/ is the reference BLAS, .../openblas-*/ is OpenBLAS."""
    try:
        with open('/proc/self/maps') as maps:
            paths = sorted({line.split()[-1] for line in maps if 'blas' in line.split()[-1].lower()})
    except OSError:
        return 'generic libblas.so.3 (could not tell which)'
    real = [os.path.realpath(p) for p in paths]
    for path in real:
        if 'openblas' in path.lower():
            return f'OpenBLAS ({path})'
    for path in real:
        if 'blis' in path.lower():
            return f'BLIS ({path})'
    for path in real:
        if '/blas/' in path:
            return f'reference BLAS ({path})'
    return 'generic libblas.so.3 (' + (', '.join(real) or 'not mapped') + ')'


def setup(impl, n):
    if impl in ('pytorch', 'pytorch-f32'):
        import torch
        torch.set_num_threads(1)
        dtype = torch.float32 if impl == 'pytorch-f32' else torch.float64
        i = torch.arange(n * n, dtype=torch.float64)
        a, b = torch.sin(i).reshape(n, n).to(dtype), torch.cos(i).reshape(n, n).to(dtype)
        config = torch.__config__.show()
        blas = loaded_blas() if 'BLAS_INFO=generic' in config else config.split('BLAS_INFO=')[-1].split(',')[0]
        info = {'backend': 'torch', 'dtype': str(dtype).replace('torch.', ''), 'threads': torch.get_num_threads(),
                'version': torch.__version__, 'blas': blas, 'api': 'a @ b'}
        return a, b, info, lambda c: float(c.reshape(-1)[12345])
    if impl == 'numpy':
        import numpy as np
        a, b = operands(n, 'float64')
        cfg = np.show_config(mode='dicts') if 'mode' in np.show_config.__code__.co_varnames else {}
        blas = cfg.get('Build Dependencies', {}).get('blas', {})
        info = {'backend': 'numpy', 'dtype': 'float64', 'threads': 1, 'version': np.__version__,
                'blas': f"{blas.get('name', '?')} {blas.get('version', '')}".strip(), 'api': 'a @ b'}
        return a, b, info, lambda c: float(c.reshape(-1)[12345])
    raise SystemExit(f'anchors.py: unknown impl {impl}')


def gemm(impl, n, per_rep):
    """W4: a repetition is `per_rep` products a @ b."""
    a, b, info, checksum = setup(impl, n)

    def rep():
        t0 = time.perf_counter()
        for _ in range(per_rep):
            c = a @ b
        return {'seconds': time.perf_counter() - t0, 'extra': {'checksum': checksum(c)}}

    return rep, info, lambda r: math.isfinite(r['extra']['checksum'])


def cnn(impl, path, train, test, batch, lr):
    """W5: a repetition trains a fresh W5 network for one epoch (timed), then tests it (not timed)."""
    if impl not in ('pytorch', 'pytorch-f32'):
        raise SystemExit(f'anchors.py: w5-cnn runs on pytorch or pytorch-f32, not {impl}')
    import numpy as np
    import torch
    from torch import nn
    torch.set_num_threads(1)
    dtype = torch.float32 if impl == 'pytorch-f32' else torch.float64
    raw = np.fromfile(path, dtype='<f8')
    if raw.size != (train + test) * 785:
        raise SystemExit(f'anchors.py: {path} holds {raw.size} numbers, expected {(train + test) * 785}')
    parts = np.split(raw, np.cumsum([train * 784, train, test * 784]))
    x = torch.from_numpy(parts[0].reshape(train, 1, 28, 28)).to(dtype)
    y = torch.from_numpy(parts[1]).long()
    x_test = torch.from_numpy(parts[2].reshape(test, 1, 28, 28)).to(dtype)
    y_test = torch.from_numpy(parts[3]).long()
    info = {'backend': 'torch', 'dtype': str(dtype).replace('torch.', ''), 'threads': torch.get_num_threads(),
            'version': torch.__version__, 'api': 'nn.Sequential + CrossEntropyLoss + torch.optim.Adam'}
    seed = [5]

    def rep():
        torch.manual_seed(seed[0])
        seed[0] += 1
        model = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(784, 10),
        ).to(dtype)
        opt = torch.optim.Adam(model.parameters(), lr=lr)
        loss_fn = nn.CrossEntropyLoss()
        t0 = time.perf_counter()
        for i in range(0, train, batch):
            opt.zero_grad()
            loss = loss_fn(model(x[i:i + batch]), y[i:i + batch])
            loss.backward()
            opt.step()
        seconds = time.perf_counter() - t0
        with torch.no_grad():
            acc = (model(x_test).argmax(1) == y_test).double().mean().item()
        return {'seconds': seconds, 'extra': {'loss': loss.item(), 'accuracy': acc, 'samples': train}}

    return rep, info, lambda r: math.isfinite(r['extra']['loss'])


def serve():
    """`anchors.py serve w4-gemm <impl> <n> <per_rep>`: the PyTorch side of an interleaved pair
    (src/paired.ts). Prints one result line with the info once ready, then runs one repetition for
    each line read from stdin and prints it as a result line, until stdin closes."""
    if sys.argv[2] != 'w4-gemm':
        raise SystemExit(f'anchors.py serve: only w4-gemm, not {sys.argv[2]}')
    rep, info, ok = gemm(sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    print('@@result ' + json.dumps(info), flush=True)
    for _ in sys.stdin:
        r = rep()
        assert ok(r)
        print('@@result ' + json.dumps(r), flush=True)


def main():
    if sys.argv[1] == 'serve':
        serve()
        return
    workload, impl = sys.argv[1], sys.argv[2]
    if workload == 'w4-gemm':
        rep, info, ok = gemm(impl, int(sys.argv[3]), int(sys.argv[4]))
    elif workload == 'w5-cnn':
        rep, info, ok = cnn(impl, sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), float(sys.argv[7]))
    else:
        raise SystemExit(f'anchors.py: unknown workload {workload}')
    reps = int(sys.argv[-1])

    # warm-up: one repetition, or the workload's rule from main.ts (the same as the JS cases':
    # at least `seconds` and `reps`, at most `max_seconds`)
    seconds, min_reps, max_seconds = (float(v) for v in os.environ.get('SMOLML_BENCH_WARMUP', '0,1,0').split(','))
    start = time.perf_counter()
    warm_reps = 0
    while True:
        rep()
        warm_reps += 1
        spent = time.perf_counter() - start
        if spent >= max_seconds or (spent >= seconds and warm_reps >= min_reps):
            break
    info['warmupReps'] = warm_reps
    sys.stderr.write(f"warm-up {warm_reps} rep{'' if warm_reps == 1 else 's'} in {spent:.3f} s, reps")
    timed = []
    for _ in range(reps):
        timed.append(rep())
        sys.stderr.write(f" {timed[-1]['seconds']:.3f}")
    sys.stderr.write(' s; ')
    assert ok(timed[-1])
    print('@@result ' + json.dumps({'workload': workload, 'impl': impl, 'info': info, 'reps': timed}))


if __name__ == '__main__':
    main()
