"""PyTorch peer of the sentiment part of `npm run bench:text` (tests/bench/text-sentiment.ts): the
movie-review classifiers of the `sentiment-bilstm-max` and `sentiment-kim-cnn` presets, trained on
the very batches Unfold trains on (text-sentiment.ts writes them, already bucketed by length, with
each sentence's word ids, label and word-dropout probabilities, to a JSON file). Same sizes and
the same optimizer (from the file's model block):

- rnn: word embedding with word dropout (alpha / (alpha + count), replaced by the unknown id),
  dropout on each layer's input, a (bi)LSTM or GRU stack over packed sequences
  (pack_padded_sequence, the usual PyTorch encoder), pooled over each sentence's real steps (max,
  mean, or the last states of both directions), dropout, linear;
- cnn: Kim (2014): word embedding with word dropout, one Conv1d per filter width, ReLU, max over
  the windows that start inside the sentence (running past its end into zero vectors, so a
  sentence shorter than a filter still has features), the maps concatenated, dropout, linear.

Cross-entropy over the sentences, global-norm clipping, Adam (SparseAdam on the word table when
the model block says sparseEmbeddings "lazy", as Unfold's lazy rows do).

    /usr/bin/python3 tests/bench/torch_sentiment.py --batches FILE --threads N [--warmup W] [--max-seconds S]

Prints one JSON object: sentencesPerSecond, tokensPerSecond, seconds, sentences, batches, threads.
"""
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from torch_peer_run import clip_global_norm, dense_optimizer, peer_spec, timed_steps

CELLS = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}


class WordInput(nn.Module):
    """The word table with word dropout (ids replaced by the unknown id while training)."""

    def __init__(self, m):
        super().__init__()
        self.unknown_id = m["unknownId"]
        # Id 0 pads (Unfold's vocabulary too): a zero vector, as Unfold's padded steps are to its CNN.
        self.table = nn.Embedding(m["vocabSize"], m["embeddingSize"], padding_idx=0,
                                  sparse=m["optimizer"].get("sparseEmbeddings") == "lazy")

    def forward(self, words, drop_probability):
        if self.training and drop_probability is not None:
            dropped = torch.rand(words.shape) < drop_probability
            words = torch.where(dropped, torch.full_like(words, self.unknown_id), words)
        return self.table(words)


class RecurrentClassifier(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.words = WordInput(m)
        self.pooling = m["pooling"]
        if self.pooling not in ("max", "mean", "last"):
            raise SystemExit(f"torch_sentiment.py has no peer for {self.pooling} pooling")
        self.bidirectional = m["bidirectional"]
        self.dropout = nn.Dropout(m["dropout"])
        if m["cell"] not in CELLS:
            raise SystemExit(f"torch_sentiment.py has no peer for the {m['cell']} cell")
        self.rnn = CELLS[m["cell"]](m["embeddingSize"], m["units"], num_layers=m["layers"],
                                    bidirectional=self.bidirectional is not None,
                                    batch_first=True,
                                    dropout=m["dropout"] if m["layers"] > 1 else 0)
        directions = 2 if self.bidirectional == "concat" else 1
        self.out = nn.Linear(directions * m["units"], m["classes"])

    def forward(self, words, lengths, drop_probability):
        x = self.dropout(self.words(words, drop_probability))
        packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        y, state = self.rnn(packed)
        h_n = state[0] if isinstance(state, tuple) else state
        if self.pooling == "last":
            ends = h_n[-2:] if self.bidirectional else h_n[-1:]
            pooled = torch.cat(list(ends), dim=1) if self.bidirectional == "concat" else ends.sum(0)
        else:
            y, _ = pad_packed_sequence(y, batch_first=True, total_length=words.shape[1])
            if self.bidirectional == "sum":
                y = y[..., : y.shape[2] // 2] + y[..., y.shape[2] // 2:]
            real = (torch.arange(words.shape[1]).unsqueeze(0) < lengths.unsqueeze(1)).unsqueeze(2)
            if self.pooling == "max":
                pooled = y.masked_fill(~real, float("-inf")).max(dim=1).values
            else:
                pooled = (y * real).sum(dim=1) / lengths.unsqueeze(1).to(y.dtype)
        return self.out(self.dropout(pooled))


class KimCnn(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.words = WordInput(m)
        self.widths = m["widths"]
        self.convs = nn.ModuleList(
            nn.Conv1d(m["embeddingSize"], m["filters"], width) for width in self.widths)
        self.dropout = nn.Dropout(m["dropout"])
        self.out = nn.Linear(len(self.widths) * m["filters"], m["classes"])

    def forward(self, words, lengths, drop_probability):
        x = self.words(words, drop_probability).transpose(1, 2)  # [batch, emb, steps]
        steps = x.shape[2]
        # A window starts at every step and runs past the end into zero vectors (Unfold's
        # convolution encoder): pad with the widest filter less one, keep `steps` windows.
        x = nn.functional.pad(x, (0, max(self.widths) - 1))
        starts = (torch.arange(steps).unsqueeze(0) < lengths.unsqueeze(1)).unsqueeze(1)
        maps = []
        for conv in self.convs:
            y = torch.relu(conv(x)[:, :, :steps])  # [batch, filters, steps]
            # Only windows that start inside the sentence (ReLU outputs are >= 0).
            maps.append(y.masked_fill(~starts, 0).max(dim=2).values)
        return self.out(self.dropout(torch.cat(maps, dim=1)))


def tensors(batch):
    """Pads one batch like Unfold's makeBatch: to the longest sentence."""
    sentences = batch["sentences"]
    steps = max(len(s["words"]) for s in sentences)
    n = len(sentences)
    words = torch.zeros(n, steps, dtype=torch.long)
    drop = torch.zeros(n, steps) if any("drop" in s for s in sentences) else None
    for b, s in enumerate(sentences):
        words[b, : len(s["words"])] = torch.tensor(s["words"])
        if drop is not None and "drop" in s:
            drop[b, : len(s["drop"])] = torch.tensor(s["drop"])
    lengths = torch.tensor([len(s["words"]) for s in sentences])
    labels = torch.tensor([s["label"] for s in sentences])
    return words, lengths, drop, labels


def optimizers(net, o):
    """The preset's optimizer (Adam or SGD), SparseAdam on a sparse word table."""
    def dense(params):
        return dense_optimizer(params, o)

    if not net.words.table.sparse:
        return [dense(net.parameters())]
    if o["kind"] != "adam":
        raise SystemExit("a sparse word table is trained by SparseAdam: Adam only")
    rest = [p for name, p in net.named_parameters() if name != "words.table.weight"]
    return [torch.optim.SparseAdam([net.words.table.weight], lr=o["learningRate"]), dense(rest)]


def main():
    args, spec = peer_spec()
    m = spec["model"]
    net = KimCnn(m) if m["kind"] == "cnn" else RecurrentClassifier(m)
    net.train()
    opts = optimizers(net, m["optimizer"])
    loss_fn = nn.CrossEntropyLoss()

    def step(batch):
        # Padding a batch into tensors is part of a training step, as makeBatch is in Unfold's.
        words, lengths, drop, labels = tensors(batch)
        for opt in opts:
            opt.zero_grad()
        loss = loss_fn(net(words, lengths, drop), labels)
        loss.backward()
        clip_global_norm(net.parameters(), m["clipNorm"])
        for opt in opts:
            opt.step()
        return len(batch["sentences"]), int(lengths.sum())

    timed_steps(args, step, spec["batches"], ["sentences", "tokens"])


if __name__ == "__main__":
    main()
