# Autograd demos from the tutorials.
import torch

x = torch.ones(5)
y = torch.zeros(3)
w = torch.tensor([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6], [0.7, -0.8, 0.9],
                  [-1.0, 1.1, 1.2], [0.0, 0.1, -0.1]], requires_grad=True)
b = torch.tensor([0.1, 0.2, 0.3], requires_grad=True)
z = torch.matmul(x, w) + b
loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)
print(f"Gradient function for z = {z.grad_fn}")
print(f"Gradient function for loss = {loss.grad_fn}")
loss.backward()
print(w.grad)
print(b.grad)
print(round(loss.item(), 4))

z = torch.matmul(x, w) + b
print(z.requires_grad)
with torch.no_grad():
    z = torch.matmul(x, w) + b
print(z.requires_grad)
z = torch.matmul(x, w) + b
z_det = z.detach()
print(z_det.requires_grad)

inp = torch.eye(4, 5, requires_grad=True)
out = (inp + 1).pow(2).t()
out.backward(torch.ones_like(out), retain_graph=True)
print(f"First call\n{inp.grad}")
out.backward(torch.ones_like(out), retain_graph=True)
print(f"\nSecond call\n{inp.grad}")
inp.grad.zero_()
out.backward(torch.ones_like(out), retain_graph=True)
print(f"\nCall after zeroing gradients\n{inp.grad}")

a = torch.tensor([2., 3.], requires_grad=True)
b = torch.tensor([6., 4.], requires_grad=True)
Q = 3 * a ** 3 - b ** 2
external_grad = torch.tensor([1., 1.])
Q.backward(gradient=external_grad)
print(9 * a ** 2 == a.grad)
print(-2 * b == b.grad)

x = torch.tensor(3.0, requires_grad=True)
y = x ** 2
y.retain_grad()
z = y * 4 + torch.sin(x)
z.backward()
print(x.grad, y.grad, x.is_leaf, y.is_leaf, z.grad_fn.name())
print(x.grad_fn, y.grad_fn is not None)
x = torch.randn(3).requires_grad_()
print(x.requires_grad, x.detach().requires_grad)
t = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
u = (t * t).sum()
(g,) = torch.autograd.grad(u, t)
print(g)
v = torch.tensor([1.0, -1.0, 2.0], requires_grad=True)
s = torch.relu(v).sum() + torch.abs(v).sum() + v.clamp(min=0.5).sum()
s.backward()
print(v.grad)
