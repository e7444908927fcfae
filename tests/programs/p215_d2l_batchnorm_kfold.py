# d2l 8.5 and 5.7 (PyTorch): batch normalization from scratch (moving statistics, 2-D and 4-D
# inputs) checked against nn.BatchNorm1d/2d, and the house-prices recipe on synthetic data:
# standardised features, log-rmse, Adam with weight decay and K-fold cross-validation.
import torch
from torch import nn
from torch.utils import data

torch.manual_seed(4)


def batch_norm(X, gamma, beta, moving_mean, moving_var, eps, momentum):
    if not torch.is_grad_enabled():
        X_hat = (X - moving_mean) / torch.sqrt(moving_var + eps)
    else:
        assert len(X.shape) in (2, 4)
        if len(X.shape) == 2:
            mean = X.mean(dim=0)
            var = ((X - mean) ** 2).mean(dim=0)
        else:
            mean = X.mean(dim=(0, 2, 3), keepdim=True)
            var = ((X - mean) ** 2).mean(dim=(0, 2, 3), keepdim=True)
        X_hat = (X - mean) / torch.sqrt(var + eps)
        moving_mean = (1.0 - momentum) * moving_mean + momentum * mean
        moving_var = (1.0 - momentum) * moving_var + momentum * var
    Y = gamma * X_hat + beta
    return Y, moving_mean.data, moving_var.data


class BatchNorm(nn.Module):
    def __init__(self, num_features, num_dims):
        super().__init__()
        shape = (1, num_features) if num_dims == 2 else (1, num_features, 1, 1)
        self.gamma = nn.Parameter(torch.ones(shape))
        self.beta = nn.Parameter(torch.zeros(shape))
        self.moving_mean = torch.zeros(shape)
        self.moving_var = torch.ones(shape)

    def forward(self, X):
        Y, self.moving_mean, self.moving_var = batch_norm(
            X, self.gamma, self.beta, self.moving_mean, self.moving_var, eps=1e-5, momentum=0.1)
        return Y


X = torch.randn(16, 5) * 3 + 1
bn = BatchNorm(5, 2)
ref = nn.BatchNorm1d(5)
for _ in range(3):
    Y, Yr = bn(X), ref(X)
print((Y - Yr).abs().max() < 1e-5)
print(bn.moving_mean)
print(ref.running_mean)
print(bn.moving_var, ref.running_var, sep="\n")
print(Y.mean(0).abs().max() < 1e-6, Y.std(0, unbiased=False))
X4 = torch.rand(4, 3, 5, 5)
bn4, ref4 = BatchNorm(3, 4), nn.BatchNorm2d(3)
Y4, Yr4 = bn4(X4), ref4(X4)
print((Y4 - Yr4).abs().max() < 1e-5, bn4.moving_mean.reshape(-1), ref4.running_mean)
with torch.no_grad():
    print(bn4(X4)[0, 0, 0], ref4.eval()(X4)[0, 0, 0])

# house prices (synthetic)
n, d = 300, 8
raw = torch.rand(n, d) * torch.tensor([10.0, 5.0, 100.0, 1.0, 3.0, 20.0, 50.0, 2.0])
coef = torch.randn(d)
prices = torch.exp(((raw - raw.mean(0)) / raw.std(0)) @ coef * 0.3 + 12
                   + 0.1 * torch.randn(n)).reshape(-1, 1)
print(f"{prices.min().item():.1f} {prices.max().item():.1f}")
features = (raw - raw.mean(0)) / raw.std(0)
features[torch.isnan(features)] = 0
print(features[:3])
train_features, train_labels = features[:240], prices[:240]
loss = nn.MSELoss()


def get_net():
    return nn.Sequential(nn.Linear(d, 1))


def log_rmse(net, features, labels):
    clipped_preds = torch.clamp(net(features), 1, float("inf"))
    rmse = torch.sqrt(loss(torch.log(clipped_preds), torch.log(labels)))
    return rmse.item()


def train(net, train_features, train_labels, test_features, test_labels,
          num_epochs, learning_rate, weight_decay, batch_size):
    train_ls, test_ls = [], []
    train_iter = data.DataLoader(data.TensorDataset(train_features, train_labels), batch_size,
                                 shuffle=True)
    optimizer = torch.optim.Adam(net.parameters(), lr=learning_rate, weight_decay=weight_decay)
    for epoch in range(num_epochs):
        for X, y in train_iter:
            optimizer.zero_grad()
            l = loss(net(X), y)
            l.backward()
            optimizer.step()
        train_ls.append(log_rmse(net, train_features, train_labels))
        if test_labels is not None:
            test_ls.append(log_rmse(net, test_features, test_labels))
    return train_ls, test_ls


def get_k_fold_data(k, i, X, y):
    assert k > 1
    fold_size = X.shape[0] // k
    X_train, y_train = None, None
    for j in range(k):
        idx = slice(j * fold_size, (j + 1) * fold_size)
        X_part, y_part = X[idx, :], y[idx]
        if j == i:
            X_valid, y_valid = X_part, y_part
        elif X_train is None:
            X_train, y_train = X_part, y_part
        else:
            X_train = torch.cat([X_train, X_part], 0)
            y_train = torch.cat([y_train, y_part], 0)
    return X_train, y_train, X_valid, y_valid


def k_fold(k, X_train, y_train, num_epochs, learning_rate, weight_decay, batch_size):
    train_l_sum, valid_l_sum = 0, 0
    for i in range(k):
        fold = get_k_fold_data(k, i, X_train, y_train)
        net = get_net()
        train_ls, valid_ls = train(net, *fold, num_epochs, learning_rate, weight_decay,
                                   batch_size)
        train_l_sum += train_ls[-1]
        valid_l_sum += valid_ls[-1]
        print(f"fold {i + 1}, train log rmse {float(train_ls[-1]):.4f}, "
              f"valid log rmse {float(valid_ls[-1]):.4f}")
    return train_l_sum / k, valid_l_sum / k


k, num_epochs, lr, weight_decay, batch_size = 4, 30, 1000, 0, 32
train_l, valid_l = k_fold(k, train_features, train_labels, num_epochs, lr, weight_decay,
                          batch_size)
print(f"{k}-fold validation: avg train log rmse: {float(train_l):.4f}, "
      f"avg valid log rmse: {float(valid_l):.4f}")
net = get_net()
train_ls, _ = train(net, train_features, train_labels, None, None, num_epochs, lr,
                    weight_decay, batch_size)
print(f"final train log rmse {float(train_ls[-1]):.4f}")
print(f"test log rmse {log_rmse(net, features[240:], prices[240:]):.4f}")
