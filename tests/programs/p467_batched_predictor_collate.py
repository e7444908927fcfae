"""An inference wrapper: a Predictor that sorts variable-length inputs by length, batches them
with a collate_fn, runs the model under eval/no_grad and restores the original order."""
import io
import json

import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence
from torch.utils.data import DataLoader, Dataset, Sampler

torch.manual_seed(21)

VOCAB = {w: i + 2 for i, w in enumerate("the a cat dog sat ran on mat fast slow big".split())}
PAD, UNK = 0, 1


def encode(text):
    return [VOCAB.get(w, UNK) for w in text.lower().split()]


class Texts(Dataset):
    def __init__(self, texts):
        self.items = [torch.tensor(encode(t), dtype=torch.long) for t in texts]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return i, self.items[i]


class LengthSortedSampler(Sampler):
    def __init__(self, lengths, batch_size):
        self.order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
        self.batch_size = batch_size

    def __iter__(self):
        for s in range(0, len(self.order), self.batch_size):
            yield self.order[s:s + self.batch_size]

    def __len__(self):
        return (len(self.order) + self.batch_size - 1) // self.batch_size


def collate(batch):
    idx, seqs = zip(*batch)
    lengths = torch.tensor([len(s) for s in seqs])
    return torch.tensor(idx), pad_sequence(seqs, batch_first=True, padding_value=PAD), lengths


class Tagger(nn.Module):
    def __init__(self, vocab=len(VOCAB) + 2, dim=8, hidden=6, tags=3):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=PAD)
        self.rnn = nn.LSTM(dim, hidden, batch_first=True, bidirectional=True)
        self.out = nn.Linear(2 * hidden, tags)

    def forward(self, tokens, lengths):
        packed = pack_padded_sequence(self.emb(tokens), lengths, batch_first=True)
        out, _ = self.rnn(packed)
        out, _ = pad_packed_sequence(out, batch_first=True, padding_value=0.0)
        return self.out(out)


class Predictor:
    def __init__(self, model, batch_size=3):
        self.model = model.eval()
        self.batch_size = batch_size

    @torch.no_grad()
    def __call__(self, texts):
        ds = Texts(texts)
        sampler = LengthSortedSampler([len(x) for x in ds.items], self.batch_size)
        loader = DataLoader(ds, batch_sampler=sampler, collate_fn=collate)
        results = [None] * len(texts)
        for idx, tokens, lengths in loader:
            print("batch", idx.tolist(), tuple(tokens.shape), lengths.tolist())
            logits = self.model(tokens, lengths)
            probs = logits.softmax(-1)
            for row, i in enumerate(idx.tolist()):
                n = lengths[row].item()
                results[i] = {"tags": probs[row, :n].argmax(-1).tolist(),
                              "score": round(probs[row, :n].max(-1).values.mean().item(), 3)}
        return results


model = Tagger()
print(model)
texts = ["the cat sat on the mat", "a dog ran", "big dog", "the slow cat ran fast on a mat",
         "cat", "unknown words here"]
pred = Predictor(model)
out = pred(texts)
for t, r in zip(texts, out):
    print(f"{t!r:36} {r}")
print(json.dumps(out[:2]))
print("training flag after predict:", model.training, torch.is_grad_enabled())

# results do not depend on the batch size (padding handled by packing)
out1 = Predictor(model, batch_size=1)(texts)
print("batch-size invariant:", [a["tags"] == b["tags"] for a, b in zip(out, out1)])

# serving code: export weights + vocab to a single buffer, reload elsewhere
buf = io.BytesIO()
torch.save({"state_dict": model.state_dict(), "vocab": VOCAB, "config": {"dim": 8, "hidden": 6}}, buf)
buf.seek(0)
bundle = torch.load(buf, map_location="cpu", weights_only=True)
print(sorted(bundle), bundle["config"], len(bundle["vocab"]))
served = Tagger(dim=bundle["config"]["dim"], hidden=bundle["config"]["hidden"])
print(served.load_state_dict(bundle["state_dict"]))
print("served equal:", Predictor(served)(texts) == out)
print({k: tuple(v.shape) for k, v in bundle["state_dict"].items() if "rnn" in k and "reverse" in k})

# half-precision inference on CPU for a quick comparison
with torch.no_grad():
    toks = pad_sequence([torch.tensor(encode(t)) for t in texts[:2]], batch_first=True)
    l32 = model(toks, torch.tensor([6, 3]))
    lbf = model.to(torch.bfloat16)(toks, torch.tensor([6, 3]))
print(lbf.dtype, (l32 - lbf.float()).abs().max().item() < 0.1)
print(next(model.parameters()).dtype, model.emb.weight.dtype)
