"""PyTorch peer of `npm run bench:text` (tests/bench/text.ts): the EWT tagger of the
`pos-bilstm-charcnn` preset, trained on the very batches Unfold trains on (text.ts writes them,
already bucketed by length, to a JSON file). Same sizes: word embedding 100 with word dropout
(alpha / (alpha + count), replaced by the unknown id), character CNN (30-dim characters, 50
filters of width 3 over windows starting at each character, ReLU, max over positions), case
embedding 8, dropout 0.33 on each layer's input and before the output, 2 x BiLSTM 128 (concat),
linear, cross-entropy over real tokens, global-norm clipping 5, Adam 0.002. Sentences are packed
(pack_padded_sequence), the usual PyTorch tagger. When the model block says sparseEmbeddings
"lazy" (the preset's lazy Adam for the word table), the word embedding is nn.Embedding(sparse=True)
trained by torch.optim.SparseAdam and the rest by Adam, as Unfold does.

    /usr/bin/python3 tests/bench/torch_tagger.py --batches FILE --threads N [--warmup W] [--max-seconds S]

Prints one JSON object: tokensPerSecond, seconds, tokens, batches, threads.
"""
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from torch_peer_run import clip_global_norm, peer_spec, timed_steps


class Tagger(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.unknown_id = m["unknownId"]
        self.words = nn.Embedding(m["vocabSize"], m["embeddingSize"],
                                  sparse=m.get("sparseEmbeddings") == "lazy")
        self.width = m["chars"]["width"] if m["chars"] else 0
        inputs = m["embeddingSize"]
        if m["chars"]:
            self.chars = nn.Embedding(m["chars"]["vocabSize"], m["chars"]["embeddingSize"])
            self.conv = nn.Conv1d(m["chars"]["embeddingSize"], m["chars"]["filters"], self.width)
            inputs += m["chars"]["filters"]
        if m["cases"]:
            self.cases = nn.Embedding(m["cases"]["count"], m["cases"]["embeddingSize"])
            inputs += m["cases"]["embeddingSize"]
        self.dropout = nn.Dropout(m["dropout"])
        self.lstm = nn.LSTM(inputs, m["units"], num_layers=m["layers"], bidirectional=True,
                            batch_first=True, dropout=m["dropout"])
        self.out = nn.Linear(2 * m["units"], m["classes"])

    def char_features(self, chars):
        batch, steps, positions = chars.shape
        flat = chars.reshape(batch * steps, positions)
        # A window starts at every position and runs past the word's end into padding (id 0).
        padded = nn.functional.pad(flat, (0, self.width - 1))
        conv = torch.relu(self.conv(self.chars(padded).transpose(1, 2)))  # [n, filters, positions]
        valid = (flat != 0).unsqueeze(1).to(conv.dtype)
        return (conv * valid).max(dim=2).values.reshape(batch, steps, -1)

    def forward(self, words, chars, cases, lengths, drop_probability):
        if self.training and drop_probability is not None:
            dropped = torch.rand(words.shape) < drop_probability
            words = torch.where(dropped, torch.full_like(words, self.unknown_id), words)
        parts = [self.words(words)]
        if chars is not None:
            parts.append(self.char_features(chars))
        if cases is not None:
            parts.append(self.cases(cases))
        x = self.dropout(torch.cat(parts, dim=2))
        packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        y, _ = self.lstm(packed)
        y, _ = pad_packed_sequence(y, batch_first=True, total_length=words.shape[1])
        return self.out(self.dropout(y))


def tensors(batch, model_spec):
    """Pads one batch of sentences like Unfold's makeBatch: time to the longest sentence, chars
    to the widest word (at least the CNN width)."""
    sentences = batch["sentences"]
    steps = max(len(s["words"]) for s in sentences)
    width = model_spec["chars"]["width"] if model_spec["chars"] else 0
    widest = max([width] + [len(c) for s in sentences for c in s.get("chars", [])])
    n = len(sentences)
    words = torch.zeros(n, steps, dtype=torch.long)
    tags = torch.full((n, steps), -100, dtype=torch.long)
    cases = torch.zeros(n, steps, dtype=torch.long) if model_spec["cases"] else None
    chars = torch.zeros(n, steps, widest, dtype=torch.long) if model_spec["chars"] else None
    drop = torch.zeros(n, steps) if any("drop" in s for s in sentences) else None
    for b, s in enumerate(sentences):
        length = len(s["words"])
        words[b, :length] = torch.tensor(s["words"])
        tags[b, :length] = torch.tensor(s["tags"])
        if cases is not None:
            cases[b, :length] = torch.tensor(s["cases"])
        if chars is not None:
            for t, ids in enumerate(s["chars"]):
                chars[b, t, : len(ids)] = torch.tensor(ids)
        if drop is not None and "drop" in s:
            drop[b, :length] = torch.tensor(s["drop"])
    lengths = torch.tensor([len(s["words"]) for s in sentences])
    return words, chars, cases, lengths, drop, tags


def main():
    args, spec = peer_spec()
    m = spec["model"]
    net = Tagger(m)
    net.train()
    if net.words.sparse:
        rest = [p for name, p in net.named_parameters() if name != "words.weight"]
        opts = [torch.optim.SparseAdam([net.words.weight], lr=m["learningRate"]),
                torch.optim.Adam(rest, lr=m["learningRate"])]
    else:
        opts = [torch.optim.Adam(net.parameters(), lr=m["learningRate"])]
    loss_fn = nn.CrossEntropyLoss(ignore_index=-100)

    def step(batch):
        # Padding a batch into tensors is part of a training step, as makeBatch is in Unfold's.
        words, chars, cases, lengths, drop, tags = tensors(batch, m)
        for opt in opts:
            opt.zero_grad()
        logits = net(words, chars, cases, lengths, drop)
        loss = loss_fn(logits.reshape(-1, m["classes"]), tags.reshape(-1))
        loss.backward()
        clip_global_norm(net.parameters(), m["clipNorm"])
        for opt in opts:
            opt.step()
        return int(lengths.sum())

    timed_steps(args, lambda batch: (step(batch),), spec["batches"], ["tokens"])


if __name__ == "__main__":
    main()
