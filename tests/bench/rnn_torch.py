"""PyTorch peer of `unfold bench rnn` (`npm run bench:rnn` runs it; src-main/domain/bench/rnn-bench-report.ts): one
measurement of one workload of src-main/domain/rnn/benchmark.ts per run, so that the TypeScript
side can take turns with it (Unfold, PyTorch, Unfold, ...).

    /usr/bin/python3 tests/bench/rnn_torch.py --batches WORKLOAD.json --threads N [--warmup W] [--max-seconds S]

WORKLOAD.json: {"model": {"kind": "acoustic" | "tagger", "cell": "lstm" | "gru" | "rnn", "layers",
"units", "bidirectional", "batch", "time", "inputSize", "classes", "vocabSize" (tagger)},
"measure": "train" | "infer" | "stream", "steps": N}
- train: forward + cross-entropy + backward + Adam (lr 1e-3) on one synthetic batch, `frames` =
  batch x time per step;
- infer: the forward pass (no_grad), the same count;
- stream: batch 1, one frame per step with the state carried and a softmax on the output
  (unidirectional acoustic models only), one frame per step.
W warm-up steps, then N timed ones (fewer when a step crosses S seconds). Prints torch_peer_run's
JSON line: framesPerSecond, frames, seconds, batches (timed steps), threads, blasLibraries.
"""
import torch
from torch import nn

from torch_peer_run import peer_spec, timed_steps

CELLS = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}


class Net(nn.Module):
    """Embedding (tagger) or features -> recurrent stack -> linear, as Unfold's transducer."""

    def __init__(self, m):
        super().__init__()
        self.tagger = m["kind"] == "tagger"
        if self.tagger:
            self.embedding = nn.Embedding(m["vocabSize"], m["inputSize"])
        self.rnn = CELLS[m["cell"]](m["inputSize"], m["units"], num_layers=m["layers"],
                                    bidirectional=m["bidirectional"], batch_first=True)
        self.out = nn.Linear(m["units"] * (2 if m["bidirectional"] else 1), m["classes"])

    def forward(self, x, state=None):
        if self.tagger:
            x = self.embedding(x)
        y, state = self.rnn(x, state)
        return self.out(y), state


def main():
    args, spec = peer_spec()
    m = spec["model"]
    measure = spec["measure"]
    net = Net(m)
    b, t, classes = m["batch"], m["time"], m["classes"]
    items = list(range(args.warmup + spec["steps"]))
    if measure == "stream":
        if m["kind"] != "acoustic" or m["bidirectional"]:
            raise SystemExit("streaming needs a unidirectional acoustic model")
        net.eval()
        frame = torch.randn(1, 1, m["inputSize"])
        state = [None]

        def stream_step(_):
            with torch.no_grad():
                out, state[0] = net(frame, state[0])
                torch.softmax(out, -1)
            return (1,)

        timed_steps(args, stream_step, items, ["frames"])
        return
    x = torch.randint(0, m["vocabSize"], (b, t)) if net.tagger else torch.randn(b, t, m["inputSize"])
    if measure == "infer":
        net.eval()

        def infer_step(_):
            with torch.no_grad():
                net(x)
            return (b * t,)

        timed_steps(args, infer_step, items, ["frames"])
        return
    if measure != "train":
        raise SystemExit(f"unknown measure {measure!r}: train, infer or stream")
    y = torch.randint(0, classes, (b, t))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()

    def train_step(_):
        opt.zero_grad()
        logits, _ = net(x)
        loss_fn(logits.reshape(-1, classes), y.reshape(-1)).backward()
        opt.step()
        return (b * t,)

    timed_steps(args, train_step, items, ["frames"])


if __name__ == "__main__":
    main()
