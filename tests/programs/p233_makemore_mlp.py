# makemore part 2: the Bengio et al. MLP. Context windows of block_size characters, an
# embedding table indexed with C[X], emb.view(-1, 6), minibatches from torch.randint, the
# learning-rate search over 10**torch.linspace(-3, 0, ...), train/dev/test splits, sampling.
import random

import torch
import torch.nn.functional as F

words = """emma olivia ava isabella sophia charlotte mia amelia harper evelyn abigail emily
elizabeth mila ella avery sofia camila aria scarlett victoria madison luna grace chloe
penelope layla riley zoey nora lily eleanor hannah lillian addison aubrey ellie stella
natalie zoe leah hazel violet aurora savannah audrey brooklyn bella claire skylar
quinn xavier jack felix kai owen gus wyatt theo dexter""".split()
print(len(words), words[:8])

chars = sorted(list(set("".join(words))))
stoi = {s: i + 1 for i, s in enumerate(chars)}
stoi["."] = 0
itos = {i: s for s, i in stoi.items()}
print(itos[1], itos[26])

# build the dataset
block_size = 3  # context length: how many characters do we take to predict the next one?
X, Y = [], []
for w in words[:5]:
    print(w)
    context = [0] * block_size
    for ch in w + ".":
        ix = stoi[ch]
        X.append(context)
        Y.append(ix)
        print("".join(itos[i] for i in context), "--->", itos[ix])
        context = context[1:] + [ix]  # crop and append
X = torch.tensor(X)
Y = torch.tensor(Y)
print(X.shape, X.dtype, Y.shape, Y.dtype)

torch.manual_seed(2147483647)
C = torch.randn((27, 2))
print(C[5], F.one_hot(torch.tensor(5), num_classes=27).float() @ C)
print(C[[5, 6, 7]].shape, C[torch.tensor([5, 6, 7, 7, 7])].shape, C[X].shape)
print(X[13, 2], C[X][13, 2], C[1])
emb = C[X]
print(emb.shape)
W1 = torch.randn((6, 100))
b1 = torch.randn(100)
print(torch.cat([emb[:, 0, :], emb[:, 1, :], emb[:, 2, :]], 1).shape)
print(torch.cat(torch.unbind(emb, 1), 1).shape)
a = torch.arange(18)
print(a.shape, a.view(2, 9), a.view(9, 2).shape, a.view(3, 3, 2).shape)
print(a.storage().size() if hasattr(a, "storage") else None, emb.view(32, 6).shape)
print(torch.equal(emb.view(32, 6), torch.cat(torch.unbind(emb, 1), 1)))
h = torch.tanh(emb.view(-1, 6) @ W1 + b1)
print(h.shape, (emb.view(-1, 6) @ W1).shape, b1.shape)


def build_dataset(words):
    X, Y = [], []
    for w in words:
        context = [0] * block_size
        for ch in w + ".":
            ix = stoi[ch]
            X.append(context)
            Y.append(ix)
            context = context[1:] + [ix]  # crop and append
    X = torch.tensor(X)
    Y = torch.tensor(Y)
    print(X.shape, Y.shape)
    return X, Y


random.seed(42)
random.shuffle(words)
n1 = int(0.8 * len(words))
n2 = int(0.9 * len(words))
Xtr, Ytr = build_dataset(words[:n1])
Xdev, Ydev = build_dataset(words[n1:n2])
Xte, Yte = build_dataset(words[n2:])

g = torch.Generator().manual_seed(2147483647)  # for reproducibility
C = torch.randn((27, 10), generator=g)
W1 = torch.randn((30, 200), generator=g) * 0.2
b1 = torch.randn(200, generator=g) * 0.01
W2 = torch.randn((200, 27), generator=g) * 0.01  # small logits at init: loss ~ log(27)
b2 = torch.randn(27, generator=g) * 0
parameters = [C, W1, b1, W2, b2]
print(sum(p.nelement() for p in parameters))  # number of parameters in total
for p in parameters:
    p.requires_grad = True

# the loss by hand against F.cross_entropy on one batch
emb = C[Xtr[:32]]
h = torch.tanh(emb.view(-1, 30) @ W1 + b1)
logits = h @ W2 + b2
counts = logits.exp()
prob = counts / counts.sum(1, keepdims=True)
loss_hand = -prob[torch.arange(32), Ytr[:32]].log().mean()
print(round(loss_hand.item(), 3), round(F.cross_entropy(logits, Ytr[:32]).item(), 3))
print(F.cross_entropy(torch.tensor([[-5.0, -3.0, 0.0, 100.0]]), torch.tensor([3])))

lre = torch.linspace(-3, 0, 1000)
lrs = 10**lre
print(lre[:3], lrs[:3], lrs[-1], lrs.dtype)

torch.manual_seed(42)
lri, lossi, stepi = [], [], []
for i in range(600):
    # minibatch construct
    ix = torch.randint(0, Xtr.shape[0], (32,))

    # forward pass
    emb = C[Xtr[ix]]  # (32, 3, 10)
    h = torch.tanh(emb.view(-1, 30) @ W1 + b1)  # (32, 200)
    logits = h @ W2 + b2  # (32, 27)
    loss = F.cross_entropy(logits, Ytr[ix])

    # backward pass
    for p in parameters:
        p.grad = None
    loss.backward()

    # update
    lr = 0.1 if i < 400 else 0.01
    for p in parameters:
        p.data += -lr * p.grad

    # track stats
    stepi.append(i)
    lossi.append(loss.log10().item())
    if i % 100 == 0:
        print(i, ix[:6].tolist(), f"{loss.item():.4f}")

print(len(lossi), round(sum(lossi[-50:]) / 50, 3))
print(torch.tensor(lossi).view(-1, 100).mean(1).round(decimals=3))

# training split, dev/validation split, test split
for name, (Xs, Ys) in {"train": (Xtr, Ytr), "val": (Xdev, Ydev), "test": (Xte, Yte)}.items():
    emb = C[Xs]  # (N, 3, 10)
    h = torch.tanh(emb.view(-1, 30) @ W1 + b1)  # (N, 200)
    logits = h @ W2 + b2  # (N, 27)
    loss = F.cross_entropy(logits, Ys)
    print(name, f"{loss.item():.3f}")

# sample from the model
g = torch.Generator().manual_seed(2147483647 + 10)
for _ in range(8):
    out = []
    context = [0] * block_size  # initialize with all ...
    while True:
        emb = C[torch.tensor([context])]  # (1,block_size,d)
        h = torch.tanh(emb.view(1, -1) @ W1 + b1)
        logits = h @ W2 + b2
        probs = F.softmax(logits, dim=1)
        ix = torch.multinomial(probs, num_samples=1, generator=g).item()
        context = context[1:] + [ix]
        out.append(ix)
        if ix == 0:
            break
    print("".join(itos[i] for i in out))
