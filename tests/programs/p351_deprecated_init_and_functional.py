# Deprecated spellings that old model files still call and torch 2.x still runs (with
# warnings): nn.init.xavier_uniform/xavier_normal/kaiming_normal/constant/normal/uniform
# without the underscore, F.sigmoid/F.tanh, softmax/log_softmax without dim (implicit dim),
# nn.Softmax() with no dim, F.upsample/upsample_bilinear/upsample_nearest, size_average/reduce.
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.autograd import Variable

torch.manual_seed(0)
conv = nn.Conv2d(2, 3, 3)
fc = nn.Linear(6, 4)
nn.init.xavier_uniform(conv.weight, gain=nn.init.calculate_gain('relu'))
nn.init.constant(conv.bias, 0.1)
nn.init.xavier_normal(fc.weight)
nn.init.normal(fc.bias, mean=0, std=0.01)
print(conv.bias.data, round(conv.weight.data.std().item(), 4), round(fc.weight.data.std().item(), 4))
w = torch.empty(5, 4)
nn.init.kaiming_normal(w, mode='fan_out')
print(round(w.std().item(), 4), nn.init.uniform(torch.empty(3), -1, 1), nn.init.kaiming_uniform(torch.empty(2, 2)).abs().max().item() <= 3 ** 0.5)
print(nn.init.eye(torch.empty(2, 3)), nn.init.dirac(torch.empty(2, 2, 3)).sum().item(),
      nn.init.orthogonal(torch.empty(3, 3)).mm(nn.init.orthogonal(torch.empty(3, 3)).t()).shape,
      nn.init.sparse(torch.empty(4, 3), sparsity=0.5).eq(0).sum(0))
print([nn.init.calculate_gain(n) for n in ('linear', 'sigmoid', 'tanh', 'relu')],
      round(nn.init.calculate_gain('leaky_relu', 0.2), 6))


def weights_init(m):
    if isinstance(m, nn.Conv2d) or isinstance(m, nn.Linear):
        nn.init.xavier_uniform(m.weight.data)
        m.bias.data.zero_()


model = nn.Sequential(nn.Linear(4, 3), nn.Tanh(), nn.Linear(3, 2))
model.apply(weights_init)
print([round(p.data.abs().sum().item(), 4) for p in model.parameters()])

x = Variable(torch.randn(2, 3))
print(F.sigmoid(x).round(decimals=4), F.tanh(x).round(decimals=4))
print(F.softmax(x).sum(1), F.log_softmax(x).exp().sum(1), F.softmin(x).argmax(1))
print(F.softmax(torch.randn(2, 3, 4)).sum(1)[0].round(decimals=4))
print(nn.Softmax()(x).sum(1), nn.LogSoftmax()(x).shape, nn.Softmax2d()(torch.randn(1, 3, 2, 2)).sum(1))
print(F.softmax(torch.tensor([1.0, 2.0, 3.0])), F.softmax(torch.randn(1, 2, 3, 4)).sum(1).shape)

img = torch.arange(16.).view(1, 1, 4, 4)
print(F.upsample(img, scale_factor=2, mode='nearest').shape,
      F.upsample(img, size=(6, 6), mode='bilinear', align_corners=False)[0, 0, 0].round(decimals=4))
print(F.upsample_nearest(img, scale_factor=2)[0, 0, :2], F.upsample_bilinear(img, size=(3, 3))[0, 0])
print(nn.Upsample(scale_factor=2, mode='nearest')(img).shape, nn.UpsamplingNearest2d(scale_factor=2)(img).sum(),
      nn.UpsamplingBilinear2d(size=(2, 2))(img))

pred = torch.randn(4, 3)
target = torch.LongTensor([0, 2, 1, 2])
print(F.cross_entropy(pred, target, size_average=False), F.cross_entropy(pred, target, reduce=False),
      F.nll_loss(F.log_softmax(pred, 1), target, size_average=True))
y = torch.randn(4, 3)
print(F.mse_loss(pred, y, size_average=False), F.l1_loss(pred, y, reduce=False).shape,
      F.smooth_l1_loss(pred, y, size_average=True).round(decimals=4))
print(nn.MSELoss(size_average=False).reduction, nn.L1Loss(reduce=False).reduction,
      nn.BCELoss(size_average=True, reduce=True).reduction, nn.NLLLoss(reduce=False, size_average=False).reduction)
print(nn.BCEWithLogitsLoss(size_average=False)(pred, torch.rand(4, 3).round()).round(decimals=4),
      nn.KLDivLoss(size_average=False)(F.log_softmax(pred, 1), F.softmax(y, 1)).round(decimals=4))
print(torch.nn.utils.clip_grad_norm, torch.nn.functional.sigmoid is torch.sigmoid)
