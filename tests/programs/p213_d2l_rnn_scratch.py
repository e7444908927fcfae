# d2l 9.5 (PyTorch): an RNN language model from scratch on a tiny character corpus: vocab,
# random-offset sequential minibatches, F.one_hot inputs, tanh RNN cell, gradient clipping by
# global norm, perplexity, greedy prediction; then the concise nn.RNN version.
import math

import torch
from torch import nn
from torch.nn import functional as F

torch.manual_seed(9)
text = ("the time traveller for so it will be convenient to speak of him was expounding a "
        "recondite matter to us his grey eyes shone and twinkled and his usually pale face "
        "was flushed and animated the fire burned brightly and the soft radiance of the "
        "incandescent lights in the lilies of silver caught the bubbles that flashed and "
        "passed in our glasses ") * 3
idx_to_token = sorted(set(text))
token_to_idx = {t: i for i, t in enumerate(idx_to_token)}
corpus = [token_to_idx[c] for c in text]
vocab_size = len(idx_to_token)
print(vocab_size, len(corpus), idx_to_token[:10])
print(F.one_hot(torch.tensor([0, 2]), vocab_size))


def seq_data_iter_sequential(corpus, batch_size, num_steps):
    offset = int(torch.randint(0, num_steps, (1,)))
    num_tokens = ((len(corpus) - offset - 1) // batch_size) * batch_size
    Xs = torch.tensor(corpus[offset: offset + num_tokens])
    Ys = torch.tensor(corpus[offset + 1: offset + 1 + num_tokens])
    Xs, Ys = Xs.reshape(batch_size, -1), Ys.reshape(batch_size, -1)
    num_batches = Xs.shape[1] // num_steps
    for i in range(0, num_steps * num_batches, num_steps):
        X = Xs[:, i: i + num_steps]
        Y = Ys[:, i: i + num_steps]
        yield X, Y


for X, Y in seq_data_iter_sequential(list(range(35)), batch_size=2, num_steps=5):
    print("X: ", X, "\nY:", Y)
    break


def get_params(vocab_size, num_hiddens):
    num_inputs = num_outputs = vocab_size

    def normal(shape):
        return torch.randn(size=shape) * 0.01

    W_xh = normal((num_inputs, num_hiddens))
    W_hh = normal((num_hiddens, num_hiddens))
    b_h = torch.zeros(num_hiddens)
    W_hq = normal((num_hiddens, num_outputs))
    b_q = torch.zeros(num_outputs)
    params = [W_xh, W_hh, b_h, W_hq, b_q]
    for param in params:
        param.requires_grad_(True)
    return params


def init_rnn_state(batch_size, num_hiddens):
    return (torch.zeros((batch_size, num_hiddens)),)


def rnn(inputs, state, params):
    W_xh, W_hh, b_h, W_hq, b_q = params
    H, = state
    outputs = []
    for X in inputs:
        H = torch.tanh(torch.mm(X, W_xh) + torch.mm(H, W_hh) + b_h)
        Y = torch.mm(H, W_hq) + b_q
        outputs.append(Y)
    return torch.cat(outputs, dim=0), (H,)


class RNNModelScratch:
    def __init__(self, vocab_size, num_hiddens, get_params, init_state, forward_fn):
        self.vocab_size, self.num_hiddens = vocab_size, num_hiddens
        self.params = get_params(vocab_size, num_hiddens)
        self.init_state, self.forward_fn = init_state, forward_fn

    def __call__(self, X, state):
        X = F.one_hot(X.T, self.vocab_size).type(torch.float32)
        return self.forward_fn(X, state, self.params)

    def begin_state(self, batch_size):
        return self.init_state(batch_size, self.num_hiddens)


num_hiddens = 64
net = RNNModelScratch(vocab_size, num_hiddens, get_params, init_rnn_state, rnn)
X = torch.arange(10).reshape((2, 5))
state = net.begin_state(X.shape[0])
Y, new_state = net(X, state)
print(Y.shape, len(new_state), new_state[0].shape)


def predict(prefix, num_preds, net):
    state = net.begin_state(batch_size=1)
    outputs = [token_to_idx[prefix[0]]]

    def get_input():
        return torch.tensor([outputs[-1]]).reshape((1, 1))

    for y in prefix[1:]:
        _, state = net(get_input(), state)
        outputs.append(token_to_idx[y])
    for _ in range(num_preds):
        y, state = net(get_input(), state)
        outputs.append(int(y.argmax(dim=1).reshape(1)))
    return "".join([idx_to_token[i] for i in outputs])


print(repr(predict("time ", 10, net)))


def grad_clipping(net, theta):
    if isinstance(net, nn.Module):
        params = [p for p in net.parameters() if p.requires_grad]
    else:
        params = net.params
    norm = torch.sqrt(sum(torch.sum((p.grad ** 2)) for p in params))
    if norm > theta:
        for param in params:
            param.grad[:] *= theta / norm
    return norm


def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


def train_epoch(net, updater, batch_size, num_steps):
    state = None
    tot, n, norms = 0.0, 0, []
    loss = nn.CrossEntropyLoss()
    for X, Y in seq_data_iter_sequential(corpus, batch_size, num_steps):
        if state is None:
            state = net.begin_state(batch_size=X.shape[0])
        else:
            for s in state:
                s.detach_()
        y = Y.T.reshape(-1)
        y_hat, state = net(X, state)
        l = loss(y_hat, y.long()).mean()
        if isinstance(updater, torch.optim.Optimizer):
            updater.zero_grad()
            l.backward()
            norms.append(float(grad_clipping(net, 1)))
            updater.step()
        else:
            l.backward()
            norms.append(float(grad_clipping(net, 1)))
            updater(batch_size=1)
        tot += l.item() * y.numel()
        n += y.numel()
    return math.exp(tot / n), max(norms)


lr, batch_size, num_steps = 1.0, 8, 16
for epoch in range(9):
    ppl, gmax = train_epoch(net, lambda batch_size: sgd(net.params, lr, batch_size),
                            batch_size, num_steps)
    if (epoch + 1) % 3 == 0:
        print(f"epoch {epoch + 1}: perplexity {ppl:.3f}, max grad norm {gmax:.3f}")
print(repr(predict("time ", 20, net)))


class RNNModel(nn.Module):
    def __init__(self, rnn_layer, vocab_size):
        super().__init__()
        self.rnn = rnn_layer
        self.vocab_size = vocab_size
        self.num_hiddens = self.rnn.hidden_size
        self.linear = nn.Linear(self.num_hiddens, self.vocab_size)

    def forward(self, inputs, state):
        X = F.one_hot(inputs.T.long(), self.vocab_size)
        X = X.to(torch.float32)
        Y, state = self.rnn(X, state)
        output = self.linear(Y.reshape((-1, Y.shape[-1])))
        return output, state

    def begin_state(self, batch_size=1):
        return (torch.zeros((self.rnn.num_layers, batch_size, self.num_hiddens)),)


rnn_layer = nn.RNN(vocab_size, num_hiddens)
state = torch.zeros((1, 32, num_hiddens))
X = torch.rand(size=(num_steps, 32, vocab_size))
Y, state_new = rnn_layer(X, state)
print(Y.shape, state_new.shape)
net = RNNModel(rnn_layer, vocab_size)


class Wrap:
    def __init__(self, m):
        self.m = m
        self.params = list(m.parameters())

    def __call__(self, X, state):
        y, s = self.m(X, state[0])
        return y, (s,)

    def begin_state(self, batch_size):
        return (torch.zeros((1, batch_size, num_hiddens)),)


wnet = Wrap(net)
print(repr(predict("time ", 10, wnet)))
optimizer = torch.optim.SGD(net.parameters(), lr=1.0)
for epoch in range(4):
    ppl, gmax = train_epoch(wnet, optimizer, batch_size, num_steps)
    if (epoch + 1) % 2 == 0:
        print(f"concise epoch {epoch + 1}: perplexity {ppl:.3f}, max grad norm {gmax:.3f}")
print(repr(predict("time ", 20, wnet)))
