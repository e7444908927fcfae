# Kim (2014) CNN for sentence classification: Conv1d filters of several widths, max over time.
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class TextCNN(nn.Module):
    def __init__(self, vocab_size, embed_dim, num_classes, kernel_sizes=(2, 3, 4), num_filters=3):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
        self.convs = nn.ModuleList([nn.Conv1d(embed_dim, num_filters, k) for k in kernel_sizes])
        self.dropout = nn.Dropout(0.5)
        self.fc = nn.Linear(num_filters * len(kernel_sizes), num_classes)

    def forward(self, x):
        x = self.embedding(x).permute(0, 2, 1)
        pooled = [F.max_pool1d(F.relu(conv(x)), conv(x).shape[2]).squeeze(2) for conv in self.convs]
        cat = torch.cat(pooled, 1)
        return self.fc(self.dropout(cat))


model = TextCNN(20, 6, 2)
rng = np.random.default_rng(17)
with torch.no_grad():
    for p in model.parameters():
        p.copy_(torch.from_numpy(rng.normal(0, 0.3, p.shape).astype(np.float32)))
x = torch.from_numpy(rng.integers(1, 20, size=(6, 7)))
x[:, -2:] = 0
y = torch.tensor([0, 1, 0, 1, 1, 0])
opt = torch.optim.Adagrad(model.parameters(), lr=0.1)
model.train()
model.dropout.p = 0.0
for epoch in range(6):
    opt.zero_grad()
    logits = model(x)
    loss = F.cross_entropy(logits, y)
    loss.backward()
    opt.step()
    print(epoch, f"{loss.item():.4f}", (logits.argmax(1) == y).sum().item())
model.eval()
with torch.no_grad():
    print(F.softmax(model(x[:2]), dim=1).round(decimals=3))
print(model.convs[1], model.convs[1].weight.shape)
print(F.adaptive_max_pool1d(torch.arange(12.0).reshape(1, 2, 6), 1).squeeze(-1))
