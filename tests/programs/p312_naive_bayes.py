# Naive Bayes two ways: Gaussian NB on continuous features (per-class means and variances via
# index_add and bincount, joint log-likelihood with log-sum-exp normalisation) and
# multinomial NB on bag-of-words counts with Laplace smoothing built by scatter_add_.
import torch

torch.manual_seed(13)
torch.set_printoptions(precision=4)
C, d = 3, 4
mus = torch.tensor([[0.0, 1.0, 2.0, 0.0], [2.0, 0.0, 1.0, 1.0], [1.0, 2.0, 0.0, -1.0]])
sds = torch.tensor([[1.0, 0.5, 0.8, 1.2], [0.6, 1.0, 1.0, 0.7], [0.9, 0.9, 0.4, 1.0]])
y = torch.randint(0, C, (400,))
X = mus[y] + sds[y] * torch.randn(400, d)
Xtr, ytr, Xte, yte = X[:300], y[:300], X[300:], y[300:]

counts = torch.bincount(ytr, minlength=C).float()
prior = counts / counts.sum()
sums = torch.zeros(C, d).index_add_(0, ytr, Xtr)
mean = sums / counts[:, None]
sq = torch.zeros(C, d).index_add_(0, ytr, Xtr ** 2)
var = sq / counts[:, None] - mean ** 2 + 1e-9
print("prior", prior)
print("means\n", mean)
print("var check", torch.allclose(var[0], Xtr[ytr == 0].var(0, unbiased=False), atol=1e-4))


def gnb_log_joint(X):
    ll = -0.5 * (torch.log(2 * torch.pi * var)[None] + (X[:, None, :] - mean[None]) ** 2 / var[None])
    return torch.log(prior)[None] + ll.sum(-1)


jl = gnb_log_joint(Xte)
post = torch.exp(jl - torch.logsumexp(jl, 1, keepdim=True))
pred = jl.argmax(1)
print("posterior rows sum to 1", torch.allclose(post.sum(1), torch.ones(100)))
print(f"gaussian NB test acc {(pred == yte).float().mean().item():.3f}")
normal = torch.distributions.Normal(mean, var.sqrt())
jl2 = torch.log(prior) + normal.log_prob(Xte[:, None, :]).sum(-1)
print("matches distributions.Normal", torch.allclose(jl, jl2, atol=1e-4))

# multinomial NB on toy documents
vocab = ["ball", "goal", "team", "vote", "law", "party", "cpu", "code", "bug"]
docs = [("ball goal team goal", 0), ("team ball win", 0), ("goal goal team", 0),
        ("vote law party", 1), ("party vote vote", 1), ("law law party vote", 1),
        ("cpu code bug", 2), ("code code bug", 2), ("bug cpu cpu code", 2)]
w2i = {w: i for i, w in enumerate(vocab)}
V = len(vocab)
labels = torch.tensor([c for _, c in docs])
bow = torch.zeros(len(docs), V)
for i, (text, _) in enumerate(docs):
    ids = torch.tensor([w2i[w] for w in text.split() if w in w2i])
    bow[i].scatter_add_(0, ids, torch.ones(len(ids)))
print("bow\n", bow.int())
class_counts = torch.zeros(3, V).index_add_(0, labels, bow)
alpha = 1.0
log_theta = torch.log((class_counts + alpha) / (class_counts.sum(1, keepdim=True) + alpha * V))
log_prior = torch.log(torch.bincount(labels).float() / len(docs))
tests = ["goal team", "vote party law", "bug code", "team vote cpu"]
for text in tests:
    v = torch.zeros(V)
    for w in text.split():
        v[w2i[w]] += 1
    scores = log_prior + log_theta @ v
    probs = torch.softmax(scores, 0)
    print(f"{text!r:18} -> class {scores.argmax().item()} probs {[round(p, 4) for p in probs.tolist()]}")
top = log_theta.topk(2, dim=1).indices
print("top words", [[vocab[i] for i in row] for row in top.tolist()])
