"""The benchmark workloads on PyTorch, run by bench/pytorch.ts as a subprocess.

Usage: python3 bench/pytorch.py '<config JSON>'   (the BenchConfig of bench/workloads.ts)

Threads are set by the caller: torch.set_num_threads from TORCH_THREADS, and the BLAS
threads through OPENBLAS_NUM_THREADS / OMP_NUM_THREADS in this process's environment
(they must be set before the BLAS library loads). Prints one JSON object on stdout:
{"torch", "threads", "blas", "results": {workload id: result}}, with results shaped like
bench/workloads.ts Result. (Not named torch.py: Python puts the script's folder first on
sys.path, so a torch.py here would shadow the torch package.)
"""

import json
import os
import sys
import time

import torch
import torch.nn.functional as F


def measure(call, timing):
    """Times call() exactly like bench/measure.ts: warm-up, then timed calls."""
    try:
        first = time_once(call)
        if first > timing["longCallMs"]:
            return {"status": "ok", "bestMs": first, "medianMs": first, "reps": 1, "warmedUp": False}
        samples = []
        spent = 0.0
        while len(samples) < timing["maxReps"] and spent < timing["budgetMs"]:
            ms = time_once(call)
            samples.append(ms)
            spent += ms
        samples.sort()
        mid = len(samples) // 2
        median = samples[mid] if len(samples) % 2 else (samples[mid - 1] + samples[mid]) / 2
        return {"status": "ok", "bestMs": samples[0], "medianMs": median, "reps": len(samples), "warmedUp": True}
    except Exception as error:  # a failed workload is reported, not fatal
        return {"status": "failed", "message": f"{type(error).__name__}: {error}"}


def time_once(call):
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1e3


def gemm(n):
    a = torch.randn(n, n)
    b = torch.randn(n, n)
    return lambda: torch.mm(a, b)


def conv_inputs(spec):
    x = torch.randn(spec["batch"], spec["channels"], spec["height"], spec["width"])
    weight = torch.randn(spec["filters"], spec["channels"], spec["kernel"], spec["kernel"])
    return x, weight


def conv_forward(spec):
    x, weight = conv_inputs(spec)

    def call():
        with torch.no_grad():
            F.conv2d(x, weight)

    return call


def conv_forward_backward(spec):
    x, weight = conv_inputs(spec)
    x.requires_grad_()
    weight.requires_grad_()

    def call():
        # fresh gradients each repetition, so accumulation is not timed
        x.grad = None
        weight.grad = None
        F.conv2d(x, weight).sum().backward()

    return call


def loaded_blas():
    """The BLAS library this process mapped (torch.mm calls it), resolved through symlinks."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line or "mkl" in line or "blis" in line}
    libraries = sorted(os.path.realpath(p) for p in paths if p.startswith("/"))
    return libraries[0] if libraries else "unknown"


def main():
    config = json.loads(sys.argv[1])
    torch.set_num_threads(int(os.environ.get("TORCH_THREADS", "1")))
    torch.manual_seed(0)
    timing = config["timing"]
    results = {}
    if "gemm" in config["families"]:
        for n in config["gemmSizes"]:
            results[f"gemm-{n}"] = measure(gemm(n), timing)
    if "conv" in config["families"]:
        results["conv-fwd"] = measure(conv_forward(config["conv"]), timing)
        results["conv-fwd-bwd"] = measure(conv_forward_backward(config["conv"]), timing)
    torch.mm(torch.ones(2, 2), torch.ones(2, 2))  # make sure the BLAS library is mapped
    print(json.dumps({
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "blas": loaded_blas(),
        "results": results,
    }))


if __name__ == "__main__":
    main()
