# Text classification pipeline from scratch: tokenise, build a vocabulary, pad batches,
# embed with padding_idx and pool with a mask. Pattern from course notebooks that avoid torchtext.
from collections import Counter

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import DataLoader, Dataset

corpus = [
    ("the movie was great and fun", 1),
    ("a terrible boring film", 0),
    ("great acting great story", 1),
    ("boring and way too long", 0),
    ("fun fun fun", 1),
    ("the plot was terrible", 0),
    ("an instant classic", 1),
    ("i fell asleep it was so boring", 0),
]


def tokenize(text):
    return text.lower().split()


counter = Counter(tok for text, _ in corpus for tok in tokenize(text))
specials = ["<pad>", "<unk>"]
# most_common breaks ties by first appearance, so the vocabulary is deterministic
itos = specials + [w for w, c in counter.most_common() if c >= 1]
stoi = {w: i for i, w in enumerate(itos)}
PAD, UNK = stoi["<pad>"], stoi["<unk>"]
print("vocab size:", len(itos))
print("top words:", counter.most_common(4))


def encode(text):
    return torch.tensor([stoi.get(t, UNK) for t in tokenize(text)], dtype=torch.long)


class TextDataset(Dataset):
    def __init__(self, pairs):
        self.pairs = pairs

    def __len__(self):
        return len(self.pairs)

    def __getitem__(self, i):
        text, label = self.pairs[i]
        return encode(text), label


def collate(batch):
    seqs, labels = zip(*batch)
    lengths = torch.tensor([len(s) for s in seqs])
    padded = pad_sequence(seqs, batch_first=True, padding_value=PAD)
    return padded, lengths, torch.tensor(labels)


loader = DataLoader(TextDataset(corpus), batch_size=4, shuffle=False, collate_fn=collate)
padded, lengths, labels = next(iter(loader))
print(padded)
print(lengths, labels)
mask = padded != PAD
print(mask.sum(1), mask.dtype)


class BagOfEmbeddings(nn.Module):
    def __init__(self, vocab_size, dim, n_classes):
        super().__init__()
        self.emb = nn.Embedding(vocab_size, dim, padding_idx=PAD)
        self.fc = nn.Linear(dim, n_classes)

    def forward(self, x):
        e = self.emb(x)
        m = (x != PAD).unsqueeze(-1).float()
        # mean over the real tokens only
        pooled = (e * m).sum(1) / m.sum(1).clamp(min=1)
        return self.fc(pooled)


torch.manual_seed(0)
model = BagOfEmbeddings(len(itos), 6, 2)
print(model)
print("padding row is zero:", bool((model.emb.weight[PAD] == 0).all()))
with torch.no_grad():
    w = torch.cos(torch.arange(model.emb.weight.numel(), dtype=torch.float32) * 0.37)
    model.emb.weight.copy_(w.view_as(model.emb.weight) * 0.5)
    model.emb.weight[PAD].zero_()
    model.fc.weight.copy_(torch.linspace(-0.4, 0.4, 12).view(2, 6))
    model.fc.bias.fill_(0.0)

opt = torch.optim.SGD(model.parameters(), lr=0.5)
for epoch in range(30):
    total = 0.0
    for x, lens, y in loader:
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        # padding_idx keeps the gradient of the pad row at zero
        assert model.emb.weight.grad[PAD].abs().sum().item() == 0
        opt.step()
        total += loss.item()
    if epoch % 10 == 9:
        print(f"epoch {epoch + 1} loss {total / len(loader):.4f}")

model.eval()
with torch.no_grad():
    tests = ["great fun movie", "boring terrible plot", "unknown words here"]
    batch = pad_sequence([encode(t) for t in tests], batch_first=True, padding_value=PAD)
    print(batch)
    probs = F.softmax(model(batch), dim=-1)
    print(probs.argmax(-1).tolist())
    print([f"{p:.3f}" for p in probs[:, 1].tolist()])

# an EmbeddingBag with offsets gives the same means as the masked pooling above
bag = nn.EmbeddingBag(len(itos), 6, mode="mean", padding_idx=PAD)
with torch.no_grad():
    bag.weight.copy_(model.emb.weight)
flat = torch.cat([encode(t) for t in tests])
offsets = torch.tensor([0] + [len(tokenize(t)) for t in tests[:-1]]).cumsum(0)
print(flat.shape, offsets)
pooled_bag = bag(flat, offsets)
e = model.emb(batch)
m = (batch != PAD).unsqueeze(-1).float()
print(torch.allclose(pooled_bag, (e * m).sum(1) / m.sum(1)))
