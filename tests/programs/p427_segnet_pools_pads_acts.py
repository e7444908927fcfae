# SegNet / ENet / old-school CNN layers: MaxPool2d(return_indices) + MaxUnpool2d, ceil_mode and
# dilation, AvgPool2d count_include_pad / ceil_mode / divisor_override, LPPool, padding layers
# and F.pad modes, ChannelShuffle, Softmax2d, GLU, PReLU per channel, RReLU in eval, Bilinear,
# and module reprs of the lot; a training step through the encoder-decoder.
import torch
import torch.nn as nn
import torch.nn.functional as F


def r(t):
    return round(float(t), 4) + 0.0


def s(t):
    return round(float(t.detach().double().sum()), 4) + 0.0


torch.manual_seed(0)
x = torch.randn(2, 4, 7, 9)
pool = nn.MaxPool2d(2, stride=2, return_indices=True, ceil_mode=True)
unpool = nn.MaxUnpool2d(2, stride=2)
print(pool, unpool)
y, idx = pool(x)
print("pool", tuple(y.shape), idx[0, 0, 0].tolist(), idx[1, 3, -1].tolist())
u = unpool(y, idx, output_size=x.size())
print("unpool", tuple(u.shape), s(u), int((u != 0).sum()))
u2 = unpool(y[:, :, :3, :4], idx[:, :, :3, :4], output_size=(7, 9))
print("unpool given size", tuple(u2.shape), s(u2))

for m in [nn.MaxPool2d(3, stride=2, padding=1, dilation=2), nn.MaxPool2d((2, 3), stride=(1, 2), ceil_mode=True),
          nn.AvgPool2d(3, stride=2, padding=1), nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False),
          nn.AvgPool2d(2, ceil_mode=True), nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False),
          nn.AvgPool2d(2, divisor_override=3), nn.LPPool2d(2, 3, stride=2), nn.LPPool1d(1.5, 2),
          nn.MaxPool1d(3, stride=2, padding=1, return_indices=False), nn.AvgPool1d(4, stride=3, padding=2, ceil_mode=True)]:
    inp = x if "2d" in type(m).__name__ else x[:, :, 0]
    out = m(inp.abs() if "LP" in type(m).__name__ else inp)
    print(m, tuple(out.shape), s(out))

pads = [nn.ReflectionPad2d((1, 2, 0, 3)), nn.ReplicationPad2d(2), nn.ZeroPad2d((2, 0, 1, 1)), nn.ConstantPad2d(1, 3.5),
        nn.CircularPad2d((1, 1, 2, 0)), nn.ReflectionPad1d(3), nn.ConstantPad3d((1, 0, 0, 1, 1, 0), -1.0)]
for p in pads:
    inp = x if "2d" in type(p).__name__ else (x[:, :, 0] if "1d" in type(p).__name__ else x.unsqueeze(2))
    out = p(inp)
    print(p, tuple(out.shape), s(out))
print("F.pad negative", tuple(F.pad(x, (-1, 2, 0, -2)).shape), s(F.pad(x, (-1, 2, 0, -2))))
for mode in ["reflect", "replicate", "circular"]:
    print("F.pad", mode, s(F.pad(x, (2, 1, 1, 2), mode=mode)), tuple(F.pad(x[0], (1, 1), mode=mode).shape))

cs = nn.ChannelShuffle(2)
print(cs, cs(torch.arange(8.).view(1, 8, 1, 1)).flatten().tolist())
print("softmax2d", nn.Softmax2d()(x).sum(1)[0, 0, :3].tolist() == [1.0, 1.0, 1.0] or r(nn.Softmax2d()(x).sum()))
print(nn.GLU(dim=1), tuple(nn.GLU(1)(x).shape), s(nn.GLU(1)(x)))
torch.manual_seed(1)
pr = nn.PReLU(4, init=0.1)
print(pr, s(pr(x)))
rr = nn.RReLU(0.1, 0.3)
rr.eval()
print(rr, s(rr(x)), r(rr(torch.tensor([-1.0]))))
bil = nn.Bilinear(3, 5, 2)
print(bil, s(bil(torch.randn(4, 3), torch.randn(4, 5))))
for act in [nn.Hardtanh(-2, 2), nn.Threshold(0.1, 20.0), nn.Softmin(dim=1), nn.Mish(), nn.CELU(0.5), nn.Softplus(beta=2, threshold=5),
            nn.Hardshrink(0.3), nn.Softshrink(0.3), nn.Tanhshrink(), nn.LogSigmoid(), nn.ReLU6(), nn.Hardsigmoid(), nn.SELU(), nn.ELU(alpha=0.7)]:
    print(act, s(act(x)))


class SegNetTiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.PReLU(8))
        self.pool = nn.MaxPool2d(2, 2, return_indices=True)
        self.unpool = nn.MaxUnpool2d(2, 2)
        self.dec = nn.Sequential(nn.Conv2d(8, 8, 3, padding=1, padding_mode="reflect"), nn.ReLU(), nn.Conv2d(8, 3, 1))

    def forward(self, x):
        f = self.enc(x)
        p, i = self.pool(f)
        return self.dec(self.unpool(p, i, output_size=f.shape))


torch.manual_seed(2)
net = SegNetTiny()
opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9, nesterov=True)
img = torch.randn(2, 3, 6, 6)
lab = torch.randint(0, 3, (2, 6, 6))
lab[0, 0, 0] = -100
for step in range(2):
    opt.zero_grad()
    out = net(img)
    loss = F.cross_entropy(out, lab, ignore_index=-100, weight=torch.tensor([1.0, 2.0, 0.5]))
    loss.backward()
    print("seg step", step, r(loss), r(net.enc[0].weight.grad.norm()), r(net.enc[2].weight.grad.norm()), r(net.dec[0].weight.grad.norm()))
    opt.step()
