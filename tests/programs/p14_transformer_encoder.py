# A Transformer encoder classifier (eval-mode forward and a few training steps).
import math

import numpy as np
import torch
import torch.nn as nn


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=50):
        super().__init__()
        position = torch.arange(max_len).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(max_len, 1, d_model)
        pe[:, 0, 0::2] = torch.sin(position * div_term)
        pe[:, 0, 1::2] = torch.cos(position * div_term)
        self.register_buffer('pe', pe)

    def forward(self, x):
        return x + self.pe[:x.size(0)]


class TransformerClassifier(nn.Module):
    def __init__(self, ntoken=20, d_model=16, nhead=2, d_hid=32, nlayers=2):
        super().__init__()
        self.embedding = nn.Embedding(ntoken, d_model)
        self.pos = PositionalEncoding(d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, d_hid, dropout=0.0)
        self.encoder = nn.TransformerEncoder(layer, nlayers, enable_nested_tensor=False)
        self.out = nn.Linear(d_model, 3)
        self.d_model = d_model

    def forward(self, src, mask=None):
        x = self.embedding(src) * math.sqrt(self.d_model)
        x = self.pos(x)
        x = self.encoder(x, mask)
        return self.out(x.mean(dim=0))


model = TransformerClassifier()
rng = np.random.default_rng(7)
with torch.no_grad():
    for name, p in model.named_parameters():
        p.copy_(torch.from_numpy(rng.normal(0, 0.1, p.shape)).float())
print(model.pos.pe.shape, [n for n, _ in model.named_buffers()])
print(len(list(model.parameters())), sum(p.numel() for p in model.parameters()))
src = torch.from_numpy(rng.integers(0, 20, size=(6, 4)))
target = torch.tensor([0, 1, 2, 1])
mask = nn.Transformer.generate_square_subsequent_mask(6)
print(mask)
model.eval()
with torch.no_grad():
    out = model(src, mask)
print(out.shape, out.round(decimals=3))
model.train()
opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
for step in range(4):
    opt.zero_grad()
    loss = nn.CrossEntropyLoss()(model(src), target)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 0.5)
    opt.step()
    print(step, f"{loss.item():.4f}")
mha = nn.MultiheadAttention(16, 4, batch_first=True)
q = torch.zeros(2, 5, 16)
attn_out, attn_w = mha(q, q, q)
print(attn_out.shape, attn_w.shape, attn_w[0, 0])
