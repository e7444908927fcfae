# Module printing: OrderedDict Sequential, ModuleDict/ModuleList/ParameterList, extra_repr, nesting.
from collections import OrderedDict
import torch
import torch.nn as nn

model = nn.Sequential(OrderedDict([
    ("fc1", nn.Linear(784, 128)),
    ("act1", nn.ReLU()),
    ("drop", nn.Dropout(p=0.25)),
    ("fc2", nn.Linear(128, 10, bias=False)),
    ("out", nn.LogSoftmax(dim=1)),
]))
print(model)
print(model.fc1, model[1], model[-1], model[1:3])
print(len(model), list(model._modules.keys()))


class Scaler(nn.Module):
    def __init__(self, factor):
        super().__init__()
        self.factor = factor
        self.register_buffer("offset", torch.zeros(3))

    def extra_repr(self):
        return f"factor={self.factor}"

    def forward(self, x):
        return x * self.factor + self.offset


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleList([nn.Linear(3, 3) for _ in range(2)])
        self.heads = nn.ModuleDict({"cls": nn.Linear(3, 2), "reg": nn.Linear(3, 1)})
        self.scale = Scaler(2.5)
        self.alphas = nn.ParameterList([nn.Parameter(torch.ones(1)), nn.Parameter(torch.zeros(2))])
        self.gates = nn.ParameterDict({"a": nn.Parameter(torch.ones(3))})
        self.norm = nn.LayerNorm(3, eps=1e-6)
        self.conv = nn.Conv1d(3, 6, kernel_size=3, stride=2, padding=1, dilation=1, groups=3)
        self.pool = nn.MaxPool1d(2, ceil_mode=True)
        self.emb = nn.Embedding(10, 3, padding_idx=0)
        self.rnn = nn.LSTM(3, 4, num_layers=2, bidirectional=True, batch_first=True)
        self.act = nn.LeakyReLU(negative_slope=0.2, inplace=True)
        self.up = nn.Upsample(scale_factor=2.0, mode="nearest")
        self.bn = nn.BatchNorm1d(6, momentum=None, affine=False)
        self.gelu = nn.GELU(approximate="tanh")
        self.tr = nn.TransformerEncoderLayer(d_model=4, nhead=2, dim_feedforward=8, batch_first=True)

    def forward(self, x):
        for b in self.blocks:
            x = b(x)
        return self.heads["cls"](self.norm(x))


net = Net()
print(net)
print(net.heads.keys(), len(net.blocks), net.alphas[1].shape, net.gates["a"])
print(repr(net.scale), str(nn.Identity()), nn.Flatten(start_dim=2))
print(nn.Softmax(dim=-1), nn.CrossEntropyLoss(), nn.MSELoss(reduction="sum"), nn.Tanh(), nn.Hardtanh(-2, 2))
print(nn.Conv2d(3, 8, (3, 5), stride=(2, 1), padding=(1, 2), bias=False, padding_mode="reflect"))
print(nn.ConvTranspose1d(4, 2, 4, stride=2), nn.AvgPool2d(3, stride=1, padding=1), nn.AdaptiveMaxPool2d(1))
print(nn.GRU(5, 7), nn.RNN(2, 3, nonlinearity="relu"), nn.GroupNorm(2, 4), nn.InstanceNorm2d(3))
print(nn.Dropout2d(0.1), nn.PReLU(num_parameters=3), nn.Softplus(beta=2), nn.ELU(alpha=0.5), nn.Threshold(0.1, 20))
print(nn.PixelShuffle(2), nn.Unflatten(1, (2, 5)), nn.ZeroPad2d((1, 1, 2, 0)), nn.Bilinear(2, 3, 4))
print(nn.EmbeddingBag(10, 3, mode="mean"), nn.SiLU(), nn.Mish(), nn.Hardswish(), nn.CELU(), nn.SELU())
print(nn.MultiheadAttention(8, 2), nn.CosineSimilarity(), nn.PairwiseDistance(), nn.Fold((4, 4), 2))
print(net.tr.self_attn, net.rnn.__class__.__name__, nn.Linear(2, 2).extra_repr())
