# Older-style code: Variable, .data, FloatTensor, type(), size()[0], axis= keywords.
import numpy as np
import torch
from torch.autograd import Variable
import torch.nn as nn

x = Variable(torch.ones(2, 2), requires_grad=True)
y = x + 2
z = y * y * 3
out = z.mean()
out.backward()
print(x.grad, x.data, type(x).__name__, out.data)
a = torch.from_numpy(np.array([[1.0, 2.0], [3.0, 4.0]])).type(torch.FloatTensor)
print(a, a.type(), a.dtype)
labels = torch.from_numpy(np.array([1, 0])).type(torch.LongTensor)
print(labels, labels.type())
print(a.size()[0], a.size()[1], a.data.numpy().tolist(), a.cpu().data.numpy().shape)
print(a.sum(axis=0), a.mean(axis=1, keepdims=True), torch.max(a, axis=1).values, a.argmax(axis=0))
print(torch.cat([a, a], axis=1).shape, a.std(axis=0), torch.sum(a, dim=0, keepdim=True))
w = Variable(torch.FloatTensor([[0.5], [-0.5]]), requires_grad=True)
loss = (a.mm(w) ** 2).sum()
loss.backward()
print(w.grad.data)
w.data -= 0.01 * w.grad.data
w.grad.data.zero_()
print(w.data, w.grad)
model = nn.Linear(2, 1)
model.weight.data.fill_(0.25)
model.bias.data.zero_()
print(model(Variable(a)).data)
print(torch.FloatTensor(2).shape, torch.LongTensor([[1, 2]]).dtype, torch.DoubleTensor([1]).dtype, torch.ByteTensor([1]).dtype)
print(torch.BoolTensor([True]).dtype, torch.IntTensor([1, 2]), torch.Tensor(3).dtype, torch.Tensor([[1]]).shape)
print(isinstance(a, torch.FloatTensor), isinstance(labels, torch.LongTensor), isinstance(a, torch.LongTensor))
print(torch.max(a, 1)[1].view(-1), (torch.max(a, 1)[1] == labels).sum().item())
c = a.clone()
c.data = torch.zeros(2, 2)
print(c)
print(torch.nn.functional.sigmoid(a).round(decimals=4), torch.nn.functional.tanh(a).round(decimals=4))
print(x.data.new(2, 3).shape, a.new([1.0, 2.0]), a.new_tensor([3]).dtype)
print(torch.cuda.FloatTensor if torch.cuda.is_available() else "no cuda")
print(a.numpy().dtype, a.double().numpy().dtype, a.long().sum(0), a.t().mm(a))
print(torch.squeeze(torch.zeros(1, 2, 1)).shape, torch.unsqueeze(a, 0).shape, torch.transpose(a, 0, 1))
print(a.add(1), a.mul(2).div(4), a.pow(2).sqrt(), a.exp().log(), torch.mean(a), torch.std(a))
