# d2l 3.7 and 5.4 (PyTorch): weight decay from scratch (L2 penalty) and with the optimizer's
# weight_decay on a high-dimensional synthetic regression, then numerical stability and
# initialization experiments printing activation statistics through deep nets.
import torch
from torch import nn
from torch.utils import data

torch.manual_seed(11)
n_train, n_test, num_inputs, batch_size = 20, 100, 200, 5
true_w, true_b = torch.ones((num_inputs, 1)) * 0.01, 0.05


def synthetic_data(w, b, num_examples):
    X = torch.normal(0, 1, (num_examples, len(w)))
    y = torch.matmul(X, w) + b
    y += torch.normal(0, 0.01, y.shape)
    return X, y.reshape((-1, 1))


train_data = synthetic_data(true_w, true_b, n_train)
train_iter = data.DataLoader(data.TensorDataset(*train_data), batch_size, shuffle=True)
test_data = synthetic_data(true_w, true_b, n_test)
test_iter = data.DataLoader(data.TensorDataset(*test_data), batch_size, shuffle=False)


def init_params():
    w = torch.normal(0, 1, size=(num_inputs, 1), requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    return [w, b]


def l2_penalty(w):
    return torch.sum(w.pow(2)) / 2


def linreg(X, w, b):
    return torch.matmul(X, w) + b


def squared_loss(y_hat, y):
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


def evaluate_loss(net, data_iter, loss):
    tot, cnt = 0.0, 0
    for X, y in data_iter:
        out = net(X)
        l = loss(out, y.reshape(out.shape))
        tot += float(l.sum())
        cnt += l.numel()
    return tot / cnt


def train(lambd):
    w, b = init_params()
    net, loss = lambda X: linreg(X, w, b), squared_loss
    num_epochs, lr = 100, 0.003
    for epoch in range(num_epochs):
        for X, y in train_iter:
            l = loss(net(X), y) + lambd * l2_penalty(w)
            l.sum().backward()
            sgd([w, b], lr, batch_size)
        if (epoch + 1) % 25 == 0:
            tr = evaluate_loss(net, train_iter, loss)
            print(f"  lambd={lambd} epoch {epoch + 1}: train {tr:.4f}"
                  f" test {evaluate_loss(net, test_iter, loss):.4g}")
    print("L2 norm of w:", f"{torch.norm(w).item():.4f}")


train(lambd=0)
train(lambd=3)


def train_concise(wd):
    net = nn.Sequential(nn.Linear(num_inputs, 1))
    for param in net.parameters():
        param.data.normal_()
    loss = nn.MSELoss(reduction="none")
    num_epochs, lr = 100, 0.003
    trainer = torch.optim.SGD([
        {"params": net[0].weight, "weight_decay": wd},
        {"params": net[0].bias}], lr=lr)
    for epoch in range(num_epochs):
        for X, y in train_iter:
            trainer.zero_grad()
            l = loss(net(X), y)
            l.mean().backward()
            trainer.step()
        if (epoch + 1) % 50 == 0:
            print(f"  wd={wd} epoch {epoch + 1}: train {evaluate_loss(net, train_iter, loss):.4f}"
                  f" test {evaluate_loss(net, test_iter, loss):.4g}")
    print("L2 norm of w:", f"{net[0].weight.norm().item():.4f}")
    print(trainer.param_groups[0]["weight_decay"], trainer.param_groups[1]["weight_decay"])


train_concise(0)
train_concise(3)

# numerical stability (d2l 5.4)
x = torch.arange(-8.0, 8.0, 1.0, requires_grad=True)
y = torch.sigmoid(x)
y.backward(torch.ones_like(x))
print(x.grad)
M = torch.normal(0, 1, size=(4, 4))
print("a single matrix\n", M)
for i in range(100):
    M = torch.mm(M, torch.normal(0, 1, size=(4, 4)))
print("after multiplying 100 matrices\n", M)


def act_stats(init, act, depth=10, width=256):
    torch.manual_seed(0)
    layers = []
    for _ in range(depth):
        lin = nn.Linear(width, width)
        init(lin.weight)
        nn.init.zeros_(lin.bias)
        layers += [lin, act()]
    net = nn.Sequential(*layers)
    h = torch.randn(512, width)
    stats = []
    for i, layer in enumerate(net):
        h = layer(h)
        if i % 4 == 3:
            stats.append(f"{h.mean().item():.4f}/{h.std().item():.4f}")
    out = net(torch.randn(64, width)).pow(2).mean()
    out.backward()
    g = net[0].weight.grad
    print(" ".join(stats), f"| first-layer grad std {g.std().item():.2e}")


act_stats(lambda w: nn.init.normal_(w, std=0.01), nn.Tanh)
act_stats(lambda w: nn.init.normal_(w, std=1.0), nn.Tanh)
act_stats(nn.init.xavier_uniform_, nn.Tanh)
act_stats(nn.init.xavier_normal_, nn.Tanh)
act_stats(lambda w: nn.init.kaiming_normal_(w, nonlinearity="relu"), nn.ReLU)
act_stats(lambda w: nn.init.kaiming_uniform_(w, a=0.1), nn.LeakyReLU)
act_stats(nn.init.orthogonal_, nn.Tanh)
print(nn.init.calculate_gain("tanh"), nn.init.calculate_gain("leaky_relu", 0.2))
