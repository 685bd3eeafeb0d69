#!/usr/bin/env python3
"""Optional anchor rows for `pnpm bench` (W4 only), run by src/main.ts when the interpreter has
the library; CI never needs them:

    python3 anchors.py <impl> <n> <per_rep> <reps>

  pytorch, pytorch-f32   torch's `a @ b` on one thread (torch.set_num_threads(1)), float64 or
                         float32: Debian's python3-torch at /usr/bin/python3. Debian builds it
                         against the generic libblas.so.3 interface; which library that is
                         (reference BLAS, OpenBLAS, BLIS...) is chosen by the system's alternatives,
                         so the BLAS actually loaded is read from /proc/self/maps and reported
  numpy                  numpy's `a @ b` in float64 on one thread (OPENBLAS_NUM_THREADS=1): an
                         optimized BLAS (numpy wheels ship OpenBLAS) as the machine's practical peak

Each does `per_rep` products of two n x n matrices (the same sin/cos data as the JS cases),
one warm-up repetition and `reps` timed ones, and prints one result line in the format of
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


def main():
    impl, n, per_rep, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    a, b, info, checksum = setup(impl, n)

    def rep():
        t0 = time.perf_counter()
        for _ in range(per_rep):
            c = a @ b
        return {'seconds': time.perf_counter() - t0, 'extra': {'checksum': checksum(c)}}

    warm = rep()
    sys.stderr.write(f"warm-up {warm['seconds']:.3f} s, reps")
    timed = []
    for _ in range(reps):
        timed.append(rep())
        sys.stderr.write(f" {timed[-1]['seconds']:.3f}")
    sys.stderr.write(' s; ')
    assert math.isfinite(timed[-1]['extra']['checksum'])
    print('@@result ' + json.dumps({'workload': 'w4-gemm', 'impl': impl, 'info': info, 'reps': timed}))


if __name__ == '__main__':
    main()
