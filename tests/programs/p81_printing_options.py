# Printing tensors under torch.set_printoptions, and reprs of modules and parameters.
import torch
import torch.nn as nn

x = torch.arange(12, dtype=torch.float32).reshape(3, 4) / 7
print(x)
torch.set_printoptions(precision=2)
print(x)
torch.set_printoptions(sci_mode=True)
print(x)
torch.set_printoptions(sci_mode=False, precision=6)
print(torch.tensor([1e-7, 1.0, 1234.5]))
torch.set_printoptions(profile="default")
print(torch.tensor([1e-7, 1.0, 1234.5]))
torch.set_printoptions(threshold=5, edgeitems=2)
print(torch.arange(10))
print(torch.arange(30).reshape(5, 6))
torch.set_printoptions(profile="default")
torch.set_printoptions(linewidth=40)
print(torch.linspace(0, 1, 12))
torch.set_printoptions(profile="default")
print(torch.linspace(0, 1, 12))
torch.set_printoptions(profile="short")
print(torch.tensor([3.14159265, 2.71828]))
torch.set_printoptions(profile="full")
print(torch.arange(1010)[-3:])
torch.set_printoptions(profile="default")

print(torch.tensor([[1e-3, 1e3], [5.0, 6.0]]))
print(torch.tensor([1e16, 1.0]))
print(torch.tensor([0.1, 1e-5], dtype=torch.float64))
print(torch.tensor([100000.0, 1.5]))
print(torch.tensor([1.0, 2.0, 3.0], dtype=torch.float16))
print(torch.tensor([-1, 0, 1], dtype=torch.int8))
print(torch.tensor([[1, 2], [3, 4]], dtype=torch.int16))
print(torch.tensor(True), torch.tensor([], dtype=torch.bool), torch.empty(0, 3).shape)
print(torch.zeros(1, 2, 0))
print(torch.tensor([float('nan'), 1.5, float('inf')]))
print(torch.tensor([1.0, 2.0]) * 1e-10)
print(torch.tensor([12345678.0, 0.5]))
print(torch.full((2, 2), -0.5, dtype=torch.float64))
print(torch.tensor([1.5 + 2j, -3.25 - 0.5j], dtype=torch.complex64))

p = nn.Parameter(torch.tensor([1.0, -2.0]))
print(p)
print(nn.Parameter(torch.ones(2, 2), requires_grad=False))
w = torch.tensor([[0.5, 1.5]], requires_grad=True)
print(w * 2, (w * 2).sum(), w.exp().mean(1))
print(torch.tensor([2.0, 3.0], requires_grad=True).pow(2).sqrt())
print(w[0], w.T, w.view(2), w.reshape(-1).unsqueeze(0))
with torch.no_grad():
    print(w * 3)
print(w.detach())
print(torch.tensor([1, 2, 3]).float().requires_grad_())

model = nn.Sequential(
    nn.Conv2d(1, 4, kernel_size=3, stride=1, padding=1, bias=False),
    nn.BatchNorm2d(4, momentum=0.05),
    nn.ReLU(inplace=True),
    nn.MaxPool2d(2, 2),
    nn.Dropout2d(0.25),
    nn.Flatten(),
    nn.Linear(4 * 2 * 2, 10),
    nn.LogSoftmax(dim=1),
)
print(model)
print(nn.ModuleDict({'act': nn.LeakyReLU(0.2), 'emb': nn.Embedding(10, 3, padding_idx=0)}))
print(nn.ModuleList([nn.GRU(4, 8, num_layers=2, batch_first=True, bidirectional=True),
                     nn.LSTM(3, 5), nn.RNN(2, 2, nonlinearity='relu')]))
print(nn.ParameterList([nn.Parameter(torch.zeros(2)), nn.Parameter(torch.zeros(3, 1))]))
print(nn.TransformerEncoderLayer(8, 2, 16))
print(nn.Upsample(scale_factor=2, mode='bilinear'), nn.ConvTranspose2d(3, 2, 4, stride=2, padding=1),
      nn.AdaptiveAvgPool2d((1, 1)), nn.GroupNorm(2, 4), nn.LayerNorm([4, 3]), nn.Softmax(dim=-1),
      nn.Embedding(5, 2, max_norm=1.0), nn.Conv1d(2, 3, 3, dilation=2, groups=1, padding='same'))
