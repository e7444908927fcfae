# Custom layers written like torch/nn/modules/linear.py of 0.3: nn.Parameter(torch.Tensor(o, i))
# filled by reset_parameters() with stdv = 1. / math.sqrt(self.weight.size(1)), __repr__
# overrides, register_parameter('bias', None), register_buffer of running statistics updated
# through .data, and a hand-made batch norm compared with nn.BatchNorm1d.
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.autograd import Variable
from torch.nn import Parameter

torch.manual_seed(0)


class MyLinear(nn.Module):
    def __init__(self, in_features, out_features, bias=True):
        super(MyLinear, self).__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.weight = Parameter(torch.Tensor(out_features, in_features))
        if bias:
            self.bias = Parameter(torch.Tensor(out_features))
        else:
            self.register_parameter('bias', None)
        self.reset_parameters()

    def reset_parameters(self):
        stdv = 1. / math.sqrt(self.weight.size(1))
        self.weight.data.uniform_(-stdv, stdv)
        if self.bias is not None:
            self.bias.data.uniform_(-stdv, stdv)

    def forward(self, input):
        return F.linear(input, self.weight, self.bias)

    def __repr__(self):
        return self.__class__.__name__ + ' (' \
            + str(self.in_features) + ' -> ' \
            + str(self.out_features) + ')'


class MyBatchNorm(nn.Module):
    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        super(MyBatchNorm, self).__init__()
        self.eps, self.momentum = eps, momentum
        self.weight = Parameter(torch.ones(num_features))
        self.bias = Parameter(torch.zeros(num_features))
        self.register_buffer('running_mean', torch.zeros(num_features))
        self.register_buffer('running_var', torch.ones(num_features))

    def forward(self, x):
        if self.training:
            mean = x.mean(0)
            var = x.var(0, unbiased=False)
            n = x.size(0)
            self.running_mean.data.mul_(1 - self.momentum).add_(self.momentum * mean.data)
            self.running_var.data.mul_(1 - self.momentum).add_(
                self.momentum * var.data * n / (n - 1))
        else:
            mean, var = Variable(self.running_mean), Variable(self.running_var)
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias


lin = MyLinear(4, 3)
nobias = MyLinear(4, 2, bias=False)
print(lin, nobias, nobias.bias, [n for n, _ in nobias.named_parameters()])
print(lin.weight.size(), round(lin.weight.data.abs().max().item(), 4) <= 0.5)
ref = nn.Linear(4, 3)
ref.weight.data.copy_(lin.weight.data)
ref.bias.data.copy_(lin.bias.data)
x = Variable(torch.randn(5, 4))
print(torch.allclose(lin(x), ref(x)), lin(x).size())

mine = MyBatchNorm(3)
theirs = nn.BatchNorm1d(3)
print(sorted(mine.state_dict().keys()), sorted(dict(mine.named_buffers()).keys()))
for _ in range(4):
    batch = torch.randn(6, 3) * 2 + 1
    a, b = mine(batch), theirs(batch)
print(torch.allclose(a, b, atol=1e-5), torch.allclose(mine.running_mean, theirs.running_mean),
      torch.allclose(mine.running_var, theirs.running_var))
mine.eval()
theirs.eval()
batch = torch.randn(3, 3)
print(torch.allclose(mine(batch), theirs(batch), atol=1e-5), mine.running_mean.requires_grad)


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.fc1 = MyLinear(4, 8)
        self.bn = MyBatchNorm(8)
        self.fc2 = MyLinear(8, 2)
        self.register_buffer('steps', torch.LongTensor([0]))

    def forward(self, x):
        if self.training:
            self.steps += 1
        return self.fc2(F.relu(self.bn(self.fc1(x))))


net = Net()
print(net)
optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
X, Y = torch.randn(20, 4), torch.LongTensor(20).random_(0, 2)
for epoch in range(10):
    optimizer.zero_grad()
    loss = F.cross_entropy(net(Variable(X)), Variable(Y))
    loss.backward()
    optimizer.step()
print(round(loss.item(), 4), net.steps, len(list(net.buffers())), len(list(net.parameters())))
sd = net.state_dict()
print(list(sd.keys()))
net2 = Net()
net2.load_state_dict(sd)
net.eval()
net2.eval()
print(torch.equal(net(X), net2(X)), net2.steps.item())
net.apply(lambda m: m.reset_parameters() if hasattr(m, 'reset_parameters') else None)
print(torch.equal(net(X), net2(X)))
