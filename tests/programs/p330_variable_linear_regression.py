# PyTorch 0.3-era linear regression: Variable wrappers, manual SGD on .data, loss.data[0]
# (now an IndexError on a 0-dim tensor), grad.data.zero_(), and the nn.Module rewrite of it.
import numpy as np
import torch
from torch.autograd import Variable

torch.manual_seed(1)
np.random.seed(1)
dtype = torch.FloatTensor

x_np = np.random.rand(50, 1).astype(np.float32) * 4
y_np = 3 * x_np + 2 + 0.1 * np.random.randn(50, 1).astype(np.float32)
x = Variable(torch.from_numpy(x_np).type(dtype), requires_grad=False)
y = Variable(torch.from_numpy(y_np).type(dtype), requires_grad=False)
print(x.type(), y.size(), x.data.shape)

w = Variable(torch.randn(1, 1).type(dtype), requires_grad=True)
b = Variable(torch.zeros(1).type(dtype), requires_grad=True)
learning_rate = 0.05
for t in range(200):
    y_pred = x.mm(w) + b
    loss = (y_pred - y).pow(2).mean()
    if t == 0:
        try:
            print(loss.data[0])
        except IndexError as e:
            print("IndexError:", e)
    if t % 50 == 0:
        print(t, round(loss.item(), 4), round(float(loss.data), 4))
    loss.backward()
    w.data -= learning_rate * w.grad.data
    b.data -= learning_rate * b.grad.data
    w.grad.data.zero_()
    b.grad.data.zero_()
print("w", round(w.data[0][0].item(), 3), "b", round(b.data[0].item(), 3))
print(w.grad, b.grad.data, w.requires_grad, x.requires_grad, w.is_leaf)

# the same with nn.Linear and optim.SGD, the 0.4 way
model = torch.nn.Linear(1, 1)
criterion = torch.nn.MSELoss(size_average=True)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
for epoch in range(200):
    inputs = Variable(torch.from_numpy(x_np))
    targets = Variable(torch.from_numpy(y_np))
    outputs = model(inputs)
    loss = criterion(outputs, targets)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if (epoch + 1) % 100 == 0:
        print('Epoch [{}/{}], Loss: {:.4f}'.format(epoch + 1, 200, loss.item()))
predicted = model(Variable(torch.from_numpy(x_np))).data.numpy()
print(predicted.shape, predicted.dtype, np.round(predicted[:3, 0], 2))
print([round(p.item(), 2) for p in model.parameters()])
print(criterion, criterion.reduction)
