# makemore part 1 (the counting half): a bigram table of int32 counts, smoothed
# probabilities, seeded sampling with torch.multinomial, and the negative log likelihood.
import torch

words = """emma olivia ava isabella sophia charlotte mia amelia harper evelyn abigail emily
elizabeth mila ella avery sofia camila aria scarlett victoria madison luna grace chloe
penelope layla riley zoey nora lily eleanor hannah lillian addison aubrey ellie stella
natalie zoe leah hazel violet aurora savannah audrey brooklyn bella claire skylar
quinn xavier jack felix kai owen gus wyatt theo dexter""".split()
print(len(words), min(len(w) for w in words), max(len(w) for w in words))

b = {}
for w in words:
    chs = ["<S>"] + list(w) + ["<E>"]
    for ch1, ch2 in zip(chs, chs[1:]):
        bigram = (ch1, ch2)
        b[bigram] = b.get(bigram, 0) + 1
print(sorted(b.items(), key=lambda kv: -kv[1])[:8])

N = torch.zeros((27, 27), dtype=torch.int32)
chars = sorted(list(set("".join(words))))
stoi = {s: i + 1 for i, s in enumerate(chars)}
stoi["."] = 0
itos = {i: s for s, i in stoi.items()}
print(len(chars), "".join(chars))

for w in words:
    chs = ["."] + list(w) + ["."]
    for ch1, ch2 in zip(chs, chs[1:]):
        ix1 = stoi[ch1]
        ix2 = stoi[ch2]
        N[ix1, ix2] += 1

print(N.dtype, N.shape, N.sum().item(), N.max().item())
print(N[0])
print(N[0, 1], N[0, 1].item(), N[stoi["a"]][:10])
print(N[:3, :12])
for i in range(0, 27, 9):
    print(" ".join(f"{itos[i]}{itos[j]}:{N[i, j].item()}" for j in range(27) if N[i, j] > 0))

p = N[0].float()
p = p / p.sum()
print(p)

g = torch.Generator().manual_seed(2147483647)
p3 = torch.rand(3, generator=g)
p3 = p3 / p3.sum()
print(p3)
print(torch.multinomial(p3, num_samples=100, replacement=True, generator=g))

g = torch.Generator().manual_seed(2147483647)
ix = torch.multinomial(p, num_samples=1, replacement=True, generator=g).item()
print(ix, itos[ix])

P = (N + 1).float()
P /= P.sum(1, keepdims=True)
print(P.shape, P.dtype, P[0].sum().item() == 1.0, torch.allclose(P.sum(1), torch.ones(27)))
print(P[0, :8])

g = torch.Generator().manual_seed(2147483647)
for i in range(10):
    out = []
    ix = 0
    while True:
        p = P[ix]
        ix = torch.multinomial(p, num_samples=1, replacement=True, generator=g).item()
        out.append(itos[ix])
        if ix == 0:
            break
    print("".join(out))

# the same with the uniform distribution: the "untrained model"
g = torch.Generator().manual_seed(2147483647)
out = []
ix = 0
while True:
    p = torch.ones(27) / 27.0
    ix = torch.multinomial(p, num_samples=1, replacement=True, generator=g).item()
    out.append(itos[ix])
    if ix == 0:
        break
print("".join(out))

# GOAL: maximize likelihood of the data w.r.t. model parameters
log_likelihood = 0.0
n = 0
for w in words[:3]:
    chs = ["."] + list(w) + ["."]
    for ch1, ch2 in zip(chs, chs[1:]):
        ix1 = stoi[ch1]
        ix2 = stoi[ch2]
        prob = P[ix1, ix2]
        logprob = torch.log(prob)
        log_likelihood += logprob
        n += 1
        print(f"{ch1}{ch2}: {prob:.4f} {logprob:.4f}")
print(f"{log_likelihood=}")
nll = -log_likelihood
print(f"{nll=}")
print(f"{nll/n}")

log_likelihood = 0.0
n = 0
for w in words:
    chs = ["."] + list(w) + ["."]
    for ch1, ch2 in zip(chs, chs[1:]):
        log_likelihood += torch.log(P[stoi[ch1], stoi[ch2]])
        n += 1
print(f"{(-log_likelihood / n).item():.4f}", n)

# vectorised: the whole table at once
logP = P.log()
print(round((-(N.float() * logP).sum() / N.sum()).item(), 4))
print(P.sum(0, keepdim=True).shape, P.sum(1).shape, (P / P.sum(0, keepdim=True)).sum(0)[:4].round(decimals=4))
