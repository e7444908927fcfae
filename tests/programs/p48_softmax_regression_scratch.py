# Softmax regression from scratch (d2l style): manual parameters, sgd, accuracy.
import numpy as np
import torch

rng = np.random.default_rng(13)
num_inputs, num_outputs = 6, 3
features = torch.tensor(rng.standard_normal((60, num_inputs)), dtype=torch.float32)
labels = torch.tensor(rng.integers(0, 3, 60))
W = torch.tensor(rng.normal(0, 0.01, (num_inputs, num_outputs)), dtype=torch.float32, requires_grad=True)
b = torch.zeros(num_outputs, requires_grad=True)


def softmax(X):
    X_exp = torch.exp(X)
    partition = X_exp.sum(1, keepdim=True)
    return X_exp / partition


def net(X):
    return softmax(torch.matmul(X.reshape((-1, W.shape[0])), W) + b)


def cross_entropy(y_hat, y):
    return -torch.log(y_hat[range(len(y_hat)), y])


def accuracy(y_hat, y):
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=1)
    cmp = y_hat.type(y.dtype) == y
    return float(cmp.type(y.dtype).sum())


def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


def data_iter(batch_size, features, labels):
    num_examples = len(features)
    indices = list(range(num_examples))
    for i in range(0, num_examples, batch_size):
        batch_indices = torch.tensor(indices[i: min(i + batch_size, num_examples)])
        yield features[batch_indices], labels[batch_indices]


X = torch.normal(0, 1, (2, 5))
print(softmax(X).sum(1).round(decimals=4))
y = torch.tensor([0, 2])
y_hat = torch.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
print(y_hat[[0, 1], y], cross_entropy(y_hat, y), accuracy(y_hat, y) / len(y))
for epoch in range(3):
    for Xb, yb in data_iter(20, features, labels):
        l = cross_entropy(net(Xb), yb)
        l.sum().backward()
        sgd([W, b], 0.5, Xb.shape[0])
    with torch.no_grad():
        train_l = cross_entropy(net(features), labels)
        print(f'epoch {epoch + 1}, loss {float(train_l.mean()):.4f}, acc {accuracy(net(features), labels) / len(labels):.3f}')
print(W.shape, b)
