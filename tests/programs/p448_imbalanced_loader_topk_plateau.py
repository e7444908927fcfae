# A text-ish classification pipeline: variable-length samples padded by a collate_fn with
# pad_sequence, a WeightedRandomSampler for class imbalance, gradient accumulation, top-k
# accuracy, ReduceLROnPlateau driven by the validation loss, and an EMA of the weights.
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_sequence
from torch.utils.data import DataLoader, Dataset, WeightedRandomSampler

torch.manual_seed(11)
C, V = 4, 30
class_probs = torch.tensor([0.55, 0.25, 0.15, 0.05])


class Sequences(Dataset):
    def __init__(self, n, seed):
        g = torch.Generator().manual_seed(seed)
        self.labels = torch.multinomial(class_probs, n, replacement=True, generator=g)
        self.items = []
        for lab in self.labels.tolist():
            length = int(torch.randint(3, 10, (1,), generator=g))
            seq = torch.randint(1, V, (length,), generator=g)
            seq[torch.randint(0, length, (2,), generator=g)] = 1 + lab  # a class-marker token
            self.items.append(seq)

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i], self.labels[i]


def collate(batch):
    seqs, labels = zip(*batch)
    lengths = torch.tensor([len(s) for s in seqs])
    return pad_sequence(seqs, batch_first=True, padding_value=0), lengths, torch.stack(labels)


train, val = Sequences(200, 1), Sequences(60, 2)
counts = torch.bincount(train.labels, minlength=C)
print("train counts", counts.tolist(), "val counts", torch.bincount(val.labels, minlength=C).tolist())
sample_w = (1.0 / counts.float())[train.labels]
sampler = WeightedRandomSampler(sample_w, num_samples=len(train), replacement=True,
                                generator=torch.Generator().manual_seed(3))
seen = torch.cat([train.labels[list(idx)] for idx in [list(sampler)]])
print("resampled counts", torch.bincount(seen, minlength=C).tolist())
loader = DataLoader(train, batch_size=16, sampler=sampler, collate_fn=collate)
val_loader = DataLoader(val, batch_size=32, collate_fn=collate)
xb, lb, yb = next(iter(val_loader))
print("batch", tuple(xb.shape), xb.dtype, "lengths", lb[:6].tolist(), "pad frac", round((xb == 0).float().mean().item(), 4))


class GRUClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, 16, padding_idx=0)
        self.gru = nn.GRU(16, 24, batch_first=True, bidirectional=True)
        self.out = nn.Linear(48, C)

    def forward(self, x, lengths):
        packed = pack_padded_sequence(self.emb(x), lengths, batch_first=True, enforce_sorted=False)
        _, h = self.gru(packed)
        return self.out(torch.cat([h[-2], h[-1]], dim=1))


def topk_accuracy(logits, y, ks=(1, 2)):
    top = logits.topk(max(ks), dim=1).indices
    hit = top == y.unsqueeze(1)
    return [hit[:, :k].any(1).float().mean().item() for k in ks]


model = GRUClassifier()
ema = {k: v.detach().clone() for k, v in model.state_dict().items()}
opt = torch.optim.Adam(model.parameters(), lr=0.01)
plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=1, threshold=0.01)
accum = 2
for epoch in range(6):
    model.train()
    opt.zero_grad()
    for i, (x, lengths, y) in enumerate(loader):
        loss = F.cross_entropy(model(x, lengths), y) / accum
        loss.backward()
        if (i + 1) % accum == 0:
            opt.step()
            opt.zero_grad()
            with torch.no_grad():
                for k, v in model.state_dict().items():
                    if v.dtype.is_floating_point:
                        ema[k].mul_(0.9).add_(v, alpha=0.1)
    model.eval()
    total, n, accs = 0.0, 0, []
    with torch.no_grad():
        for x, lengths, y in val_loader:
            logits = model(x, lengths)
            total += F.cross_entropy(logits, y, reduction="sum").item()
            n += len(y)
            accs.append(topk_accuracy(logits, y))
    val_loss = total / n
    plateau.step(val_loss)
    top1 = sum(a[0] for a in accs) / len(accs)
    top2 = sum(a[1] for a in accs) / len(accs)
    print(f"epoch {epoch} val_loss {val_loss:.4f} top1 {top1:.3f} top2 {top2:.3f} lr {opt.param_groups[0]['lr']:.5f} bad {plateau.num_bad_epochs}")

ema_model = GRUClassifier()
print(ema_model.load_state_dict(ema))
with torch.no_grad():
    x, lengths, y = next(iter(val_loader))
    print("ema vs model top1", [round(v, 4) for v in topk_accuracy(ema_model(x, lengths), y, ks=(1,))],
          [round(v, 4) for v in topk_accuracy(model(x, lengths), y, ks=(1,))])
state = plateau.state_dict()
print("plateau state", {k: state[k] for k in ("num_bad_epochs", "cooldown_counter", "_last_lr", "mode", "threshold_mode")},
      "best", round(state["best"], 5))
