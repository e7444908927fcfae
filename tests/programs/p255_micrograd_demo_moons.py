# micrograd's demo.ipynb redone with torch tensors: make_moons data with labels in {-1, 1},
# a 2-16-16-1 MLP of hand-made Neuron/Layer/MLP classes over torch scalars-as-tensors,
# the SVM "max-margin" loss (1 + -yi*scorei).relu(), L2 regularisation, the learning-rate
# decay 1.0 - 0.9*k/100 and the accuracy list comprehension.
import random

import numpy as np
import torch
from sklearn.datasets import make_moons

np.random.seed(1337)
random.seed(1337)

X, y = make_moons(n_samples=60, noise=0.1)
y = y * 2 - 1  # make y be -1 or 1
print(X.shape, y[:10], X.dtype)


class Module:

    def zero_grad(self):
        for p in self.parameters():
            p.grad = None

    def parameters(self):
        return []


class Neuron(Module):

    def __init__(self, nin, nonlin=True):
        self.w = torch.tensor([random.uniform(-1, 1) for _ in range(nin)], dtype=torch.float64, requires_grad=True)
        self.b = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
        self.nonlin = nonlin

    def __call__(self, x):
        act = (self.w * x).sum(-1) + self.b
        return act.relu() if self.nonlin else act

    def parameters(self):
        return [self.w, self.b]

    def __repr__(self):
        return f"{'ReLU' if self.nonlin else 'Linear'}Neuron({len(self.w)})"


class Layer(Module):

    def __init__(self, nin, nout, **kwargs):
        self.neurons = [Neuron(nin, **kwargs) for _ in range(nout)]

    def __call__(self, x):
        out = torch.stack([n(x) for n in self.neurons], -1)
        return out[..., 0] if len(self.neurons) == 1 else out

    def parameters(self):
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self):
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):

    def __init__(self, nin, nouts):
        sz = [nin] + nouts
        self.layers = [Layer(sz[i], sz[i + 1], nonlin=i != len(nouts) - 1) for i in range(len(nouts))]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self):
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"


model = MLP(2, [16, 16, 1])  # 2-layer neural network
print(str(model)[:80])
print("number of parameters", sum(p.numel() for p in model.parameters()))


# loss function
def loss(batch_size=None):

    # inline DataLoader :)
    if batch_size is None:
        Xb, yb = X, y
    else:
        ri = np.random.permutation(X.shape[0])[:batch_size]
        Xb, yb = X[ri], y[ri]
    inputs = torch.from_numpy(Xb)

    # forward the model to get scores
    scores = model(inputs)

    # svm "max-margin" loss
    yb_t = torch.from_numpy(yb).double()
    losses = (1 + -yb_t * scores).relu()
    data_loss = losses.sum() * (1.0 / len(losses))
    # L2 regularization
    alpha = 1e-4
    reg_loss = alpha * sum((p * p).sum() for p in model.parameters())
    total_loss = data_loss + reg_loss

    # also get accuracy
    accuracy = [(yi > 0) == (scorei.item() > 0) for yi, scorei in zip(yb, scores)]
    return total_loss, sum(accuracy) / len(accuracy)


total_loss, acc = loss()
print(total_loss.dtype, round(total_loss.item(), 8), acc)

# optimization
for k in range(40):

    # forward
    total_loss, acc = loss()

    # backward
    model.zero_grad()
    total_loss.backward()

    # update (sgd)
    learning_rate = 1.0 - 0.9 * k / 100
    with torch.no_grad():
        for p in model.parameters():
            p -= learning_rate * p.grad

    if k % 5 == 0:
        print(f"step {k} loss {total_loss.item():.8f}, accuracy {acc*100}%")

# the decision boundary on a coarse grid, as the notebook plots it
h = 0.5
x_min, x_max = X[:, 0].min() - 1, X[:, 0].max() + 1
y_min, y_max = X[:, 1].min() - 1, X[:, 1].max() + 1
xx, yy = np.meshgrid(np.arange(x_min, x_max, h), np.arange(y_min, y_max, h))
Xmesh = np.c_[xx.ravel(), yy.ravel()]
with torch.no_grad():
    scores = model(torch.from_numpy(Xmesh))
Z = np.array([s.item() > 0 for s in scores])
Z = Z.reshape(xx.shape)
print(Z.shape)
print(Z.astype(int))
