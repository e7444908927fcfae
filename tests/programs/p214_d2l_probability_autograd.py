# d2l 2.4-2.6 (PyTorch): calculus and automatic differentiation (gradients of x^T x, sum,
# non-scalar backward, detach, control flow), and probability with
# torch.distributions.multinomial.Multinomial(...).sample(): die rolls, relative frequencies
# converging, Categorical/Bernoulli/Normal samples and log probabilities.
import torch
from torch.distributions import multinomial

torch.manual_seed(1)


def f(x):
    return 3 * x ** 2 - 4 * x


for h in [0.1, 0.01, 0.001]:
    print(f"h={h:.5f}, numerical limit={(f(1 + h) - f(1)) / h:.5f}")

x = torch.arange(4.0)
print(x)
x.requires_grad_(True)
print(x.grad)
y = 2 * torch.dot(x, x)
print(y)
y.backward()
print(x.grad, x.grad == 4 * x)
x.grad.zero_()
y = x.sum()
y.backward()
print(x.grad)
x.grad.zero_()
y = x * x
y.backward(gradient=torch.ones(len(y)))
print(x.grad)
x.grad.zero_()
y = x * x
u = y.detach()
z = u * x
z.sum().backward()
print(x.grad == u)
x.grad.zero_()
y.sum().backward()
print(x.grad == 2 * x)


def g(a):
    b = a * 2
    while b.norm() < 1000:
        b = b * 2
    if b.sum() > 0:
        c = b
    else:
        c = 100 * b
    return c


a = torch.randn(size=(), requires_grad=True)
d = g(a)
d.backward()
print(a.grad == d / a)
a = torch.randn(3, requires_grad=True)
print(a)
g(a).sum().backward()
print(a.grad)

# probability
fair_probs = torch.ones([6]) / 6
print(multinomial.Multinomial(1, fair_probs).sample())
print(multinomial.Multinomial(10, fair_probs).sample())
counts = multinomial.Multinomial(1000, fair_probs).sample()
print(counts / 1000)
counts = multinomial.Multinomial(10, fair_probs).sample((500,))
cum_counts = counts.cumsum(dim=0)
estimates = cum_counts / cum_counts.sum(dim=1, keepdims=True)
print(counts[:4])
print(estimates[[0, 9, 99, 499]])
print(counts.shape, counts.sum(), counts.dtype)
m = multinomial.Multinomial(total_count=4, probs=torch.tensor([0.2, 0.3, 0.5]))
s = m.sample((3,))
print(s, m.log_prob(s), m.mean, m.variance, sep="\n")
biased = multinomial.Multinomial(100, logits=torch.tensor([[0.0, 1.0, 2.0], [2.0, 0.0, 0.0]]))
print(biased.sample(), biased.probs)
print(torch.multinomial(fair_probs, 8, replacement=True))
print(torch.multinomial(torch.tensor([[0.1, 0.2, 0.7], [0.5, 0.5, 0.0]]), 2))
cat = torch.distributions.Categorical(probs=torch.tensor([0.1, 0.2, 0.3, 0.4]))
draws = cat.sample((1000,))
print(draws[:12], torch.bincount(draws, minlength=4))
print(cat.log_prob(torch.tensor([0, 3])), f"{cat.entropy().item():.4f}")
bern = torch.distributions.Bernoulli(probs=torch.tensor([0.25, 0.75]))
print(bern.sample((4,)), bern.sample((2000,)).mean(0))
norm = torch.distributions.Normal(torch.tensor([0.0, 2.0]), torch.tensor([1.0, 0.5]))
sample = norm.sample((3,))
print(sample, norm.log_prob(sample), sep="\n")
r = norm.rsample()
print(r)
uni = torch.distributions.Uniform(-1.0, 1.0)
print(uni.sample((2, 3)))
# Bayes: a medical test (d2l 2.6.5)
P_D = torch.tensor([0.0015, 0.9985])
P_H_given_D = torch.tensor([[0.99, 0.01], [0.10, 0.90]])
P_H1 = (P_H_given_D[:, 0] * P_D).sum()
print(f"{P_H1.item():.6f}", f"{(P_H_given_D[0, 0] * P_D[0] / P_H1).item():.6f}")
