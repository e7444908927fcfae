# Character-level GRU language model on a tiny corpus, then text generation
# (greedy decoding printed; multinomial sampling only checked for shape and range).
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

text = "hello world. hello there. the world says hello."
chars = sorted(list(set(text)))
stoi = {ch: i for i, ch in enumerate(chars)}
itos = {i: ch for ch, i in stoi.items()}
vocab_size = len(chars)
data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
print(vocab_size, data.shape, data[:10])


class CharRNN(nn.Module):
    def __init__(self, vocab_size, embed=8, hidden=16, layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embed)
        self.rnn = nn.GRU(embed, hidden, num_layers=layers, batch_first=True, dropout=0.0)
        self.fc = nn.Linear(hidden, vocab_size)

    def forward(self, x, h=None):
        out, h = self.rnn(self.embed(x), h)
        return self.fc(out), h


model = CharRNN(vocab_size)
rng = np.random.default_rng(7)
with torch.no_grad():
    for p in model.parameters():
        p.copy_(torch.from_numpy(rng.uniform(-0.3, 0.3, p.shape).astype(np.float32)))

seq_len = 12
starts = list(range(0, len(text) - seq_len - 1, 6))
X = torch.stack([data[s:s + seq_len] for s in starts])
Y = torch.stack([data[s + 1:s + seq_len + 1] for s in starts])
print(X.shape, Y.shape)
optimizer = torch.optim.RMSprop(model.parameters(), lr=0.01)
for epoch in range(15):
    model.train()
    optimizer.zero_grad()
    logits, _ = model(X)
    loss = F.cross_entropy(logits.view(-1, vocab_size), Y.view(-1))
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    if epoch % 3 == 0:
        print(f"epoch {epoch:2d} loss {loss.item():.4f} ppl {loss.exp().item():.2f}")


@torch.no_grad()
def generate(model, start, n, greedy=True, temperature=1.0):
    model.eval()
    idx = torch.tensor([[stoi[c] for c in start]])
    logits, h = model(idx)
    out = list(start)
    for _ in range(n):
        last = logits[:, -1, :] / temperature
        probs = F.softmax(last, dim=-1)
        if greedy:
            nxt = torch.argmax(probs, dim=-1, keepdim=True)
        else:
            nxt = torch.multinomial(probs, num_samples=1)
        out.append(itos[nxt.item()])
        logits, h = model(nxt, h)
    return ''.join(out), h


s, h = generate(model, "hel", 20)
print(repr(s), h.shape)
torch.manual_seed(0)
s2, _ = generate(model, "wor", 10, greedy=False, temperature=0.8)
print(len(s2), all(c in chars for c in s2))
probs = torch.tensor([[0.1, 0.0, 0.9], [0.5, 0.5, 0.0]])
draws = torch.multinomial(probs, 5, replacement=True)
print(draws.shape, draws.dtype, bool((draws[0] != 1).all()), bool((draws[1] != 2).all()))
print(torch.multinomial(torch.tensor([0.0, 1.0, 0.0]), 1), torch.multinomial(torch.tensor([1.0, 1.0, 0.0]), 2).sort().values)
top_p_logits = torch.tensor([2.0, 1.0, 0.5, -1.0])
sorted_logits, sorted_idx = torch.sort(top_p_logits, descending=True)
cum = torch.cumsum(F.softmax(sorted_logits, dim=-1), dim=-1)
remove = cum > 0.8
remove[1:] = remove[:-1].clone()
remove[0] = False
filtered = top_p_logits.clone()
filtered[sorted_idx[remove]] = float('-inf')
print(cum.round(decimals=4), filtered, F.softmax(filtered, -1).round(decimals=4))
k_vals, k_idx = torch.topk(top_p_logits, 2)
print(torch.full_like(top_p_logits, float('-inf')).scatter(0, k_idx, k_vals))
