# Word-level language model pieces: nn.Embedding with padding_idx / max_norm /
# scale_grad_by_freq / sparse, from_pretrained(freeze, padding_idx), nn.EmbeddingBag with
# offsets, per_sample_weights, include_last_offset, padding_idx and every mode; an LSTM LM with
# weight tying, pack_padded_sequence(enforce_sorted=False), pad_packed_sequence(total_length),
# LSTM proj_size, a bidirectional 2-layer GRU, and two training steps.
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence


def r(t):
    return round(float(t), 4) + 0.0


def s(t):
    return round(float(t.detach().double().sum()), 4) + 0.0


torch.manual_seed(0)
emb = nn.Embedding(10, 4, padding_idx=0)
print(emb, emb.weight[0].tolist())
ids = torch.tensor([[1, 2, 0, 0], [3, 3, 3, 1]])
out = emb(ids)
out.sum().backward()
print("pad grad", emb.weight.grad[0].tolist(), emb.weight.grad[3].tolist())

torch.manual_seed(1)
emb_mn = nn.Embedding(6, 3, max_norm=1.0, norm_type=2.0)
print(emb_mn)
before = emb_mn.weight.detach().norm(dim=1)
o = emb_mn(torch.tensor([1, 2, 2, 5]))
after = emb_mn.weight.detach().norm(dim=1)
print("max_norm rows", [round(v, 4) for v in before.tolist()], [round(v, 4) for v in after.tolist()])
print("out norms", [round(v, 4) for v in o.norm(dim=1).tolist()])
o.pow(2).sum().backward()
print("max_norm grad", r(emb_mn.weight.grad.norm()))

torch.manual_seed(2)
emb_f = nn.Embedding(5, 2, scale_grad_by_freq=True)
emb_f(torch.tensor([1, 1, 1, 2, 4])).sum().backward()
print("scale_grad_by_freq", [[round(v, 4) for v in row] for row in emb_f.weight.grad.tolist()])
emb_s = nn.Embedding(5, 2, sparse=True)
emb_s(torch.tensor([[0, 3], [3, 4]])).sum().backward()
g = emb_s.weight.grad
print("sparse grad", g.to_dense().tolist())

pre = torch.arange(12, dtype=torch.float32).view(4, 3)
e1 = nn.Embedding.from_pretrained(pre)
e2 = nn.Embedding.from_pretrained(pre, freeze=False, padding_idx=1)
print(e1, e1.weight.requires_grad, e2, e2.weight.requires_grad, e2(torch.tensor([1, 3])).tolist())
print(F.embedding(torch.tensor([[0, 2]]), pre, padding_idx=0).tolist())

torch.manual_seed(3)
for mode in ["sum", "mean", "max"]:
    bag = nn.EmbeddingBag(10, 3, mode=mode)
    inp = torch.tensor([1, 2, 4, 5, 4, 3, 2, 9])
    offs = torch.tensor([0, 4, 4])
    y = bag(inp, offs)
    print(bag, tuple(y.shape), [[round(v, 4) + 0.0 for v in row] for row in y.tolist()])
    y.sum().backward()
    print("  grad", s(bag.weight.grad), r(bag.weight.grad.abs().max()))
bag = nn.EmbeddingBag(10, 3, mode="sum")
w = torch.rand(8)
y = bag(inp, offs, per_sample_weights=w)
print("psw", s(y))
y2 = nn.EmbeddingBag.from_pretrained(bag.weight.detach(), mode="sum", include_last_offset=True)(inp, torch.tensor([0, 3, 8]))
print("last offset", tuple(y2.shape), s(y2))
bag_p = nn.EmbeddingBag(10, 3, mode="mean", padding_idx=2)
y3 = bag_p(torch.tensor([[2, 2, 1], [3, 2, 4]]))
print(bag_p, "2d input padding", [[round(v, 4) for v in row] for row in y3.tolist()])


class LM(nn.Module):
    def __init__(self, ntok, nhid, tie=True):
        super().__init__()
        self.encoder = nn.Embedding(ntok, nhid, padding_idx=0)
        self.rnn = nn.LSTM(nhid, nhid, num_layers=2, batch_first=True)
        self.decoder = nn.Linear(nhid, ntok)
        if tie:
            self.decoder.weight = self.encoder.weight
        self.init_weights()

    def init_weights(self):
        nn.init.uniform_(self.encoder.weight, -0.1, 0.1)
        nn.init.zeros_(self.decoder.bias)

    def forward(self, x, lengths):
        e = self.encoder(x)
        packed = pack_padded_sequence(e, lengths, batch_first=True, enforce_sorted=False)
        out, (h, c) = self.rnn(packed)
        out, out_len = pad_packed_sequence(out, batch_first=True, total_length=x.size(1))
        return self.decoder(out), h, out_len


torch.manual_seed(4)
seqs = [torch.randint(1, 12, (n,)) for n in [3, 6, 2, 5]]
lengths = torch.tensor([len(q) for q in seqs])
x = pad_sequence(seqs, batch_first=True)
print("padded", x.tolist())
model = LM(12, 6)
print(model)
print("params", sum(p.numel() for p in model.parameters()), len(list(model.parameters())), list(model.state_dict().keys()))
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
for step in range(2):
    opt.zero_grad()
    logits, h, out_len = model(x, lengths)
    tgt = torch.roll(x, -1, 1)
    loss = F.cross_entropy(logits.reshape(-1, 12), tgt.reshape(-1), ignore_index=0)
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 0.5)
    print("step", step, tuple(logits.shape), out_len.tolist(), r(loss), r(model.encoder.weight.grad.norm()), r(h.abs().sum()))
    opt.step()
print("tied", model.decoder.weight is model.encoder.weight)

torch.manual_seed(5)
pl = nn.LSTM(4, 5, proj_size=3, num_layers=2, bidirectional=True)
print(pl, [(n, tuple(p.shape)) for n, p in pl.named_parameters()][:6])
inp = torch.randn(7, 2, 4)
o, (h, c) = pl(inp)
print("proj", tuple(o.shape), tuple(h.shape), tuple(c.shape), s(o), s(c))
packed = pack_padded_sequence(inp, torch.tensor([7, 4]))
po, (ph, pc) = pl(packed)
print("packed proj", po.data.shape, po.batch_sizes.tolist(), s(ph))

gru = nn.GRU(4, 3, num_layers=2, bidirectional=True, batch_first=True)
xb = torch.randn(3, 5, 4)
packed = pack_padded_sequence(xb, torch.tensor([2, 5, 3]), batch_first=True, enforce_sorted=False)
po, ph = gru(packed, torch.zeros(4, 3, 3))
print("gru packed", po.sorted_indices.tolist(), po.unsorted_indices.tolist(), tuple(ph.shape), s(ph))
unp, ln = pad_packed_sequence(po, batch_first=True, padding_value=-1.0)
print("gru unpacked", tuple(unp.shape), ln.tolist(), unp[0, 2:].eq(-1).all().item(), s(unp))
# the final hidden state for each sequence equals the output at its last valid step (forward dir)
print("last step", torch.allclose(ph[-2], torch.stack([unp[i, ln[i] - 1, :3] for i in range(3)]), atol=1e-6))
