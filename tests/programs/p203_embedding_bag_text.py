# Text classification with nn.EmbeddingBag (the PyTorch "text sentiment ngrams" tutorial) and
# a mean-pooled nn.Embedding model, on random token sequences with a planted signal.
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

torch.manual_seed(0)
vocab_size, num_class = 50, 3
docs, labels = [], []
for i in range(240):
    label = i % num_class
    length = int(torch.randint(4, 12, (1,)))
    toks = torch.randint(0, vocab_size, (length,))
    # class-specific keywords: tokens 10*label + 0..2 appear often
    keywords = 10 * label + torch.randint(0, 3, (length // 2,))
    docs.append(torch.cat([toks, keywords])[torch.randperm(length + length // 2)])
    labels.append(label)
print(docs[0], labels[0])


def collate_batch(batch):
    label_list, text_list, offsets = [], [], [0]
    for text, label in batch:
        label_list.append(label)
        text_list.append(text)
        offsets.append(text.size(0))
    offsets = torch.tensor(offsets[:-1]).cumsum(dim=0)
    return torch.tensor(label_list), torch.cat(text_list), offsets


class TextClassificationModel(nn.Module):
    def __init__(self, vocab_size, embed_dim, num_class):
        super().__init__()
        self.embedding = nn.EmbeddingBag(vocab_size, embed_dim, mode="mean")
        self.fc = nn.Linear(embed_dim, num_class)
        self.init_weights()

    def init_weights(self):
        initrange = 0.5
        self.embedding.weight.data.uniform_(-initrange, initrange)
        self.fc.weight.data.uniform_(-initrange, initrange)
        self.fc.bias.data.zero_()

    def forward(self, text, offsets):
        return self.fc(self.embedding(text, offsets))


data = list(zip(docs, labels))
train_loader = DataLoader(data[:200], batch_size=16, shuffle=True, collate_fn=collate_batch)
model = TextClassificationModel(vocab_size, 16, num_class)
print(model.embedding.weight[:2])
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=2.0)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 1, gamma=0.5)
for epoch in range(1, 5):
    model.train()
    total_acc, total_count = 0, 0
    for label, text, offsets in train_loader:
        optimizer.zero_grad()
        predicted_label = model(text, offsets)
        loss = criterion(predicted_label, label)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 0.1)
        optimizer.step()
        total_acc += (predicted_label.argmax(1) == label).sum().item()
        total_count += label.size(0)
    scheduler.step()
    print("| epoch {:3d} | accuracy {:8.3f} | lr {:.3f}".format(epoch, total_acc / total_count,
                                                               scheduler.get_last_lr()[0]))

label, text, offsets = collate_batch(data[200:])
with torch.no_grad():
    print("test accuracy", (model(text, offsets).argmax(1) == label).float().mean().item())

# padded sequences with nn.Embedding(padding_idx=0) and masked mean pooling
emb = nn.Embedding(vocab_size + 1, 8, padding_idx=0)
print(emb.weight[0])
padded = nn.utils.rnn.pad_sequence([d[:6] + 1 for d in docs[:4]], batch_first=True)
mask = (padded != 0).unsqueeze(-1).float()
pooled = (emb(padded) * mask).sum(1) / mask.sum(1)
print(padded)
print(pooled[:, :3])
bag_sum = nn.EmbeddingBag(10, 3, mode="sum")
inp = torch.randint(0, 10, (2, 4))
print(bag_sum(inp), bag_sum.weight.sum())
bag_max = nn.EmbeddingBag.from_pretrained(torch.randn(10, 3), mode="max")
print(bag_max(inp))
