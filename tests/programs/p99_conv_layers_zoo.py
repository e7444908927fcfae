# Convolution, pooling and embedding layers beyond Conv2d: shapes, and values on fixed weights.
import torch
import torch.nn as nn
import torch.nn.functional as F


def fixed_(module, scale=0.1):
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.arange(p.numel(), dtype=torch.float32).reshape(p.shape) * scale - 0.2)
    return module


x1 = torch.linspace(-1, 1, 2 * 3 * 8).reshape(2, 3, 8)
conv1 = fixed_(nn.Conv1d(3, 4, kernel_size=3, stride=2, padding=1, dilation=1, groups=1), 0.01)
print(conv1(x1).shape, conv1(x1)[0, :, :2])
depthwise = fixed_(nn.Conv1d(3, 3, kernel_size=3, groups=3, padding='same'), 0.05)
print(depthwise(x1)[1, :, :3])
tconv1 = fixed_(nn.ConvTranspose1d(3, 2, kernel_size=4, stride=2, padding=1), 0.02)
print(tconv1(x1).shape, tconv1(x1)[0, 0, :4])
x2 = torch.arange(2 * 2 * 5 * 5, dtype=torch.float32).reshape(2, 2, 5, 5) / 50
tconv2 = fixed_(nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1, output_padding=1), 0.02)
print(tconv2(x2).shape, tconv2(x2)[0, 0, 0, :4])
print(nn.ConvTranspose2d(2, 3, 3, stride=2)(x2, output_size=[12, 12]).shape)
conv3 = fixed_(nn.Conv3d(1, 2, kernel_size=(1, 3, 3), padding=(0, 1, 1)), 0.1)
print(conv3(torch.ones(1, 1, 2, 4, 4)).shape, conv3(torch.ones(1, 1, 2, 4, 4))[0, 1, 0, 0])
strided = fixed_(nn.Conv2d(2, 2, 3, stride=(2, 1), padding=(1, 0), dilation=(1, 2), bias=False), 0.05)
print(strided(x2).shape, strided(x2)[0, 0])
print(nn.Conv2d(2, 4, 3, padding='valid')(x2).shape, nn.Conv2d(2, 4, 4, padding='same', padding_mode='reflect')(x2).shape,
      nn.Conv2d(2, 2, 3, padding=1, padding_mode='circular')(x2).shape, nn.Conv2d(2, 2, 3, padding=2, padding_mode='replicate')(x2).shape)

pool, idx = nn.MaxPool2d(2, stride=2, return_indices=True)(x2)
print(pool.shape, idx[0, 0])
print(nn.MaxUnpool2d(2, stride=2)(pool, idx, output_size=x2.size()).shape)
p1, i1 = F.max_pool1d(x1, 2, return_indices=True)
print(i1[0, 0], F.max_unpool1d(p1, i1, 2)[0, 0])
print(nn.AvgPool1d(3, stride=2, padding=1)(x1)[0, 0], nn.AvgPool2d(2, ceil_mode=True)(x2).shape)
print(nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False)(x2)[0, 0], nn.AvgPool2d(2, divisor_override=1)(x2)[0, 0, 0])
print(nn.MaxPool2d(3, stride=2, ceil_mode=True)(x2).shape, nn.MaxPool2d(2, dilation=2)(x2)[0, 0])
print(nn.LPPool1d(2, 2)(x1)[0, 0].round(decimals=4), nn.AdaptiveMaxPool2d((2, 3))(x2)[0, 0], nn.AdaptiveAvgPool1d(3)(x1)[0, 0])
print(nn.AdaptiveAvgPool2d((None, 2))(x2).shape, nn.AdaptiveMaxPool1d(4, return_indices=True)(x1)[1][0, 0])

emb = nn.Embedding.from_pretrained(torch.tensor([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]]), freeze=True, padding_idx=0)
print(emb, emb.weight.requires_grad, emb(torch.tensor([[2, 0], [1, 1]])))
emb2 = nn.Embedding(4, 3, padding_idx=1)
print(emb2.weight[1], emb2.padding_idx)
emb3 = nn.Embedding(4, 2, max_norm=1.0)
with torch.no_grad():
    emb3.weight.copy_(torch.tensor([[3.0, 4.0], [0.3, 0.4], [1.0, 0.0], [0.0, 0.0]]))
print(emb3(torch.tensor([0, 1])), emb3.weight[0])
bag = nn.EmbeddingBag.from_pretrained(torch.arange(12.0).reshape(4, 3), mode='mean')
print(bag(torch.tensor([0, 1, 2, 3]), torch.tensor([0, 1])), nn.EmbeddingBag.from_pretrained(torch.arange(12.0).reshape(4, 3), mode='max')(torch.tensor([[0, 3], [1, 2]])))
bag_sum = nn.EmbeddingBag(4, 3, mode='sum')
with torch.no_grad():
    bag_sum.weight.copy_(torch.arange(12.0).reshape(4, 3))
print(bag_sum(torch.tensor([1, 2, 3]), torch.tensor([0, 2]), per_sample_weights=torch.tensor([1.0, 0.5, 2.0])))
bil = fixed_(nn.Bilinear(2, 3, 2), 0.1)
print(bil(torch.ones(1, 2), torch.ones(1, 3)))
print(nn.PixelShuffle(2)(torch.arange(8.0).reshape(1, 4, 1, 2)), nn.PixelUnshuffle(2)(torch.arange(16.0).reshape(1, 1, 4, 4)).shape)
print(nn.Upsample(scale_factor=2, mode='nearest')(x2).shape, nn.Upsample(size=(3, 3), mode='bilinear', align_corners=True)(x2)[0, 0])
print(nn.Fold(output_size=(3, 3), kernel_size=2)(torch.ones(1, 4, 4)), nn.Unfold(kernel_size=2, stride=1)(x2).shape)
print(nn.ZeroPad2d((1, 0, 0, 1))(torch.ones(1, 1, 2, 2)), nn.ReflectionPad1d(2)(torch.arange(4.0).reshape(1, 1, 4)),
      nn.ReplicationPad2d(1)(torch.arange(4.0).reshape(1, 1, 2, 2))[0, 0], nn.ConstantPad1d((0, 2), 9.0)(torch.ones(1, 2)))
print(nn.ChannelShuffle(2)(torch.arange(4.0).reshape(1, 4, 1, 1)).flatten() if hasattr(nn, 'ChannelShuffle') else None)
print(nn.InstanceNorm1d(3)(x1)[0, 0, :3], nn.InstanceNorm2d(2, affine=True)(x2).shape, nn.LocalResponseNorm(2)(x2)[0, 0, 0])
print(nn.GroupNorm(1, 3)(x1)[1, 2, :3], nn.LayerNorm(8, elementwise_affine=False)(x1)[0, 0, :3], nn.RMSNorm(8)(x1)[0, 0, :3])
