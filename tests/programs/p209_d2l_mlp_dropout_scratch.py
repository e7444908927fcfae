# d2l 5.1-5.2, 5.6 (PyTorch): activation functions and their gradients, an MLP from scratch
# with a hand-written relu, dropout from scratch ((torch.rand(X.shape) > dropout).float()),
# and the concise nn.Dropout version, on a synthetic 3-class problem.
import torch
from torch import nn
from torch.utils import data

torch.manual_seed(3)
x = torch.arange(-8.0, 8.0, 2.0, requires_grad=True)
y = torch.relu(x)
print(y)
y.backward(torch.ones_like(x), retain_graph=True)
print(x.grad)
y = torch.sigmoid(x)
x.grad.data.zero_()
y.backward(torch.ones_like(x), retain_graph=True)
print(y, x.grad, sep="\n")
y = torch.tanh(x)
x.grad.data.zero_()
y.backward(torch.ones_like(x), retain_graph=True)
print(y, x.grad, sep="\n")

n, d, k = 600, 20, 3
Xall = torch.randn(n, d)
Wtrue = torch.randn(d, k)
yall = (Xall @ Wtrue + 0.5 * torch.randn(n, k)).argmax(dim=1)
print(torch.bincount(yall))
train_iter = data.DataLoader(data.TensorDataset(Xall[:500], yall[:500]), 50, shuffle=True)
test_X, test_y = Xall[500:], yall[500:]

num_inputs, num_outputs, num_hiddens = d, k, 32
W1 = nn.Parameter(torch.randn(num_inputs, num_hiddens, requires_grad=True) * 0.01)
b1 = nn.Parameter(torch.zeros(num_hiddens, requires_grad=True))
W2 = nn.Parameter(torch.randn(num_hiddens, num_outputs, requires_grad=True) * 0.01)
b2 = nn.Parameter(torch.zeros(num_outputs, requires_grad=True))
params = [W1, b1, W2, b2]


def relu(X):
    a = torch.zeros_like(X)
    return torch.max(X, a)


def net(X):
    X = X.reshape((-1, num_inputs))
    H = relu(X @ W1 + b1)
    return H @ W2 + b2


loss = nn.CrossEntropyLoss(reduction="none")
updater = torch.optim.SGD(params, lr=0.5)


def run_epochs(net, updater, epochs, tag):
    for epoch in range(epochs):
        if isinstance(net, nn.Module):
            net.train()
        tot, cnt = 0.0, 0
        for X, y in train_iter:
            l = loss(net(X), y)
            updater.zero_grad()
            l.mean().backward()
            updater.step()
            tot += float(l.sum())
            cnt += y.numel()
        if isinstance(net, nn.Module):
            net.eval()
        with torch.no_grad():
            acc = (net(test_X).argmax(1) == test_y).float().mean().item()
        print(f"{tag} epoch {epoch + 1}: loss {tot / cnt:.4f}, test acc {acc:.3f}")


run_epochs(net, updater, 5, "mlp")


# dropout from scratch
def dropout_layer(X, dropout):
    assert 0 <= dropout <= 1
    if dropout == 1:
        return torch.zeros_like(X)
    if dropout == 0:
        return X
    mask = (torch.rand(X.shape) > dropout).float()
    return mask * X / (1.0 - dropout)


X = torch.arange(16, dtype=torch.float32).reshape((2, 8))
print(X)
print(dropout_layer(X, 0.0))
print(dropout_layer(X, 0.5))
print(dropout_layer(X, 1.0))

dropout1, dropout2 = 0.2, 0.5


class Net(nn.Module):
    def __init__(self, num_inputs, num_outputs, num_hiddens1, num_hiddens2, is_training=True):
        super(Net, self).__init__()
        self.num_inputs = num_inputs
        self.training = is_training
        self.lin1 = nn.Linear(num_inputs, num_hiddens1)
        self.lin2 = nn.Linear(num_hiddens1, num_hiddens2)
        self.lin3 = nn.Linear(num_hiddens2, num_outputs)
        self.relu = nn.ReLU()

    def forward(self, X):
        H1 = self.relu(self.lin1(X.reshape((-1, self.num_inputs))))
        if self.training:
            H1 = dropout_layer(H1, dropout1)
        H2 = self.relu(self.lin2(H1))
        if self.training:
            H2 = dropout_layer(H2, dropout2)
        out = self.lin3(H2)
        return out


net = Net(num_inputs, num_outputs, 64, 32)
trainer = torch.optim.SGD(net.parameters(), lr=0.3)
run_epochs(net, trainer, 4, "dropout-scratch")

net = nn.Sequential(nn.Flatten(), nn.Linear(d, 64), nn.ReLU(), nn.Dropout(dropout1),
                    nn.Linear(64, 32), nn.ReLU(), nn.Dropout(dropout2), nn.Linear(32, k))


def init_weights(m):
    if type(m) == nn.Linear:
        nn.init.normal_(m.weight, std=0.01)


net.apply(init_weights)
trainer = torch.optim.SGD(net.parameters(), lr=0.3)
run_epochs(net, trainer, 4, "dropout-concise")
net.train()
print(net[3](torch.ones(2, 10)))
net.eval()
print(net[3](torch.ones(2, 10)))
print(net)
