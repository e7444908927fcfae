"""Inference / export style code: eval + no_grad, variable-length batching, jit as no-op,
state_dict and checkpoint round trips through BytesIO and files."""
import io
import os
import tempfile
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pad_sequence

torch.manual_seed(7)


class TextClassifier(nn.Module):
    def __init__(self, vocab=30, dim=12, classes=3):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=0)
        self.proj = nn.Linear(dim, dim)
        self.norm = nn.LayerNorm(dim)
        self.out = nn.Linear(dim, classes)
        self.register_buffer("temperature", torch.tensor(1.5))

    def forward(self, tokens: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        mask = (torch.arange(tokens.size(1))[None, :] < lengths[:, None]).float()
        h = self.norm(torch.tanh(self.proj(self.emb(tokens))))
        pooled = (h * mask.unsqueeze(-1)).sum(1) / lengths.unsqueeze(-1).float()
        return self.out(pooled) / self.temperature


model = TextClassifier()
model.eval()
sentences = [[5, 3, 9], [7, 2], [1, 4, 6, 8, 10], [11]]
tokens = pad_sequence([torch.tensor(s) for s in sentences], batch_first=True)
lengths = torch.tensor([len(s) for s in sentences])
print(tokens)
print("lengths", lengths.tolist(), tokens.dtype, tokens.shape)

with torch.no_grad():
    logits = model(tokens, lengths)
    probs = F.softmax(logits, dim=-1)
print("requires_grad:", logits.requires_grad, "grad_fn:", logits.grad_fn)
print("probs", probs.round(decimals=4))
print("pred", probs.argmax(-1).tolist(), "conf", [f"{p:.3f}" for p in probs.max(-1).values])

# one at a time gives the same as batched (padding is masked out)
with torch.inference_mode():
    single = torch.cat([model(torch.tensor([s]), torch.tensor([len(s)])) for s in sentences])
print("batched == one-by-one:", torch.allclose(single, logits, atol=1e-6))
print("inference tensor:", single.is_inference())

# torch.jit wrappers used as if they were free
scripted = torch.jit.script(model)
traced = torch.jit.trace(model, (tokens, lengths))
with torch.no_grad():
    print("scripted same:", torch.allclose(scripted(tokens, lengths), logits))
    print("traced same:", torch.allclose(traced(tokens, lengths), logits))
buf = io.BytesIO()
torch.jit.save(scripted, buf)
buf.seek(0)
loaded_script = torch.jit.load(buf)
with torch.no_grad():
    print("jit round trip same:", torch.allclose(loaded_script(tokens, lengths), logits))


@torch.jit.script
def masked_mean(x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    return (x * mask).sum(-1) / mask.sum(-1).clamp(min=1)


print("masked_mean", masked_mean(torch.arange(6.).view(2, 3), torch.tensor([[1., 1, 0], [0, 0, 0]])))


@torch.jit.ignore
def debug_hook(x):
    return x


@torch.jit.unused
def unused_fn(x):
    return x * 2


print("ignore/unused callable:", debug_hook(3), unused_fn(4))

# state_dict round trip through BytesIO
buffer = io.BytesIO()
torch.save(model.state_dict(), buffer)
print("bytes written > 0:", buffer.tell() > 0)
buffer.seek(0)
state = torch.load(buffer, map_location="cpu")
print(type(state).__name__, list(state.keys()))
print({k: (tuple(v.shape), str(v.dtype)) for k, v in state.items() if v.dim() <= 1})
clone = TextClassifier()
result = clone.load_state_dict(state)
print(result, result.missing_keys, result.unexpected_keys)
clone.eval()
with torch.no_grad():
    print("clone equal:", torch.equal(clone(tokens, lengths), logits))

# strict=False with a renamed key and an extra one
state2 = OrderedDict((k.replace("proj.", "projection."), v) for k, v in state.items())
state2["extra"] = torch.zeros(1)
res = clone.load_state_dict(state2, strict=False)
print("missing:", res.missing_keys)
print("unexpected:", res.unexpected_keys)
try:
    clone.load_state_dict(state2)
except RuntimeError as e:
    print(str(e))

# shape mismatch message
bad = dict(state)
bad["out.weight"] = torch.zeros(4, 12)
try:
    clone.load_state_dict(bad)
except RuntimeError as e:
    print(str(e))

# a list of tensors and a dict of mixed types
with tempfile.TemporaryDirectory() as d:
    p1 = os.path.join(d, "tensors.pt")
    torch.save([torch.arange(3), torch.ones(2, 2, dtype=torch.float16), torch.tensor(True)], p1)
    lst = torch.load(p1, map_location="cpu")
    print([(t.dtype, tuple(t.shape)) for t in lst])
    print(lst)
    p2 = os.path.join(d, "meta.pt")
    view = torch.arange(10.)[2:6]
    meta = {"epoch": 3, "lr": 1e-3, "name": "run-1", "classes": ("a", "b", "c"),
            "history": [0.9, 0.5, 0.25], "best": None, "flag": True,
            "view": view, "base": view._base if view._base is not None else None,
            "nested": {"ids": torch.tensor([1, 2, 3]), "scale": torch.tensor(2.5, dtype=torch.float64)}}
    torch.save(meta, p2)
    back = torch.load(p2, map_location=torch.device("cpu"), weights_only=False)
    for k, v in back.items():
        print(f"{k:>8}: {type(v).__name__:<8} {v}")
    print("view storage shared after load:", back["view"].untyped_storage().data_ptr() ==
          back["base"].untyped_storage().data_ptr())
    print("view stride/offset:", back["view"].stride(), back["view"].storage_offset())
    back["base"][3] = 100.0
    print("view sees write:", back["view"])
    print("weights_only load ok:", torch.load(p1, weights_only=True)[0])
