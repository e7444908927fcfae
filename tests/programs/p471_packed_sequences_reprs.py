"""Packed-sequence utilities seen from a user's prints: PackedSequence repr, unpack/unpad,
sorting by length and restoring order, masked sequence losses and per-sequence stats."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import (pack_padded_sequence, pack_sequence, pad_packed_sequence,
                                pad_sequence, unpack_sequence, unpad_sequence)

torch.manual_seed(2)
seqs = [torch.tensor([1, 2, 3]), torch.tensor([4, 5]), torch.tensor([6, 7, 8, 9]), torch.tensor([10])]
packed = pack_sequence(seqs, enforce_sorted=False)
print(packed)
print(unpack_sequence(packed))
padded = pad_sequence(seqs, batch_first=True, padding_value=-1)
lengths = torch.tensor([3, 2, 4, 1])
print(padded)
print(unpad_sequence(padded, lengths, batch_first=True))
print(pad_sequence(seqs, padding_side="left", batch_first=True))
print(pad_sequence(seqs).shape, pad_sequence([s.float()[:, None] for s in seqs]).shape)

# sort by length manually, run, restore order
sorted_len, order = lengths.sort(descending=True)
inverse = order.argsort()
print(sorted_len, order, inverse)
emb = nn.Embedding(11, 4, padding_idx=0)
rnn = nn.RNN(4, 3, batch_first=True, nonlinearity="relu")
x = emb(padded.clamp(min=0))[order]
out, h = rnn(pack_padded_sequence(x, sorted_len, batch_first=True))
print(type(out).__name__, out.data.shape, out.batch_sizes, out.sorted_indices)
out, lens = pad_packed_sequence(out, batch_first=True)
out = out[inverse]
print(out.shape, lens[inverse], h[0][inverse].shape)
print("restored order ok:", torch.equal(lens[inverse], lengths))

# masked per-token loss over a padded batch
targets = pad_sequence([torch.randint(0, 5, (n,)) for n in lengths.tolist()], batch_first=True, padding_value=-100)
logits = torch.randn(4, 4, 5)
tok_loss = F.cross_entropy(logits.transpose(1, 2), targets, ignore_index=-100, reduction="none")
print(tok_loss.shape, (tok_loss == 0).sum().item())
mask = targets != -100
print("mean over tokens", round((tok_loss.sum() / mask.sum()).item(), 4),
      round(F.cross_entropy(logits.reshape(-1, 5), targets.reshape(-1)).item(), 4))
per_seq = (tok_loss * mask).sum(1) / mask.sum(1)
print("per sequence", per_seq.round(decimals=4))
ppl = torch.exp(per_seq)
print("perplexity", [f"{p:.2f}" for p in ppl.tolist()])
acc = ((logits.argmax(-1) == targets) & mask).sum(1).float() / mask.sum(1)
print("token acc", acc)

# PackedSequence ops
p2 = packed.to(torch.float64)
print(p2.data.dtype, packed.data.dtype, p2.is_pinned() if hasattr(p2, "is_pinned") else None)
print(packed._fields if hasattr(packed, "_fields") else "", len(packed), packed[1])
data, batch_sizes, si, ui = packed
print(data.tolist(), batch_sizes.tolist(), si.tolist(), ui.tolist())
