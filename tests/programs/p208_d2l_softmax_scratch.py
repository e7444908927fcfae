# d2l 4.1-4.5 (PyTorch): softmax regression from scratch (softmax, fancy-index cross entropy,
# Accumulator, accuracy, train_epoch_ch3) on synthetic 1x8x8 "images" of 4 classes, then the
# concise nn.Flatten/nn.Linear/CrossEntropyLoss version.
import torch
from torch import nn
from torch.utils import data

torch.manual_seed(7)
num_classes, n_train, n_test = 4, 400, 100
centers = torch.randn(num_classes, 1, 8, 8)


def make(n):
    y = torch.randint(0, num_classes, (n,))
    X = centers[y] + 2.5 * torch.randn(n, 1, 8, 8)
    return X, y


train = data.TensorDataset(*make(n_train))
test = data.TensorDataset(*make(n_test))
batch_size = 32
train_iter = data.DataLoader(train, batch_size, shuffle=True)
test_iter = data.DataLoader(test, batch_size, shuffle=False)
X, y = next(iter(train_iter))
print(X.shape, X.dtype, y.shape, y.dtype)
print(y)

num_inputs, num_outputs = 64, num_classes
W = torch.normal(0, 0.01, size=(num_inputs, num_outputs), requires_grad=True)
b = torch.zeros(num_outputs, requires_grad=True)

X = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
print(X.sum(0, keepdim=True), X.sum(1, keepdim=True))


def softmax(X):
    X_exp = torch.exp(X)
    partition = X_exp.sum(1, keepdim=True)
    return X_exp / partition


X = torch.normal(0, 1, (2, 5))
X_prob = softmax(X)
print(X_prob, X_prob.sum(1))


def net(X):
    return softmax(torch.matmul(X.reshape((-1, W.shape[0])), W) + b)


y = torch.tensor([0, 2])
y_hat = torch.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
print(y_hat[[0, 1], y])


def cross_entropy(y_hat, y):
    return -torch.log(y_hat[range(len(y_hat)), y])


print(cross_entropy(y_hat, y))


def accuracy(y_hat, y):
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=1)
    cmp = y_hat.type(y.dtype) == y
    return float(cmp.type(y.dtype).sum())


print(accuracy(y_hat, y) / len(y))


class Accumulator:
    def __init__(self, n):
        self.data = [0.0] * n

    def add(self, *args):
        self.data = [a + float(b) for a, b in zip(self.data, args)]

    def reset(self):
        self.data = [0.0] * len(self.data)

    def __getitem__(self, idx):
        return self.data[idx]


def evaluate_accuracy(net, data_iter):
    if isinstance(net, torch.nn.Module):
        net.eval()
    metric = Accumulator(2)
    with torch.no_grad():
        for X, y in data_iter:
            metric.add(accuracy(net(X), y), y.numel())
    return metric[0] / metric[1]


print(evaluate_accuracy(net, test_iter))


def train_epoch_ch3(net, train_iter, loss, updater):
    if isinstance(net, torch.nn.Module):
        net.train()
    metric = Accumulator(3)
    for X, y in train_iter:
        y_hat = net(X)
        l = loss(y_hat, y)
        if isinstance(updater, torch.optim.Optimizer):
            updater.zero_grad()
            l.mean().backward()
            updater.step()
        else:
            l.sum().backward()
            updater(X.shape[0])
        metric.add(float(l.sum()), accuracy(y_hat, y), y.numel())
    return metric[0] / metric[2], metric[1] / metric[2]


def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


lr = 0.1


def updater(batch_size):
    return sgd([W, b], lr, batch_size)


for epoch in range(5):
    train_loss, train_acc = train_epoch_ch3(net, train_iter, cross_entropy, updater)
    test_acc = evaluate_accuracy(net, test_iter)
    print(f"epoch {epoch + 1}: loss {train_loss:.4f}, train acc {train_acc:.3f}, "
          f"test acc {test_acc:.3f}")
X, y = next(iter(test_iter))
print("true:", y[:8].tolist())
print("pred:", net(X).argmax(axis=1)[:8].tolist())
print(W.grad.abs().sum(), b.grad)

# concise implementation
net = nn.Sequential(nn.Flatten(), nn.Linear(64, num_classes))


def init_weights(m):
    if type(m) == nn.Linear:
        nn.init.normal_(m.weight, std=0.01)


net.apply(init_weights)
loss = nn.CrossEntropyLoss(reduction="none")
trainer = torch.optim.SGD(net.parameters(), lr=0.1)
for epoch in range(3):
    train_loss, train_acc = train_epoch_ch3(net, train_iter, loss, trainer)
    print(f"concise epoch {epoch + 1}: loss {train_loss:.4f}, acc {train_acc:.3f}, "
          f"test {evaluate_accuracy(net, test_iter):.3f}")
print(net)
print(net(X[:2]).softmax(dim=1).detach().numpy().round(3).tolist())
