# NLP-style tensor bookkeeping: padding masks, top-k / top-p filtering, beam search
import torch
import torch.nn.functional as F

torch.manual_seed(123)

# padding masks from lengths
lengths = torch.tensor([5, 3, 1, 4])
max_len = int(lengths.max())
mask = torch.arange(max_len)[None, :] < lengths[:, None]
print(mask)
print(mask.long().sum(-1), (~mask).nonzero())
tokens = torch.randint(1, 20, (4, max_len)).masked_fill(~mask, 0)
print(tokens)
key_padding = tokens.eq(0)
scores = torch.randn(4, max_len, max_len)
scores = scores.masked_fill(key_padding.unsqueeze(1), float('-inf'))
attn = scores.softmax(-1)
print(attn[2].round(decimals=4))
causal = torch.triu(torch.ones(max_len, max_len, dtype=torch.bool), diagonal=1)
print(causal.int())
print(torch.tril(torch.ones(3, 5), diagonal=-1))
s2 = torch.zeros(max_len, max_len).masked_fill(causal, float('-inf'))
print(s2)

# mean pooling with mask
h = torch.randn(4, max_len, 3)
m = mask.unsqueeze(-1).float()
pooled = (h * m).sum(1) / m.sum(1).clamp(min=1e-9)
print(pooled.round(decimals=4))
# last token gather
last = h[torch.arange(4), lengths - 1]
print(last.round(decimals=4))
last2 = h.gather(1, (lengths - 1).view(-1, 1, 1).expand(-1, 1, 3)).squeeze(1)
print(torch.equal(last, last2))

# top-k filtering
logits = torch.randn(2, 10)
v, ix = torch.topk(logits, 3)
print(v.round(decimals=4), ix)
filt = logits.clone()
filt[filt < v[:, [-1]]] = -float('Inf')
print(filt.round(decimals=4))
probs = F.softmax(filt, dim=-1)
print(torch.multinomial(probs, num_samples=1))
# top-p
sorted_logits, sorted_idx = torch.sort(logits, descending=True)
cum = torch.cumsum(F.softmax(sorted_logits, dim=-1), dim=-1)
remove = cum > 0.7
remove[..., 1:] = remove[..., :-1].clone()
remove[..., 0] = False
indices_to_remove = remove.scatter(1, sorted_idx, remove)
print(indices_to_remove)
print(logits.masked_fill(indices_to_remove, -1e9).argmax(-1))

# beam search bookkeeping
beam, vocab = 3, 6
beam_scores = torch.tensor([[0.0, -1e9, -1e9], [0.0, -1e9, -1e9]]).view(-1)
step_logp = torch.log_softmax(torch.randn(2 * beam, vocab), -1)
next_scores = (step_logp + beam_scores[:, None]).view(2, beam * vocab)
top_s, top_i = torch.topk(next_scores, 2 * beam, dim=1, largest=True, sorted=True)
beam_idx = torch.div(top_i, vocab, rounding_mode='floor')
tok_idx = top_i % vocab
print(top_s.round(decimals=4), beam_idx, tok_idx)
seqs = torch.zeros(2 * beam, 1, dtype=torch.long)
sel = (beam_idx[:, :beam] + torch.arange(2)[:, None] * beam).view(-1)
seqs = torch.cat([seqs[sel], tok_idx[:, :beam].reshape(-1, 1)], dim=-1)
print(seqs)
print(seqs.index_select(0, torch.tensor([2, 0])))

# one-hot / label smoothing
y = torch.tensor([0, 2, 1, 2])
oh = F.one_hot(y, num_classes=4)
print(oh, oh.dtype)
print(F.one_hot(torch.tensor([[1, 0], [2, 1]])))
sm = torch.full((4, 3), 0.1 / 2).scatter_(1, y.clamp(max=2).unsqueeze(1), 0.9)
print(sm)
oh2 = torch.zeros(4, 3).scatter_(1, y.unsqueeze(1), 1.0)
print(oh2)
print(torch.zeros(3, 5).scatter_(1, torch.tensor([[0, 1], [2, 3], [4, 4]]), torch.tensor([[1., 2.], [3., 4.], [5., 6.]])))
print(torch.zeros(5).scatter_add(0, torch.tensor([0, 1, 1, 4]), torch.tensor([1., 2., 3., 4.])))
print(torch.zeros(2, 4).scatter(1, torch.tensor([[1], [3]]), 5.0, reduce='add'))
print(torch.ones(5).scatter_reduce(0, torch.tensor([0, 0, 2, 2, 4]), torch.tensor([3., 4., 1., 9., 2.]), reduce='amax'))
print(torch.ones(5).scatter_reduce(0, torch.tensor([0, 0, 2, 2, 4]), torch.tensor([3., 4., 1., 9., 2.]), reduce='mean', include_self=False))
print(torch.zeros(3, dtype=torch.long).scatter_reduce(0, torch.tensor([0, 0, 1]), torch.tensor([3, 4, 5]), 'prod'))
print(torch.gather(torch.tensor([[1, 2], [3, 4]]), 1, torch.tensor([[0, 0], [1, 0]])))
print(torch.zeros(3, 3).index_fill_(1, torch.tensor([0, 2]), -1))
print(torch.zeros(2, 5).index_add_(1, torch.tensor([0, 4, 0]), torch.ones(2, 3), alpha=2))
print(torch.zeros(3, 2).index_copy_(0, torch.tensor([2, 0]), torch.tensor([[1., 2.], [3., 4.]])))
print(torch.arange(6.).view(2, 3).masked_scatter(torch.tensor([[True, False, True], [False, True, False]]), torch.tensor([10., 20., 30.])))
print(torch.masked_select(torch.arange(6).view(2, 3), torch.tensor([True, False, True])))
# repetition penalty
prev = torch.tensor([[1, 3, 3], [0, 0, 2]])
lg = torch.randn(2, 5)
sc = torch.gather(lg, 1, prev)
sc = torch.where(sc < 0, sc * 1.2, sc / 1.2)
lg.scatter_(1, prev, sc)
print(lg.round(decimals=4))
