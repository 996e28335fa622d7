"""What the PyTorch peers of `npm run bench:text` share (torch_tagger.py, torch_sentiment.py,
torch_lm.py): their command line, the spec file the TypeScript side writes, and the timed loop.

    /usr/bin/python3 tests/bench/torch_X.py --batches FILE --threads N [--warmup W] [--max-seconds S]
"""
import argparse
import json
import time

import torch


def clip_global_norm(parameters, max_norm):
    """clip_grad_norm_ for dense and sparse gradients alike (a sparse one's norm is its values')."""
    grads = []
    for p in parameters:
        if p.grad is None:
            continue
        if p.grad.is_sparse:
            p.grad = p.grad.coalesce()  # summed duplicate rows, scaled in place below
        grads.append(p.grad)
    norm = torch.sqrt(sum((g._values() if g.is_sparse else g).pow(2).sum() for g in grads))
    scale = max_norm / (float(norm) + 1e-6)
    if scale < 1:
        for g in grads:
            (g._values() if g.is_sparse else g).mul_(scale)
    return norm


def dense_optimizer(params, o):
    """The preset's optimizer (Adam or SGD, Unfold's defaults) over dense parameters."""
    if o["kind"] == "adam":
        return torch.optim.Adam(params, lr=o["learningRate"],
                                betas=(o.get("beta1", 0.9), o.get("beta2", 0.999)),
                                eps=o.get("epsilon", 1e-7))
    if o["kind"] == "sgd":
        return torch.optim.SGD(params, lr=o["learningRate"], momentum=o.get("momentum", 0),
                               nesterov=o.get("nesterov", False))
    raise SystemExit(f"the PyTorch peer has no {o['kind']} optimizer")


def peer_spec():
    """Parses the command line, fixes threads and seed, and returns (args, the spec file's JSON)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--batches", required=True)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=5)
    # Stop after the step that crosses this many seconds (2 threads on a loaded 2-core machine
    # can be 10 x slower than 1): the rate stays exact, over fewer steps.
    parser.add_argument("--max-seconds", type=float, default=float("inf"))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    with open(args.batches) as f:
        return args, json.load(f)


def mapped_blas():
    """The BLAS libraries this process has mapped (the one torch really calls, whatever the
    LD_LIBRARY_PATH or the alternatives system pointed at)."""
    with open("/proc/self/maps") as f:
        return sorted({line.split()[-1] for line in f if "blas" in line.lower()})


def timed_steps(args, step, items, counts):
    """Runs step(item) on the first `--warmup` items untimed, then on the rest until one crosses
    `--max-seconds`; each step returns a tuple of counts named by `counts`. Prints one JSON object:
    `<count>PerSecond` and the total of each count, seconds, batches (timed steps), threads, and
    the BLAS libraries mapped."""
    for item in items[: args.warmup]:
        step(item)
    totals = [0] * len(counts)
    done = 0
    start = time.perf_counter()
    for item in items[args.warmup:]:
        totals = [a + b for a, b in zip(totals, step(item))]
        done += 1
        if time.perf_counter() - start > args.max_seconds:
            break
    seconds = time.perf_counter() - start
    report = {f"{name}PerSecond": total / seconds for name, total in zip(counts, totals)}
    report.update({name: total for name, total in zip(counts, totals)})
    report.update({
        "seconds": seconds,
        "batches": done,
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "blasLibraries": mapped_blas(),
    })
    print(json.dumps(report))
