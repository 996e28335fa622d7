"""PyTorch peer of the `lm` part of `npm run bench:text` (tests/bench/text-lm.ts): the word LM of
the `lm-word-lstm` preset (embedding, stacked LSTM, linear over the vocabulary, cross-entropy
averaged over the window's tokens), trained as stateful LMs are: the streams text-lm.ts writes
(one per batch row) walked in windows of `window` steps, each window starting from the previous
one's final state, detached; global-norm clipping and the preset's optimizer (SGD or Adam).

    /usr/bin/python3 tests/bench/torch_lm.py --batches FILE --threads N [--warmup W] [--max-seconds S]

`--warmup` and the timed count are windows. Prints one JSON object: tokensPerSecond, seconds,
tokens, batches (timed windows), threads.
"""
import torch
from torch import nn

from torch_peer_run import dense_optimizer, peer_spec, timed_steps


class WordLm(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.words = nn.Embedding(m["vocabSize"], m["embeddingSize"])
        self.dropout = nn.Dropout(m["dropout"])
        self.lstm = nn.LSTM(m["embeddingSize"], m["units"], num_layers=m["layers"],
                            dropout=m["dropout"] if m["layers"] > 1 else 0)
        self.out = nn.Linear(m["units"], m["vocabSize"])

    def forward(self, words, state):
        # words: [time, streams] (time-major, as nn.LSTM's default and Unfold's kernels)
        outputs, state = self.lstm(self.dropout(self.words(words)), state)
        return self.out(self.dropout(outputs)), state


def main():
    args, spec = peer_spec()
    m = spec["model"]
    window = m["window"]
    inputs = torch.tensor([s["inputs"] for s in spec["streams"]], dtype=torch.long).t().contiguous()
    targets = torch.tensor([s["targets"] for s in spec["streams"]], dtype=torch.long).t().contiguous()
    steps, streams = inputs.shape
    net = WordLm(m)
    net.train()
    opt = dense_optimizer(net.parameters(), m["optimizer"])
    loss_fn = nn.CrossEntropyLoss()
    state = None

    def step(w):
        nonlocal state
        x = inputs[w * window:(w + 1) * window]
        y = targets[w * window:(w + 1) * window]
        if state is not None:
            state = tuple(s.detach() for s in state)
        opt.zero_grad()
        logits, state = net(x, state)
        loss = loss_fn(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))
        loss.backward()
        nn.utils.clip_grad_norm_(net.parameters(), m["clipNorm"])
        opt.step()
        return x.numel()

    timed_steps(args, lambda w: (step(w),), list(range(steps // window)), ["tokens"])


if __name__ == "__main__":
    main()
