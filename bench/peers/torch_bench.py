#!/usr/bin/env python3
"""PyTorch peer for the resode benchmark workloads W1-W5 (see DESIGN.md, "Benchmark workloads").

Plain PyTorch, float64, CPU. Prints one JSON object on stdout:
  { "peer": "pytorch", "version", "threads", "results": { "W1": {medianMs, minMs, maxMs, samples, check, twoThreads}, ... } }
(W1 and W2 are also timed on two intra-op threads, as "twoThreads", for resode's rows on both cores.)

Usage: /usr/bin/python3 bench/peers/torch_bench.py [--quick] [--only W1,W2]

Inputs of W1-W3 come from a portable generator (mulberry32 + Box-Muller, the same as in tfjs.ts),
so that the "check" values can be compared across peers.
"""
import argparse
import ctypes
import json
import math
import statistics
import time

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
M32 = 0xFFFFFFFF


def mulberry32(seed):
    """Uniform floats in [0, 1), bit-identical to the JS mulberry32."""
    a = seed & M32
    while True:
        a = (a + 0x6D2B79F5) & M32
        t = ((a ^ (a >> 15)) * (1 | a)) & M32
        t = ((t + (((t ^ (t >> 7)) * (61 | t)) & M32)) & M32) ^ t
        yield ((t ^ (t >> 14)) & M32) / 4294967296


def portable_normal(rng, shape, std=1.0):
    """N(0, std^2) entries in row-major order; one Box-Muller pair per entry (cosine branch)."""
    n = math.prod(shape)
    vals = [std * math.sqrt(-2.0 * math.log(1.0 - next(rng))) * math.cos(2.0 * math.pi * next(rng))
            for _ in range(n)]
    return torch.tensor(vals).reshape(shape)


def portable_uniform(rng, shape, bound):
    """U(-bound, bound) entries in row-major order."""
    return torch.tensor([bound * (2.0 * next(rng) - 1.0) for _ in range(math.prod(shape))]).reshape(shape)


def timed(run, warmup, reps):
    for _ in range(warmup):
        run()
    times, out = [], None
    for _ in range(reps):
        t0 = time.perf_counter()
        out = run()
        times.append((time.perf_counter() - t0) * 1e3)
    return {"medianMs": statistics.median(times), "minMs": min(times), "maxMs": max(times),
            "samples": reps, "check": out}


# W1: deep ResNet, h <- h + L^-1/2 V_k tanh(W_k h), rows of h are the batch.
def setup_w1(L=256, d=16, batch=128):
    rng = mulberry32(1)
    h0 = portable_normal(rng, (batch, d))
    Ws, Vs = [], []
    for _ in range(L):
        Ws.append(portable_normal(rng, (d, d), d ** -0.5).requires_grad_())
        Vs.append(portable_normal(rng, (d, d), d ** -0.5).requires_grad_())
    alpha = L ** -0.5

    def run():
        h = h0
        for W, V in zip(Ws, Vs):
            h = h + alpha * torch.tanh(h @ W.T) @ V.T
        loss = 0.5 * (h * h).sum(dim=1).mean()
        for p in Ws + Vs:
            p.grad = None
        loss.backward()
        return loss.item()
    return run


# W2/W3 vector field f(y) = Linear(64 -> 2)(tanh(Linear(2 -> 64)(y))), PyTorch's default init bounds.
def make_field(batch=256, hidden=64):
    rng = mulberry32(2)
    y0 = portable_normal(rng, (batch, 2))
    A = portable_uniform(rng, (hidden, 2), 2 ** -0.5).requires_grad_()
    a = portable_uniform(rng, (hidden,), 2 ** -0.5).requires_grad_()
    B = portable_uniform(rng, (2, hidden), hidden ** -0.5).requires_grad_()
    b = portable_uniform(rng, (2,), hidden ** -0.5).requires_grad_()
    params = [A, a, B, b]

    def f(y):
        return F.linear(torch.tanh(F.linear(y, A, a)), B, b)
    return f, y0, params


def setup_w2(h=0.05, steps=20):
    f, y0, params = make_field()

    def run():
        y = y0
        for _ in range(steps):  # classic RK4, autonomous field
            k1 = f(y)
            k2 = f(y + 0.5 * h * k1)
            k3 = f(y + 0.5 * h * k2)
            k4 = f(y + h * k3)
            y = y + (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4)
        loss = (y * y).sum()
        for p in params:
            p.grad = None
        loss.backward()
        return loss.item()
    return run


