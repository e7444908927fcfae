# The way many quick scripts print: print(loss.item()), print(model.weight) after a few
# steps, print(tensor) with default formatting, torch.randn data, default init. A raw
# print(loss.item()) shows all 17 digits of a float32, whose last bit depends on summation
# order (MKL's gemm in torch, OpenBLAS under NumPy; torch's vectorised reductions in the
# gradients): a linear layer's loss differs in the last bit from the first step, an
# elementwise model's from the second. Such values are printed raw only where they are exact
# (before any update, no matmul) and rounded to 5 decimals elsewhere.
import torch
import torch.nn as nn

torch.manual_seed(0)
x = torch.randn(10, 3)
y = torch.randn(10, 2)
model = nn.Linear(3, 2)
print(model.weight)
print(model.bias)
opt = torch.optim.SGD(model.parameters(), lr=0.01)
for step in range(3):
    opt.zero_grad()
    loss = nn.MSELoss()(model(x), y)
    print(round(loss.item(), 5))
    loss.backward()
    opt.step()
print(model.weight)
print(model.weight.grad)

# an elementwise model (no matmul): the first loss agrees to the last digit
t = torch.linspace(-1, 1, 20)
target = 0.7 * t - 0.2 + 0.05 * torch.randn(20)
slope = torch.randn(1, requires_grad=True)
icpt = torch.zeros(1, requires_grad=True)
sgd = torch.optim.SGD([slope, icpt], lr=0.3)
for step in range(5):
    loss = ((slope * t + icpt - target) ** 2).mean()
    sgd.zero_grad()
    loss.backward()
    sgd.step()
    print(step, loss.item() if step == 0 else round(loss.item(), 5))
print(round(slope.item(), 5), round(icpt.item(), 5))

# tensors and their default print
a = torch.rand(2, 3)
print(a)
print(a * 1000)
print(torch.randn(3) / 1e4)
print(torch.randint(-5, 5, (2, 4)))
print(torch.randn(2, 2, dtype=torch.float64))
print(torch.randn(4).tolist()[:2])
print(torch.rand(1).item())
print(torch.normal(mean=torch.zeros(3), std=torch.ones(3)))
print(torch.empty(2, 3).uniform_(-1, 1))
print(torch.empty(5).exponential_())
print(torch.empty(3).random_(0, 10))
print(torch.empty(4).bernoulli_(0.5))
print(torch.empty(3).geometric_(0.3))
print(torch.empty(2).log_normal_())
print(torch.empty(2).cauchy_())

# one gradient step by hand
w = torch.randn(3, 1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
pred = x @ w + b
loss = ((pred - y[:, :1]) ** 2).mean()
loss.backward()
print(w.grad, b.grad)
with torch.no_grad():
    w -= 0.1 * w.grad
print(w)
print(loss)
