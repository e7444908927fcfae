# Autograd as the 0.2-0.4 tutorials taught it: Variable with .data/.grad/.grad_fn, non-scalar
# backward with a gradient Variable, retain_graph (was retain_variables), register_hook for
# printing or scaling gradients, torch.autograd.backward on lists, torch.cat/torch.stack of
# Variables, leaf checks, requires_grad_ and detach_, and the usual error messages.
import torch
from torch.autograd import Variable

x = Variable(torch.ones(2, 2), requires_grad=True)
y = x + 2
print(y.grad_fn, y.grad_fn.next_functions[0][0].__class__.__name__, x.grad_fn, y.is_leaf)
z = y * y * 3
out = z.mean()
print(z, out)
out.backward()
print(x.grad)

torch.manual_seed(0)
x = torch.randn(3)
x = Variable(x, requires_grad=True)
y = x * 2
i = 0
while y.data.norm() < 100:
    y = y * 2
    i += 1
gradients = torch.FloatTensor([0.1, 1.0, 0.0001])
y.backward(gradients)
print(i, x.grad.data / 2 ** (i + 1))

# retain_graph: backward twice through the same graph
a = Variable(torch.FloatTensor([2.0, 3.0]), requires_grad=True)
b = (a ** 3).sum()
b.backward(retain_graph=True)
print(a.grad)
b.backward()
print(a.grad)
try:
    b.backward()
except RuntimeError as e:
    print('RuntimeError:', str(e)[:80])
try:
    b.backward(retain_variables=True)
except TypeError as e:
    print('TypeError:', type(e).__name__)

# hooks
v = Variable(torch.FloatTensor([1.0, 2.0, 3.0]), requires_grad=True)
seen = []
h = v.register_hook(lambda grad: seen.append(grad.clone()))
h2 = v.register_hook(lambda grad: grad * 2)
(v * v).sum().backward()
print(seen, v.grad)
h.remove()
h2.remove()
v.grad.data.zero_()
(v * v).sum().backward()
print(len(seen), v.grad)
mid = v * 3
mid.register_hook(lambda g: print('grad at mid', g))
mid.retain_grad()
mid.sum().backward()
print(mid.grad, mid.is_leaf, v.grad)

# torch.autograd.backward over several outputs
p = Variable(torch.FloatTensor([1.0, -1.0]), requires_grad=True)
o1, o2 = p * 2, (p ** 2).sum()
torch.autograd.backward([o1, o2], [torch.FloatTensor([1.0, 1.0]), torch.tensor(1.0)])
print(p.grad)

# cat / stack of Variables keep the graph
parts = [Variable(torch.FloatTensor([float(k)]), requires_grad=True) for k in range(1, 4)]
catted = torch.cat(parts)
stacked = torch.stack(parts, 0)
(catted * torch.FloatTensor([1, 10, 100])).sum().backward()
(stacked.squeeze(1) ** 2).sum().backward()
print(catted, stacked.shape, [q.grad.item() for q in parts], stacked.grad_fn)

# leaves, detach, requires_grad flags
leaf = Variable(torch.zeros(2))
print(leaf.requires_grad, leaf.is_leaf, leaf.requires_grad_().requires_grad, leaf.grad)
d = (leaf * 2).detach_()
print(d.requires_grad, d.grad_fn, Variable(d).is_leaf, Variable(leaf.data).requires_grad)
try:
    Variable(torch.ones(2), requires_grad=True).data.numpy()
    print('data.numpy() works even when requires_grad=True')
    (leaf * 2).numpy()
except RuntimeError as e:
    print('RuntimeError:', e)
try:
    Variable(torch.LongTensor([1, 2]), requires_grad=True)
except RuntimeError as e:
    print('RuntimeError:', e)
try:
    (leaf * 2).sum().backward()
    leaf.sum().backward()
except RuntimeError as e:
    print('RuntimeError:', str(e)[:70])
w = Variable(torch.ones(2), requires_grad=True)
try:
    w += 1
except RuntimeError as e:
    print('RuntimeError:', e)
w.data += 1
print(w, w.data, w.grad)
try:
    Variable(torch.randn(2, 2), requires_grad=True).mm(Variable(torch.randn(2, 2))).backward()
except RuntimeError as e:
    print('RuntimeError:', e)
print(torch.autograd.Variable is Variable, isinstance(w, Variable), type(w).__name__)
