# Variable-length batches the pre-1.1 way: a Dataset of numpy arrays, DataLoader with
# collate_fn lambdas, sorting a batch by length for pack_padded_sequence (enforce_sorted did
# not exist), an LSTM over the packed batch, and unsorting the outputs afterwards.
import numpy as np
import torch
import torch.nn as nn
from torch.autograd import Variable
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence
from torch.utils.data import DataLoader, Dataset, TensorDataset

np.random.seed(0)
torch.manual_seed(0)


class SeqDataset(Dataset):
    def __init__(self):
        self.seqs = [np.random.randint(1, 20, size=np.random.randint(2, 7)) for _ in range(10)]
        self.labels = [int(s.sum() % 2) for s in self.seqs]

    def __getitem__(self, index):
        return self.seqs[index], self.labels[index]

    def __len__(self):
        return len(self.seqs)


def pad_collate(batch):
    batch = sorted(batch, key=lambda x: len(x[0]), reverse=True)
    seqs, labels = zip(*batch)
    lengths = [len(s) for s in seqs]
    padded = torch.zeros(len(seqs), max(lengths)).long()
    for i, s in enumerate(seqs):
        padded[i, :len(s)] = torch.from_numpy(s)
    return padded, torch.LongTensor(lengths), torch.LongTensor(labels)


ds = SeqDataset()
print(len(ds), [len(s) for s, _ in ds])
loader = DataLoader(ds, batch_size=4, shuffle=False, collate_fn=pad_collate)
for padded, lengths, labels in loader:
    print(padded.size(), lengths.tolist(), labels.tolist())

# collate_fn lambdas
identity_loader = DataLoader(ds, batch_size=3, collate_fn=lambda b: b)
first = next(iter(identity_loader))
print(type(first).__name__, len(first), type(first[0][0]).__name__)
zip_loader = DataLoader(ds, batch_size=3, collate_fn=lambda b: list(zip(*b)))
seqs, labels = next(iter(zip_loader))
print(len(seqs), labels)
pad_loader = DataLoader(ds, batch_size=5, collate_fn=lambda b: (
    pad_sequence([torch.from_numpy(s) for s, _ in b], batch_first=True, padding_value=0),
    torch.tensor([y for _, y in b])))
for xb, yb in pad_loader:
    print(xb.shape, xb.dtype, yb)

# default collate turns numpy arrays and ints into tensors
fixed = TensorDataset(torch.arange(12).view(6, 2).float(), torch.arange(6))
for x, y in DataLoader(fixed, batch_size=4):
    print(x.type(), y.type(), x.shape, y)


class Encoder(nn.Module):
    def __init__(self):
        super(Encoder, self).__init__()
        self.embed = nn.Embedding(20, 5, padding_idx=0)
        self.lstm = nn.LSTM(5, 4, batch_first=True)
        self.fc = nn.Linear(4, 2)

    def forward(self, x, lengths):
        # sort by length (descending), pack, run, unpack, unsort
        seq_lengths, perm_idx = lengths.sort(0, descending=True)
        x = x[perm_idx]
        packed = pack_padded_sequence(self.embed(x), seq_lengths.numpy(), batch_first=True)
        packed_out, (ht, ct) = self.lstm(packed)
        out, out_lengths = pad_packed_sequence(packed_out, batch_first=True)
        _, unperm_idx = perm_idx.sort(0)
        return self.fc(ht[-1][unperm_idx]), out[unperm_idx], out_lengths[unperm_idx]


enc = Encoder()
unsorted = DataLoader(ds, batch_size=5, collate_fn=lambda b: (
    pad_sequence([torch.from_numpy(s) for s, _ in b], batch_first=True),
    torch.LongTensor([len(s) for s, _ in b]), torch.LongTensor([y for _, y in b])))
opt = torch.optim.Adam(enc.parameters(), lr=0.05)
for epoch in range(3):
    total = 0.0
    for x, lengths, y in unsorted:
        logits, out, out_lengths = enc(Variable(x), lengths)
        loss = nn.functional.cross_entropy(logits, Variable(y))
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item()
    print(epoch, round(total, 4), out.shape, out_lengths.tolist())
print(out[0, out_lengths[0]:].abs().sum().item(), packed_len := lengths.tolist())
