# WGAN and WGAN-GP training loops as written in 2017 (caogang/wgan-gp, the original WGAN
# repo): weight clipping through p.data.clamp_, one = torch.FloatTensor([1]); mone = one * -1,
# backward(mone), autograd.grad(..., grad_outputs=torch.ones(...), create_graph=True,
# retain_graph=True, only_inputs=True), requires_grad toggling on D's parameters.
import torch
import torch.autograd as autograd
import torch.nn as nn
import torch.optim as optim
from torch.autograd import Variable

torch.manual_seed(3)
DIM, BATCH, LAMBDA = 16, 8, 10
use_cuda = torch.cuda.is_available()


class Generator(nn.Module):
    def __init__(self):
        super(Generator, self).__init__()
        main = nn.Sequential(nn.Linear(2, DIM), nn.ReLU(True), nn.Linear(DIM, 2))
        self.main = main

    def forward(self, noise):
        return self.main(noise)


class Discriminator(nn.Module):
    def __init__(self):
        super(Discriminator, self).__init__()
        self.main = nn.Sequential(nn.Linear(2, DIM), nn.ReLU(True), nn.Linear(DIM, 1))

    def forward(self, inputs):
        output = self.main(inputs)
        return output.view(-1)


def calc_gradient_penalty(netD, real_data, fake_data):
    alpha = torch.rand(BATCH, 1)
    alpha = alpha.expand(real_data.size())
    alpha = alpha.cuda() if use_cuda else alpha
    interpolates = alpha * real_data + ((1 - alpha) * fake_data)
    if use_cuda:
        interpolates = interpolates.cuda()
    interpolates = autograd.Variable(interpolates, requires_grad=True)
    disc_interpolates = netD(interpolates)
    gradients = autograd.grad(outputs=disc_interpolates, inputs=interpolates,
                              grad_outputs=torch.ones(disc_interpolates.size()),
                              create_graph=True, retain_graph=True, only_inputs=True)[0]
    gradient_penalty = ((gradients.norm(2, dim=1) - 1) ** 2).mean() * LAMBDA
    return gradient_penalty


def data_batch(i):
    # 8 gaussians on a circle
    g = torch.Generator().manual_seed(i)
    angles = torch.randint(0, 8, (BATCH,), generator=g).float() * (2 * 3.14159265 / 8)
    centers = torch.stack([angles.cos(), angles.sin()], 1) * 2
    return centers + 0.02 * torch.randn(BATCH, 2, generator=g)


netG, netD = Generator(), Discriminator()
print(netD)
optimizerD = optim.Adam(netD.parameters(), lr=1e-4, betas=(0.5, 0.9))
optimizerG = optim.Adam(netG.parameters(), lr=1e-4, betas=(0.5, 0.9))
one = torch.FloatTensor([1])
mone = one * -1
print(one, mone, one.type())

for iteration in range(5):
    for p in netD.parameters():
        p.requires_grad = True
    for iter_d in range(3):
        real_data_v = autograd.Variable(data_batch(iteration * 3 + iter_d))
        netD.zero_grad()
        D_real = netD(real_data_v).mean()
        D_real.backward(mone.squeeze())
        noise = torch.randn(BATCH, 2)
        noisev = autograd.Variable(noise, volatile=True)
        fake = autograd.Variable(netG(noisev).data)
        D_fake = netD(fake).mean()
        D_fake.backward(one.squeeze())
        gradient_penalty = calc_gradient_penalty(netD, real_data_v.data, fake.data)
        gradient_penalty.backward()
        D_cost = D_fake - D_real + gradient_penalty
        Wasserstein_D = D_real - D_fake
        optimizerD.step()
    for p in netD.parameters():
        p.requires_grad = False
    netG.zero_grad()
    noisev = autograd.Variable(torch.randn(BATCH, 2))
    G = netD(netG(noisev)).mean()
    G.backward(mone.squeeze())
    G_cost = -G
    optimizerG.step()
    print(iteration, 'D_cost %.4f G_cost %.4f W %.4f GP %.4f' % (
        D_cost.item(), G_cost.item(), Wasserstein_D.item(), gradient_penalty.item()))
print([p.requires_grad for p in netD.parameters()], netD.main[0].weight.grad is not None)

# original WGAN: RMSprop and weight clipping instead of the penalty
netD2 = Discriminator()
opt = optim.RMSprop(netD2.parameters(), lr=5e-3)
for it in range(3):
    for p in netD2.parameters():
        p.data.clamp_(-0.01, 0.01)
    netD2.zero_grad()
    errD_real = netD2(Variable(data_batch(100 + it))).mean(0).view(1)
    errD_real.backward(one)
    errD_fake = netD2(Variable(torch.randn(BATCH, 2))).mean(0).view(1)
    errD_fake.backward(mone)
    errD = errD_real - errD_fake
    opt.step()
    print('Loss_D: %.6f' % errD.data[0], errD.size())
for p in netD2.parameters():
    p.data.clamp_(-0.01, 0.01)
print(max(p.data.abs().max().item() for p in netD2.parameters()) <= 0.01)
