# BatchNorm in train and eval mode (the "why does my model behave differently in eval" answer):
# running statistics, momentum, batch statistics vs running ones, BatchNorm1d/2d in a model,
# track_running_stats=False, and a small train loop on randn data printing raw .item() values.
import torch
import torch.nn as nn

torch.manual_seed(0)
bn = nn.BatchNorm1d(4)
x = torch.randn(16, 4) * 3 + 2
print(bn.running_mean, bn.running_var)
y = bn(x)
print(bn.running_mean)
print(bn.running_var)
# the batch mean is ~1e-8, summation-order noise: compare it instead of printing it
print(torch.allclose(y.mean(0), torch.zeros(4), atol=1e-6), y.std(0, unbiased=False))
bn.eval()
print(bn(x)[:2])
print(bn.num_batches_tracked)

bn2 = nn.BatchNorm2d(3, momentum=None)  # cumulative moving average
for _ in range(3):
    bn2(torch.rand(4, 3, 5, 5))
print(bn2.running_mean, bn2.num_batches_tracked.item())

no_track = nn.BatchNorm1d(2, track_running_stats=False, affine=False)
no_track.eval()
print(no_track(torch.tensor([[1.0, 2.0], [3.0, 6.0]])))

model = nn.Sequential(
    nn.Linear(6, 32), nn.BatchNorm1d(32), nn.ReLU(),
    nn.Linear(32, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Dropout(0.2),
    nn.Linear(32, 1),
)
X = torch.randn(256, 6)
Y = (X[:, :2].sum(1, keepdim=True) - X[:, 2:3] * X[:, 3:4]) + 0.1 * torch.randn(256, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
for epoch in range(30):
    model.train()
    perm = torch.randperm(256)
    for i in range(0, 256, 64):
        idx = perm[i:i + 64]
        loss = nn.functional.mse_loss(model(X[idx]), Y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    if epoch % 10 == 9:
        model.eval()
        with torch.no_grad():
            train_mode_loss = nn.functional.mse_loss(model.train()(X), Y).item()
            eval_loss = nn.functional.mse_loss(model.eval()(X), Y).item()
        print(f"epoch {epoch + 1}: train-mode mse {train_mode_loss:.4f} eval mse {eval_loss:.4f}")
print(model[1].running_mean[:4])
print(model[1].weight[:4])
print(round(model[4].running_var.mean().item(), 4))

cnn_bn = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU())
imgs = torch.randn(8, 1, 6, 6)
out = cnn_bn(imgs)
print(out.shape, cnn_bn[1].running_mean)
cnn_bn.eval()
print(cnn_bn(imgs[:1])[0, 0, 0])
