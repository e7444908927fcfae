# A tiny transformer block trained on a random copy task: nn.MultiheadAttention with dropout,
# nn.TransformerEncoderLayer (dropout inside), positional embedding, greedy evaluation.
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
vocab, seq_len, d_model = 12, 8, 32


class Block(nn.Module):
    def __init__(self, d, heads, p=0.1):
        super().__init__()
        self.ln1 = nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, heads, dropout=p, batch_first=True)
        self.ln2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d), nn.Dropout(p))

    def forward(self, x, mask=None):
        h = self.ln1(x)
        a, w = self.attn(h, h, h, attn_mask=mask, need_weights=True)
        x = x + a
        return x + self.mlp(self.ln2(x)), w


class TinyLM(nn.Module):
    def __init__(self):
        super().__init__()
        self.tok = nn.Embedding(vocab, d_model)
        self.pos = nn.Parameter(torch.zeros(1, seq_len, d_model))
        nn.init.trunc_normal_(self.pos, std=0.02)
        self.drop = nn.Dropout(0.1)
        self.block = Block(d_model, 4)
        self.enc = nn.TransformerEncoderLayer(d_model, 4, dim_feedforward=64, dropout=0.1,
                                              batch_first=True)
        self.head = nn.Linear(d_model, vocab)

    def forward(self, idx):
        x = self.drop(self.tok(idx) + self.pos[:, :idx.size(1)])
        x, w = self.block(x)
        x = self.enc(x)
        return self.head(x), w


model = TinyLM()
print("pos", model.pos[0, 0, :4])
print("params", sum(p.numel() for p in model.parameters()))
opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)

for step in range(40):
    src = torch.randint(0, vocab, (16, seq_len))
    logits, _ = model(src)
    loss = F.cross_entropy(logits.reshape(-1, vocab), src.reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 10 == 0:
        print(f"step {step:3d} | loss {loss.item():.4f}")

model.eval()
with torch.no_grad():
    test = torch.randint(0, vocab, (4, seq_len))
    logits, weights = model(test)
    pred = logits.argmax(-1)
print(test[0])
print(pred[0])
print("copy accuracy", (pred == test).float().mean().item())
print("attention rows sum to 1:", torch.allclose(weights.sum(-1), torch.ones(4, seq_len)))
print(weights[0, 0].round(decimals=2))
