# DCGAN generator/discriminator with the tutorial's weights_init (classname.find).
import torch
import torch.nn as nn

nz, ngf, ndf, nc = 4, 4, 4, 1


def weights_init(m):
    classname = m.__class__.__name__
    if classname.find('Conv') != -1:
        nn.init.normal_(m.weight.data, 0.0, 0.02)
    elif classname.find('BatchNorm') != -1:
        nn.init.normal_(m.weight.data, 1.0, 0.02)
        nn.init.constant_(m.bias.data, 0)


class Generator(nn.Module):
    def __init__(self):
        super(Generator, self).__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(nz, ngf * 2, 4, 1, 0, bias=False),
            nn.BatchNorm2d(ngf * 2),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ngf),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf, nc, 4, 2, 1, bias=False),
            nn.Tanh()
        )

    def forward(self, input):
        return self.main(input)


class Discriminator(nn.Module):
    def __init__(self):
        super(Discriminator, self).__init__()
        self.main = nn.Sequential(
            nn.Conv2d(nc, ndf, 4, 2, 1, bias=False),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ndf * 2),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 2, 1, 4, 1, 0, bias=False),
            nn.Sigmoid()
        )

    def forward(self, input):
        return self.main(input)


netG = Generator()
netG.apply(weights_init)
netD = Discriminator()
netD.apply(weights_init)
print(netG)
print(netD)
print(round(netG.main[0].weight.std().item(), 2) < 0.05, netG.main[1].bias.sum().item())
with torch.no_grad():
    for i, p in enumerate(list(netG.parameters()) + list(netD.parameters())):
        if p.dim() > 1:
            p.copy_(torch.sin(torch.arange(p.numel(), dtype=torch.float32) + i).reshape(p.shape) * 0.1)
        else:
            p.fill_(1.0)
noise = torch.cos(torch.arange(2 * nz, dtype=torch.float32)).reshape(2, nz, 1, 1)
fake = netG(noise)
print(fake.shape, fake.min().item() >= -1, fake.max().item() <= 1)
out = netD(fake).view(-1)
print(out.shape, out.round(decimals=4))
criterion = nn.BCELoss()
optimizerD = torch.optim.Adam(netD.parameters(), lr=0.0002, betas=(0.5, 0.999))
optimizerG = torch.optim.Adam(netG.parameters(), lr=0.0002, betas=(0.5, 0.999))
real = torch.linspace(-1, 1, 2 * 16 * 16).reshape(2, 1, 16, 16)
for it in range(2):
    netD.zero_grad()
    errD_real = criterion(netD(real).view(-1), torch.full((2,), 1.0))
    errD_real.backward()
    fake = netG(noise)
    errD_fake = criterion(netD(fake.detach()).view(-1), torch.full((2,), 0.0))
    errD_fake.backward()
    optimizerD.step()
    netG.zero_grad()
    errG = criterion(netD(fake).view(-1), torch.full((2,), 1.0))
    errG.backward()
    optimizerG.step()
    print(it, f"{(errD_real + errD_fake).item():.4f}", f"{errG.item():.4f}")
