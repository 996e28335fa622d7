"""PyTorch peer of tests/bench/stream.ts: batch-1 streaming steps of a 2 x 256 recurrent stack
(39 inputs, 40 outputs, softmax) with the state carried, as rnn_torch.py's streaming figure.
Stays up and answers one JSON line per request line on stdin:
  {"cell": "lstm" | "gru" | "rnn", "frames": 400, "warmup": 50, "chunk": 1}
  -> {"msPerFrame": ..., "frames": 400}
so the TypeScript side can interleave its own measurements with these."""
import json
import sys
import time

import torch
from torch import nn

torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
torch.manual_seed(1)
NETS = {}


def net(cell):
    if cell not in NETS:
        rnn = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}[cell](39, 256, num_layers=2, batch_first=True)
        NETS[cell] = (rnn.eval(), nn.Linear(256, 40).eval())
    return NETS[cell]


def measure(cell, frames, warmup, chunk):
    rnn, out = net(cell)
    x = torch.randn(1, chunk, 39)
    state = None
    with torch.no_grad():
        for _ in range(warmup):
            y, state = rnn(x, state)
            torch.softmax(out(y), -1)
        steps = max(1, frames // chunk)
        start = time.perf_counter()
        for _ in range(steps):
            y, state = rnn(x, state)
            torch.softmax(out(y), -1)
        elapsed = time.perf_counter() - start
    return {"msPerFrame": elapsed * 1000 / (steps * chunk), "frames": steps * chunk}


print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
for line in sys.stdin:
    if not line.strip():
        continue
    request = json.loads(line)
    result = measure(request["cell"], request.get("frames", 400), request.get("warmup", 50), request.get("chunk", 1))
    print(json.dumps(result), flush=True)
