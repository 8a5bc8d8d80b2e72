#!/usr/bin/env python3
"""The gpu device benchmark's anchors, run by it as a subprocess (never by a test).

    anchors.py mlp FOLDER 1,4,16,...   PyTorch running the model's own integer weights dense in float32
    anchors.py spmv FOLDER             cuSPARSE CSR through CuPy (float32, float64) and PyTorch sparse CSR

FOLDER holds what the benchmark wrote (raw little-endian arrays). Everything runs on CUDA when PyTorch
sees a GPU, else on the CPU, and says which. Results are key=value lines; an anchor that cannot run
prints NAME_missing=why instead of its numbers.
"""
import os
import statistics
import sys
import time

import numpy as np
import torch


def device():
    return "cuda" if torch.cuda.is_available() else "cpu"


def device_name(dev):
    return torch.cuda.get_device_name(0).replace(" ", "_") if dev == "cuda" else "cpu"


def median_seconds(run, synchronize):
    """Median seconds of one call over 7 timed batches, after a warm-up of at least 0.1 s that sets the batch."""
    calls, start = 0, time.perf_counter()
    while calls == 0 or time.perf_counter() - start < 0.1:
        run()
        synchronize()
        calls += 1
    times = []
    for _ in range(7):
        start = time.perf_counter()
        for _ in range(calls):
            run()
        synchronize()
        times.append((time.perf_counter() - start) / calls)
    return statistics.median(times)


def torch_sync(dev):
    return torch.cuda.synchronize if dev == "cuda" else (lambda: None)


def load(folder, name, dtype):
    return np.fromfile(os.path.join(folder, name), dtype=dtype)


def mlp(folder, batches):
    dev = device()
    torch.backends.cuda.matmul.allow_tf32 = False  # float32 as written, for the accuracy comparison
    layers = [tuple(int(v) for v in line.split()) for line in open(os.path.join(folder, "layers"))]
    weights, biases = [], []
    for index, (rows, cols, _) in enumerate(layers):
        w = load(folder, f"w{index}.bin", np.int32).reshape(rows, cols)
        weights.append(torch.from_numpy(w.astype(np.float32).T.copy()).to(dev))
        biases.append(torch.from_numpy(load(folder, f"b{index}.bin", np.int32).astype(np.float32)).to(dev))
    images = load(folder, "images.bin", np.uint8).reshape(-1, layers[0][1])
    labels = load(folder, "labels.bin", np.uint8)
    ours = load(folder, "outputs.bin", np.int32).reshape(len(labels), -1)

    def forward(x):
        h = x.float()
        for (_, _, shift), w, b in zip(layers, weights, biases):
            y = h @ w + b
            if shift < 0:
                return y
            # The device's requantizer: round half up, shift, ReLU, saturate to 8 bits.
            half = 2.0 ** (shift - 1) if shift > 0 else 0.0
            h = torch.clamp(torch.floor((y + half) / 2.0 ** shift), 0, 255)
        return h

    print("version=" + torch.__version__)
    print("device=" + device_name(dev))
    with torch.inference_mode():
        predicted = forward(torch.from_numpy(images).to(dev)).cpu().numpy().argmax(1)
        print(f"accuracy={(predicted == labels).mean()}")
        print(f"agree={int((predicted == ours.argmax(1)).sum())}")
        for batch in batches:
            x = torch.from_numpy(np.resize(images, (batch, images.shape[1])))
            seconds = median_seconds(lambda: forward(x.to(dev)).cpu(), torch_sync(dev))
            print(f"images_per_s_{batch}={batch / seconds}")


def check(y, expected, exact):
    """'exact', or the largest error relative to the largest result; DIFFERS when an exact type is not exact."""
    y = np.asarray(y, dtype=np.float64)
    if np.array_equal(np.rint(y), expected) and np.array_equal(y, np.rint(y)):
        return "exact"
    error = np.abs(y - expected).max() / max(1.0, np.abs(expected).max())
    return f"{'DIFFERS' if exact else 'not exact'}: largest error {error:.1e} of the largest result"


def spmv(folder):
    n, count = (int(v) for v in open(os.path.join(folder, "shape")).read().split())
    indptr, indices, data = (load(folder, name, np.int32) for name in ("indptr.bin", "indices.bin", "data.bin"))
    xs = load(folder, "x.bin", np.int32).reshape(count, n)
    ys = load(folder, "y.bin", np.int32).reshape(count, n).astype(np.float64)
    nnz = len(data)
    dev = device()
    print("version=" + torch.__version__)
    print("device=" + device_name(dev))

    # PyTorch sparse CSR, int32 indices, float32 values: 8 bytes read per nonzero, as CSR does.
    try:
        a = torch.sparse_csr_tensor(torch.from_numpy(indptr), torch.from_numpy(indices), torch.from_numpy(data.astype(np.float32)), size=(n, n)).to(dev)
        x1 = torch.from_numpy(xs[0].astype(np.float32)).to(dev)
        xm = torch.from_numpy(xs.T.astype(np.float32).copy()).to(dev)
        with torch.inference_mode():
            checked = check((a @ xm).cpu().numpy().T, ys, exact=False)
            single = median_seconds(lambda: a @ x1, torch_sync(dev)) * 1e9 / nnz
            batch = median_seconds(lambda: a @ xm, torch_sync(dev)) * 1e9 / nnz / count
        print(f"torch_f32_check={checked}")
        print(f"torch_f32_single={single}")
        print(f"torch_f32_batch={batch}")
    except RuntimeError as e:  # e.g. a CPU build without MKL has no sparse CSR product
        print(f"torch_f32_missing={str(e).splitlines()[0][:200]}")

    try:
        import cupy
        import cupyx.scipy.sparse
        if cupy.cuda.runtime.getDeviceCount() == 0:
            raise RuntimeError("CuPy sees no GPU")
    except Exception as e:  # ImportError, or CUDA missing underneath CuPy
        why = f"no CuPy with a GPU: {type(e).__name__}: {e}".replace("\n", " ")[:200]
        print(f"cusparse_f32_missing={why}")
        print(f"cusparse_f64_missing={why}")
        return
    synchronize = cupy.cuda.Stream.null.synchronize
    for name, dtype, exact in (("cusparse_f32", cupy.float32, False), ("cusparse_f64", cupy.float64, True)):
        m = cupyx.scipy.sparse.csr_matrix((cupy.asarray(data, dtype=dtype), cupy.asarray(indices), cupy.asarray(indptr)), shape=(n, n))
        v = cupy.asarray(xs[0], dtype=dtype)
        vm = cupy.asarray(xs.T, dtype=dtype)
        print(f"{name}_check={check(cupy.asnumpy(m @ vm).T, ys, exact)}")
        print(f"{name}_single={median_seconds(lambda: m @ v, synchronize) * 1e9 / nnz}")
        print(f"{name}_batch={median_seconds(lambda: m @ vm, synchronize) * 1e9 / nnz / count}")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "mlp":
        mlp(sys.argv[2], [int(b) for b in sys.argv[3].split(",")])
    elif len(sys.argv) >= 3 and sys.argv[1] == "spmv":
        spmv(sys.argv[2])
    else:
        sys.exit("usage: anchors.py mlp FOLDER BATCHES | anchors.py spmv FOLDER")
