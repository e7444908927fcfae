# Building blocks of modern CNNs: depthwise-separable convs (groups=in_channels,
# padding='same', padding_mode reflect/circular/replicate), squeeze-and-excitation with
# AdaptiveAvgPool2d, GroupNorm, InstanceNorm2d with affine / track_running_stats in train and
# eval, BatchNorm2d in eval mode, adaptive pools on sizes that do not divide, LocalResponseNorm.
import torch
import torch.nn as nn
import torch.nn.functional as F


def r(t):
    return round(float(t), 4) + 0.0


def s(t):
    return round(float(t.detach().double().sum()), 4) + 0.0


class SE(nn.Module):
    def __init__(self, c, red=4):
        super().__init__()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Sequential(nn.Linear(c, c // red, bias=False), nn.ReLU(inplace=True),
                                nn.Linear(c // red, c, bias=False), nn.Sigmoid())

    def forward(self, x):
        b, c, _, _ = x.size()
        y = self.pool(x).view(b, c)
        y = self.fc(y).view(b, c, 1, 1)
        return x * y.expand_as(x)


class DWSep(nn.Module):
    def __init__(self, cin, cout, mode):
        super().__init__()
        self.dw = nn.Conv2d(cin, cin, 3, padding="same", groups=cin, bias=False, padding_mode=mode)
        self.pw = nn.Conv2d(cin, cout, 1, bias=False)
        self.gn = nn.GroupNorm(2, cout)
        self.act = nn.Hardswish()
        self.se = SE(cout)

    def forward(self, x):
        return self.se(self.act(self.gn(self.pw(self.dw(x)))))


torch.manual_seed(0)
x = torch.randn(2, 4, 7, 6)
for mode in ["zeros", "reflect", "replicate", "circular"]:
    torch.manual_seed(1)
    blk = DWSep(4, 8, mode)
    y = blk(x)
    print(mode, tuple(y.shape), s(y), r(y.std()))
print(blk)
print("params", sum(p.numel() for p in blk.parameters()))

torch.manual_seed(2)
dil = nn.Conv2d(4, 4, 3, padding="same", dilation=2, groups=2)
print(dil, tuple(dil(x).shape), s(dil(x)))
c5 = nn.Conv2d(4, 2, (2, 4), padding="same")
print("same even kernel", tuple(c5(x).shape), s(c5(x)))
print("valid", tuple(nn.Conv2d(4, 2, 3, padding="valid")(x).shape))

for ap in [nn.AdaptiveAvgPool2d((3, 4)), nn.AdaptiveAvgPool2d((None, 2)), nn.AdaptiveMaxPool2d(5),
           nn.AdaptiveAvgPool1d(4), nn.AdaptiveMaxPool1d(3)]:
    inp = x if "2d" in type(ap).__name__ else x[:, :, 0]
    y = ap(inp)
    print(ap, tuple(y.shape), s(y))
y, idx = F.adaptive_max_pool2d(x, (3, 2), return_indices=True)
print("amp indices", idx[0, 0].tolist())

gn = nn.GroupNorm(2, 4, eps=1e-3)
inorm = nn.InstanceNorm2d(4)
inorm_a = nn.InstanceNorm2d(4, affine=True, track_running_stats=True, momentum=0.2)
ln = nn.LayerNorm([7, 6], elementwise_affine=False)
ln_nb = nn.LayerNorm(6, bias=False)
lrn = nn.LocalResponseNorm(3, alpha=1e-2, beta=0.75, k=2.0)
for m in [gn, inorm, inorm_a, ln, ln_nb, lrn]:
    y = m(x)
    print(m, r(y.mean()), r(y.std()), s(y[0, 1]))
print("inorm running", [round(v, 4) for v in inorm_a.running_mean.tolist()], [round(v, 4) for v in inorm_a.running_var.tolist()], int(inorm_a.num_batches_tracked))
inorm_a.eval()
print("inorm eval", s(inorm_a(x)), r(inorm_a(x).std()))
print(list(inorm_a.state_dict().keys()))
print("inorm1d", s(nn.InstanceNorm1d(4)(x[:, :, 0])), "unbatched", tuple(nn.InstanceNorm2d(4)(x[0]).shape))

torch.manual_seed(3)
bn = nn.BatchNorm2d(4, momentum=None)
for _ in range(3):
    bn(torch.randn(3, 4, 5, 5) * 2 + 1)
print("bn cumulative", [round(v, 4) for v in bn.running_mean.tolist()], int(bn.num_batches_tracked))
bn.eval()
xb = torch.randn(2, 4, 3, 3, requires_grad=True)
yb = bn(xb)
yb.sum().backward()
print("bn eval", s(yb), r(xb.grad.norm()), r(bn.weight.grad.norm()), r(bn.bias.grad.norm()))
bn_nt = nn.BatchNorm2d(4, track_running_stats=False).eval()
print("bn no tracking eval", r(bn_nt(xb).mean()), bn_nt.running_mean)

# a training step through depthwise + SE
torch.manual_seed(4)
net = nn.Sequential(DWSep(4, 8, "reflect"), nn.InstanceNorm2d(8, affine=True), nn.AdaptiveAvgPool2d(1),
                    nn.Flatten(), nn.Linear(8, 3))
opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
lab = torch.tensor([0, 2])
for step in range(2):
    opt.zero_grad()
    loss = F.cross_entropy(net(x), lab)
    loss.backward()
    print("step", step, r(loss), r(net[0].dw.weight.grad.norm()), r(net[0].gn.weight.grad.norm()),
          r(net[1].weight.grad.norm()), r(net[0].se.fc[0].weight.grad.norm()))
    opt.step()
