"""The benchmark workloads on PyTorch, run by bench/pytorch.ts as a subprocess.

Usage: python3 bench/pytorch.py '<config JSON>'   (the BenchConfig of bench/workloads.ts)

Threads are set by the caller: torch.set_num_threads from TORCH_THREADS, and the BLAS
threads through OPENBLAS_NUM_THREADS / OMP_NUM_THREADS in this process's environment
(they must be set before the BLAS library loads). Prints one JSON object on stdout:
{"torch", "threads", "blas", "results": {workload id: result}}, with results shaped like
bench/workloads.ts Result. (Not named torch.py: Python puts the script's folder first on
sys.path, so a torch.py here would shadow the torch package.)
"""

import gzip
import json
import os
import sys
import time

import torch
import torch.nn.functional as F


# bench/workloads.ts TRAIN_TIMING: the warm-up done while preparing, then two timed runs, the faster kept
TRAIN_TIMING = {"budgetMs": 15000, "maxReps": 2, "longCallMs": 0}


def measure(call, timing):
    """Times call() exactly like bench/measure.ts: warm-up, then timed calls."""
    try:
        samples = []
        spent = 0.0
        first = time_once(call)
        if timing["longCallMs"] == 0:  # warmed up by the caller (training rows): the first call is a sample
            samples.append(first)
            spent = first
        elif first > timing["longCallMs"]:
            return {"status": "ok", "bestMs": first, "medianMs": first, "reps": 1, "warmedUp": False}
        else:
            warm = first
            while warm < timing["warmupMs"]:
                warm += time_once(call)
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


def idx(path):
    """An IDX file (gzipped or not) as a tensor of its dims, uint8."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return torch.frombuffer(bytearray(data[4 + 4 * ndim:]), dtype=torch.uint8).reshape(dims)


def fashion_mnist(folder):
    """Training images float32 [60000,1,28,28] in [0,1] and labels int64."""
    def find(name):
        for candidate in (name, name + ".gz"):
            if os.path.exists(os.path.join(folder, candidate)):
                return os.path.join(folder, candidate)
        raise FileNotFoundError(f"{name}[.gz] not in {folder}")
    x = idx(find("train-images-idx3-ubyte")).float().div_(255).unsqueeze(1)
    y = idx(find("train-labels-idx1-ubyte")).long()
    return x, y


def model_of(kind):
    """The seed MLP or the two-convolution CNN, ending in logits (CrossEntropyLoss)."""
    nn = torch.nn
    if kind == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, 10))
    return nn.Sequential(
        nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 1024), nn.ReLU(), nn.Dropout(0.4), nn.Linear(1024, 10),
    )


def training(kind, spec, data):
    """The usual loop over a shuffled DataLoader, Adam lr 1e-3; warm-up batches untimed."""
    x, y = data
    batches = spec["batches"]
    n = x.shape[0] if batches == 0 else batches * spec["batchSize"]
    model = model_of(kind)
    model.train()
    criterion = torch.nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def epoch(count):
        loader = torch.utils.data.DataLoader(
            torch.utils.data.TensorDataset(x[:count], y[:count]), batch_size=spec["batchSize"], shuffle=True)
        for xb, yb in loader:
            loss = criterion(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()

    epoch(min(n, spec["warmupBatches"] * spec["batchSize"]))
    return (lambda: epoch(n)), n


def op_overhead(ops):
    a = torch.randn(4)
    b = torch.randn(4)

    def call():
        for _ in range(ops):
            torch.add(a, b)

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
    data = None
    for kind in ("mlp", "cnn"):
        if kind not in config["families"]:
            continue
        data = data or fashion_mnist(config["dataDir"])
        call, count = training(kind, config[kind], data)
        result = measure(call, TRAIN_TIMING)
        if result["status"] == "ok":
            result["count"] = count
        # PyTorch has only its loop: the same figure stands in both rows
        results[f"{kind}-fit"] = results[f"{kind}-loop"] = result
    if "mlp" in config["families"]:
        result = measure(op_overhead(config["overheadOps"]), timing)
        if result["status"] == "ok":
            result["count"] = config["overheadOps"]
        results["op-overhead"] = result
    torch.mm(torch.ones(2, 2), torch.ones(2, 2))  # make sure the BLAS library is mapped
    print(json.dumps({
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "blas": loaded_blas(),
        "results": results,
    }))


if __name__ == "__main__":
    main()
