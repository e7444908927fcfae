# In-place operations and autograd: what works and what PyTorch refuses.
import torch

w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
with torch.no_grad():
    w.mul_(2)
    w[0] = 10.0
print(w, w.requires_grad, w.is_leaf)
w.data.add_(1)
print(w)
x = w * 1
x[1] = 0
x.relu_()
x.sum().backward()
print(w.grad)
a = torch.tensor([1.0, -2.0], requires_grad=True)
h = a.clone()
h.add_(1).mul_(3)
h.exp().sum().backward()
print(a.grad.round(decimals=4))
try:
    a.add_(1)
except RuntimeError as e:
    print(e)
try:
    a[0] = 1
except RuntimeError as e:
    print(e)
v = torch.tensor([1.0, 2.0], requires_grad=True)
e = v.exp()
e.add_(1)
try:
    e.sum().backward()
    print(v.grad)
except RuntimeError as err:
    print(str(err)[:60])
s = torch.tensor([0.5, 1.5], requires_grad=True)
t = torch.sigmoid(s)
t.mul_(2)
try:
    t.sum().backward()
except RuntimeError as err:
    print(str(err)[:80])
z = torch.zeros(3)
z.fill_(2).clamp_(max=1.5).sub_(0.5).div_(2)
print(z, z.copy_(torch.tensor([1, 2, 3])), z.zero_())
m = torch.ones(2, 2)
m.masked_fill_(torch.eye(2).bool(), 0).t_()
print(m)
q = torch.arange(6.0).view(2, 3)
row = q[0]
row += 100
print(q)
p = torch.tensor([1.0], requires_grad=True)
print(p.detach().add_(1), p)
emb = torch.nn.Embedding(3, 2)
with torch.no_grad():
    emb.weight.zero_()
    emb.weight[1] = torch.tensor([1.0, 2.0])
print(emb(torch.tensor([1, 0])).detach())
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x.clone()
y[1:] = y[1:] * 2
y.pow(2).sum().backward()
print(x.grad)
