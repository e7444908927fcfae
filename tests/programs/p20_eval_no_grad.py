# model.eval() / model.train(), torch.no_grad(), inference_mode, dropout and batch norm.
import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(4, 4), nn.BatchNorm1d(4), nn.Dropout(p=0.5), nn.ReLU())
with torch.no_grad():
    model[0].weight.copy_(torch.eye(4))
    model[0].bias.zero_()
x = torch.tensor([[1.0, 2.0, 3.0, 4.0], [2.0, 0.0, 1.0, -1.0], [0.0, 1.0, 0.0, 1.0]])
print(model.training, model[2].training)
model.train()
out = model(x)
print(out.shape, out.requires_grad)
print(model[1].running_mean, model[1].running_var)
print(model[1].num_batches_tracked)
model.eval()
print(model.training, model[2].training)
with torch.no_grad():
    out1 = model(x)
    out2 = model(x)
print(torch.equal(out1, out2), out1.requires_grad)
print(out1.round(decimals=4))
with torch.inference_mode():
    out3 = model(x)
print(out3.requires_grad, torch.is_inference_mode_enabled())


@torch.no_grad()
def predict(m, inp):
    return m(inp).argmax(dim=1)


print(predict(model, x), torch.is_grad_enabled())
with torch.set_grad_enabled(False):
    print(model(x).requires_grad)
torch.set_grad_enabled(True)
drop = nn.Dropout(0.3)
drop.eval()
print(torch.equal(drop(x), x))
drop.train()
torch.manual_seed(0)
y = drop(torch.ones(1000))
print(y.unique().tolist() == [0.0, 1 / 0.7] or sorted(set(round(v, 4) for v in y.tolist())))
print(0.6 < (y > 0).float().mean().item() < 0.8)
bn = nn.BatchNorm1d(3, affine=False, track_running_stats=True, momentum=0.5)
bn(torch.tensor([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]]))
print(bn.running_mean, bn.running_var, bn)