# Dormand-Prince 5(4) tableau (Dormand & Prince 1980), FSAL.
DP_A = [[],
        [1 / 5],
        [3 / 40, 9 / 40],
        [44 / 45, -56 / 15, 32 / 9],
        [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
        [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
        [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84]]
DP_B = DP_A[6] + [0]
DP_E = [71 / 57600, 0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40]  # b5 - b4


def lincomb(coeffs, ks):
    terms = [c * k for c, k in zip(coeffs, ks) if c != 0]
    return sum(terms[1:], terms[0])


def dopri5(f, y0, t0, t1, rtol, atol):
    """Integrate the autonomous dy/dt = f(y) from t0 to t1; differentiable through the accepted steps."""
    nfe = 0

    def rms(x):
        return x.detach().pow(2).mean().sqrt().item()

    # Initial step (Hairer, Norsett, Wanner, Solving ODEs I, II.4).
    f0 = f(y0); nfe += 1
    scale = atol + rtol * y0.detach().abs()
    d0, d1 = rms(y0 / scale), rms(f0 / scale)
    h0 = 1e-6 if d0 < 1e-5 or d1 < 1e-5 else 0.01 * d0 / d1
    with torch.no_grad():
        f1 = f(y0 + h0 * f0); nfe += 1
    d2 = rms((f1 - f0) / scale) / h0
    h1 = max(1e-6, h0 * 1e-3) if max(d1, d2) <= 1e-15 else (0.01 / max(d1, d2)) ** (1 / 5)
    h = min(100 * h0, h1, t1 - t0)

    t, y, k1 = t0, y0, f0
    while t < t1:
        h = min(h, t1 - t)
        ks = [k1]
        for i in range(1, 7):
            ks.append(f(y + h * lincomb(DP_A[i], ks))); nfe += 1
        y_new = y + h * lincomb(DP_B, ks)
        err = h * lincomb(DP_E, ks)
        norm = rms(err / (atol + rtol * torch.maximum(y.detach().abs(), y_new.detach().abs())))
        if norm <= 1:
            t, y, k1 = t + h, y_new, ks[6]
        h *= 10 if norm == 0 else min(10, max(0.2, 0.9 * norm ** (-1 / 5)))
    return y, nfe


def setup_w3(rtol=1e-6, atol=1e-8):
    f, y0, params = make_field()
    stats = {}

    def run():
        y1, stats["nfe"] = dopri5(f, y0, 0.0, 1.0, rtol, atol)
        loss = (y1 * y1).sum()
        for p in params:
            p.grad = None
        loss.backward()
        return loss.item()
    return run, stats


def setup_w4(n=256, inner=20):
    g = torch.Generator().manual_seed(4)
    a, b, c = torch.randn(n, n, generator=g), torch.randn(n, n, generator=g), torch.empty(n, n)

    def run():  # one sample = `inner` matmuls, reported per matmul below; out= keeps malloc out of it
        for _ in range(inner):
            torch.mm(a, b, out=c)
        return c[0, 0].item()
    return run, inner


# W5: ratio ||h_L - h_0|| / ||h_0|| at initialisation, 20 fresh networks per (beta, L), batched
# with torch.bmm; entries uniform with variance 1/d, i.e. on [-sqrt(3/d), sqrt(3/d)].
def setup_w5(d=64, samples=20, betas=(0.25, 0.5, 1.0), depths=(10, 100, 1000)):
    g = torch.Generator().manual_seed(5)
    bound = math.sqrt(3 / d)
    ratios = {}

    def uniform(*shape):
        return (torch.rand(*shape, generator=g) * 2 - 1) * bound

    @torch.no_grad()
    def run():
        g.manual_seed(5)
        for beta in betas:
            for L in depths:
                h0 = torch.randn(samples, d, 1, generator=g)
                h, alpha = h0, L ** -beta
                for _ in range(L):
                    W, V = uniform(samples, d, d), uniform(samples, d, d)
                    h = h + alpha * torch.bmm(V, torch.relu(torch.bmm(W, h)))
                ratio = ((h - h0).norm(dim=(1, 2)) / h0.norm(dim=(1, 2))).mean().item()
                ratios[f"beta={beta},L={L}"] = ratio
        return ratios["beta=0.5,L=1000"]
    return run, ratios


def openblas():
    """Debian's torch calls the system libblas.so.3; when that is OpenBLAS, it has its own thread pool."""
    try:
        lib = ctypes.CDLL("libblas.so.3")
    except OSError:
        return None
    return lib if hasattr(lib, "openblas_set_num_threads") else None


def blas_threads_of(lib):
    return lib.openblas_get_num_threads() if lib else None  # None: not OpenBLAS (e.g. reference BLAS)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer repetitions")
    ap.add_argument("--only", default="W1,W2,W3,W4,W5", help="comma-separated workloads")
    args = ap.parse_args()
    only = set(args.only.upper().split(","))
    warmup, reps = (1, 5) if args.quick else (3, 30)
    threads = {"threads": torch.get_num_threads(), "blasThreads": blas_threads_of(openblas())}
    results = {}

    for name, setup in (("W1", setup_w1), ("W2", setup_w2)):
        if name in only:
            results[name] = timed(setup(), warmup, reps)
            # The peer of resode's rows on both cores: the same workload with two intra-op threads.
            torch.set_num_threads(2)
            results[name]["twoThreads"] = timed(setup(), warmup, reps)
            torch.set_num_threads(threads["threads"])
    if "W3" in only:
        run, stats = setup_w3()
        results["W3"] = {**timed(run, warmup, reps), "nfe": stats["nfe"]}
    if "W4" in only:
        run, inner = setup_w4()
        blas = openblas()
        torch_threads, blas_threads = torch.get_num_threads(), blas_threads_of(blas)
        per_matmul = {}
        for label, one in (("default", False), ("oneThread", True)):
            torch.set_num_threads(1 if one else torch_threads)
            if blas:
                blas.openblas_set_num_threads(1 if one else blas_threads)
            r = timed(run, warmup, reps)
            for k in ("medianMs", "minMs", "maxMs"):
                r[k] /= inner
            r["gflops"] = 2 * 256 ** 3 / (r["medianMs"] * 1e6)
            per_matmul[label] = r
        torch.set_num_threads(torch_threads)
        if blas:
            blas.openblas_set_num_threads(blas_threads)
        results["W4"] = {**per_matmul["default"],
                         "oneThread": {k: per_matmul["oneThread"][k] for k in ("medianMs", "gflops")}}
    if "W5" in only:
        run, ratios = setup_w5()
        results["W5"] = {**timed(run, 1 if args.quick else 2, 2 if args.quick else 5), "ratios": ratios}

    print(json.dumps({"peer": "pytorch", "version": torch.__version__, **threads,
                      "results": results}))


if __name__ == "__main__":
    main()
