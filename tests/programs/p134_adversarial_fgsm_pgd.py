# Adversarial examples: FGSM and PGD (L-inf) attacks on a small classifier with
# x.grad.sign(), clamp, and the detach_().requires_grad_() idiom, plus adversarial training.
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
# two concentric-ish classes in 2-D
t = torch.linspace(0, 6.283, 40)
inner = torch.stack([0.5 * torch.cos(t), 0.5 * torch.sin(t)], 1)
outer = torch.stack([1.5 * torch.cos(t), 1.5 * torch.sin(t)], 1)
X = torch.cat([inner, outer])
Y = torch.cat([torch.zeros(40), torch.ones(40)]).long()

model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 2))
with torch.no_grad():
    for i, p in enumerate(model.parameters()):
        p.copy_(torch.sin(torch.arange(p.numel(), dtype=torch.float32) * 2.1 + i).view(p.shape))
opt = torch.optim.Adam(model.parameters(), lr=0.05)
for epoch in range(150):
    opt.zero_grad()
    loss = F.cross_entropy(model(X), Y)
    loss.backward()
    opt.step()
print(f"clean loss {loss.item():.4f}")


def accuracy(x, y):
    with torch.no_grad():
        return (model(x).argmax(1) == y).float().mean().item()


print("clean acc", accuracy(X, Y))


def fgsm(x, y, eps):
    x_adv = x.clone().detach().requires_grad_(True)
    loss = F.cross_entropy(model(x_adv), y)
    model.zero_grad()
    loss.backward()
    return (x_adv + eps * x_adv.grad.sign()).detach()


def pgd(x, y, eps, alpha, steps):
    x_adv = x.clone().detach()
    for _ in range(steps):
        x_adv.requires_grad_(True)
        loss = F.cross_entropy(model(x_adv), y)
        grad, = torch.autograd.grad(loss, [x_adv])
        x_adv = x_adv.detach() + alpha * grad.sign()
        # project back into the eps-ball around x
        x_adv = torch.min(torch.max(x_adv, x - eps), x + eps)
    return x_adv.detach()


for eps in [0.05, 0.2, 0.4]:
    xf = fgsm(X, Y, eps)
    xp = pgd(X, Y, eps, alpha=eps / 4, steps=10)
    print(f"eps {eps}: fgsm acc {accuracy(xf, Y):.3f} pgd acc {accuracy(xp, Y):.3f} "
          f"max pert {(xp - X).abs().max().item():.3f}")

# images in [0, 1]: clamp after the step, the usual tutorial detail
img = torch.linspace(0, 1, 16).view(1, 1, 4, 4)
img.requires_grad_()
score = (img * torch.arange(16.0).view(1, 1, 4, 4) - 7).pow(2).sum()
score.backward()
print(img.grad.sign())
adv = torch.clamp(img + 0.3 * img.grad.sign(), 0, 1)
print(adv)
print(adv.requires_grad, adv.grad_fn is not None)
adv.detach_().requires_grad_()
print(adv.requires_grad, adv.is_leaf, adv.grad_fn)

# sign of zero gradient is zero
print(torch.tensor([-2.0, 0.0, 3.0, -0.0]).sign())

# adversarial training: mix clean and FGSM batches
for epoch in range(40):
    x_adv = fgsm(X, Y, 0.2)
    opt.zero_grad()
    loss = 0.5 * F.cross_entropy(model(X), Y) + 0.5 * F.cross_entropy(model(x_adv), Y)
    loss.backward()
    opt.step()
print(f"robust loss {loss.item():.3f}")
print("fgsm acc after adv training >= 0.9:", accuracy(fgsm(X, Y, 0.2), Y) >= 0.9)
