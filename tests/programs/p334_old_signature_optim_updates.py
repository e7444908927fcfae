# Hand-written optimizers from the 0.x days with the old overloads that torch still accepts
# (with a deprecation warning): p.data.add_(-lr, p.grad.data), torch.add(a, s, b),
# exp_avg.mul_(beta1).add_(1 - beta1, grad), addcmul_(value, t1, t2), addcdiv_(value, t1, t2).
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.autograd import Variable

torch.manual_seed(7)
X = torch.randn(64, 5)
true_w = torch.FloatTensor([[1.5], [-2.0], [0.5], [0.0], [3.0]])
Y = X.mm(true_w) + 0.05 * torch.randn(64, 1)


def make_model():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(5, 8), nn.Tanh(), nn.Linear(8, 1))


# 1. plain SGD, the deprecated add_(Number, Tensor) overload
model = make_model()
lr = 0.1
for step in range(30):
    loss = F.mse_loss(model(Variable(X)), Variable(Y))
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data.add_(-lr, p.grad.data)
    if step % 10 == 0:
        print('sgd', step, round(loss.data.item(), 4))

# 2. SGD with momentum buffers kept in a dict, the pre-1.0 way
model = make_model()
state = {}
for step in range(30):
    loss = F.mse_loss(model(X), Y)
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        d_p = p.grad.data
        if p not in state:
            buf = state[p] = torch.zeros(p.data.size())
            buf.mul_(0.9).add_(d_p)
        else:
            buf = state[p]
            buf.mul_(0.9).add_(1 - 0.0, d_p)
        p.data.add_(-0.05, buf)
print('momentum', round(loss.item(), 4), len(state))

# 3. Adam from the 0.3 source, written out by hand, against optim.Adam
model = make_model()
ref = make_model()
ref_opt = torch.optim.Adam(ref.parameters(), lr=0.01)
beta1, beta2, eps, lr = 0.9, 0.999, 1e-8, 0.01
adam_state = {}
for step in range(1, 21):
    for net in (model, ref):
        net.zero_grad()
        F.mse_loss(net(X), Y).backward()
    for p in model.parameters():
        grad = p.grad.data
        if p not in adam_state:
            adam_state[p] = {'exp_avg': grad.new().resize_as_(grad).zero_(),
                             'exp_avg_sq': grad.new().resize_as_(grad).zero_()}
        s = adam_state[p]
        s['exp_avg'].mul_(beta1).add_(1 - beta1, grad)
        s['exp_avg_sq'].mul_(beta2).addcmul_(1 - beta2, grad, grad)
        denom = s['exp_avg_sq'].sqrt().add_(eps)
        bias_correction1 = 1 - beta1 ** step
        bias_correction2 = 1 - beta2 ** step
        step_size = lr * math.sqrt(bias_correction2) / bias_correction1
        p.data.addcdiv_(-step_size, s['exp_avg'], denom)
    ref_opt.step()
diffs = [(p - q).abs().max().item() for p, q in zip(model.parameters(), ref.parameters())]
print('hand adam vs optim.Adam max diff < 1e-4:', max(diffs) < 1e-4)
print('adam loss', round(F.mse_loss(model(X), Y).item(), 4))

# the functional forms of the old overloads
a = torch.FloatTensor([1, 2, 3])
b = torch.FloatTensor([10, 20, 30])
print(torch.add(a, 2, b), a.add(0.5, b), a.sub(2, b) if hasattr(a, 'sub') else None)
print(torch.addcmul(a, 0.5, b, b), torch.addcdiv(a, 2, b, b))
print(a.clone().addcmul_(-1, a, a), a.clone().addcdiv_(3, a, b))
c = a.clone()
c.add_(b, alpha=-0.5)
print(c, a.mul(2).add_(-1, torch.ones(3)))
