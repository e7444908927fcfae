# Loss-side code of speech, VAE and GAN reference implementations: nn.CTCLoss with padded and
# concatenated targets, every reduction, a non-zero blank, zero_infinity on impossible
# alignments, lengths as tuples; a VAE with the reparameterisation trick and
# F.binary_cross_entropy(reduction='sum') on sigmoid outputs plus the KL term; a DCGAN-style
# generator/discriminator step with LeakyReLU, BatchNorm2d (and eval mode), spectral_norm,
# BCEWithLogitsLoss(pos_weight) and hinge losses.
import torch
import torch.nn as nn
import torch.nn.functional as F


def r(t):
    return round(float(t), 4) + 0.0


def s(t):
    return round(float(t.detach().double().sum()), 4) + 0.0


torch.manual_seed(0)
T, N, C, S = 12, 3, 6, 5
logits = torch.randn(T, N, C, requires_grad=True)
log_probs = logits.log_softmax(2)
targets = torch.randint(1, C, (N, S), dtype=torch.long)
in_len = torch.tensor([12, 10, 9])
tg_len = torch.tensor([5, 3, 4])
for red in ["mean", "sum", "none"]:
    ctc = nn.CTCLoss(reduction=red)
    loss = ctc(log_probs, targets, in_len, tg_len)
    print(ctc, red, [round(v, 4) for v in loss.reshape(-1).tolist()])
ctc = nn.CTCLoss()
loss = ctc(log_probs, targets, in_len, tg_len)
(g,) = torch.autograd.grad(loss, logits)
print("ctc grad", r(g.norm()), r(g[:, 1].abs().sum()), r(g[10:, 2].abs().sum()))
flat = torch.cat([targets[i, :tg_len[i]] for i in range(N)])
loss2 = ctc(log_probs, flat, tuple(in_len.tolist()), tuple(tg_len.tolist()))
print("concat targets", r(loss2), torch.allclose(loss, loss2))
ctc_b = nn.CTCLoss(blank=C - 1, reduction="sum")
t_b = torch.randint(0, C - 1, (N, S))
print("blank last", r(ctc_b(log_probs, t_b, in_len, tg_len)))
rep = torch.tensor([[2, 2, 2, 2, 2]])
short = torch.randn(4, 1, C).log_softmax(2)
print("impossible", ctc(short, rep, torch.tensor([4]), torch.tensor([5])).item(),
      nn.CTCLoss(zero_infinity=True)(short, rep, torch.tensor([4]), torch.tensor([5])).item())
lp2 = torch.randn(T, C).log_softmax(1)
print("unbatched", r(F.ctc_loss(lp2, targets[0], torch.tensor(T), torch.tensor(5))))


class VAE(nn.Module):
    def __init__(self, d=12, h=8, z=2):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(d, h), nn.ReLU())
        self.mu = nn.Linear(h, z)
        self.logvar = nn.Linear(h, z)
        self.dec = nn.Sequential(nn.Linear(z, h), nn.ReLU(), nn.Linear(h, d), nn.Sigmoid())

    def reparameterize(self, mu, logvar):
        std = torch.exp(0.5 * logvar)
        eps = torch.randn_like(std)
        return mu + eps * std

    def forward(self, x):
        h = self.enc(x)
        mu, logvar = self.mu(h), self.logvar(h)
        return self.dec(self.reparameterize(mu, logvar)), mu, logvar


def vae_loss(recon, x, mu, logvar):
    bce = F.binary_cross_entropy(recon, x, reduction="sum")
    kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return bce + kld, bce, kld


torch.manual_seed(1)
vae = VAE()
opt = torch.optim.Adam(vae.parameters(), lr=1e-2)
x = (torch.rand(5, 12) > 0.5).float()
for step in range(2):
    opt.zero_grad()
    recon, mu, logvar = vae(x)
    loss, bce, kld = vae_loss(recon, x, mu, logvar)
    loss.backward()
    print("vae", step, r(loss), r(bce), r(kld), r(vae.mu.weight.grad.norm()), r(vae.dec[2].weight.grad.norm()))
    opt.step()
w = torch.rand(5, 12)
print("bce weight/mean", r(F.binary_cross_entropy(recon, x, weight=w)), r(nn.BCELoss(reduction="none")(recon, x)[0, 0]))
print("bce saturated", F.binary_cross_entropy(torch.tensor([0.0, 1.0, 1.0]), torch.tensor([0.0, 1.0, 0.0])).item())


class G(nn.Module):
    def __init__(self, nz=4, ngf=4):
        super().__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(nz, ngf * 2, 4, 1, 0, bias=False), nn.BatchNorm2d(ngf * 2), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf), nn.ReLU(True),
            nn.ConvTranspose2d(ngf, 1, 4, 2, 1, bias=False), nn.Tanh())

    def forward(self, z):
        return self.main(z)


class D(nn.Module):
    def __init__(self, ndf=4):
        super().__init__()
        SN = nn.utils.spectral_norm
        self.main = nn.Sequential(
            SN(nn.Conv2d(1, ndf, 4, 2, 1)), nn.LeakyReLU(0.2, inplace=True),
            SN(nn.Conv2d(ndf, ndf * 2, 4, 2, 1)), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 2, 1, 4, 1, 0))

    def forward(self, x):
        return self.main(x).view(-1)


def weights_init(m):
    name = m.__class__.__name__
    if name.find("Conv") != -1 and hasattr(m, "weight") and not hasattr(m, "weight_orig"):
        nn.init.normal_(m.weight.data, 0.0, 0.02)
    elif name.find("BatchNorm") != -1:
        nn.init.normal_(m.weight.data, 1.0, 0.02)
        nn.init.constant_(m.bias.data, 0)


torch.manual_seed(2)
netG, netD = G(), D()
netG.apply(weights_init)
netD.apply(weights_init)
print(netD)
print(sorted(k for k in netD.state_dict().keys()))
optG = torch.optim.Adam(netG.parameters(), lr=2e-4, betas=(0.5, 0.999))
optD = torch.optim.Adam(netD.parameters(), lr=2e-4, betas=(0.5, 0.999))
crit = nn.BCEWithLogitsLoss()
real = torch.rand(3, 1, 16, 16) * 2 - 1
for step in range(2):
    netD.zero_grad()
    out_real = netD(real)
    errD_real = crit(out_real, torch.ones(3))
    z = torch.randn(3, 4, 1, 1)
    fake = netG(z)
    errD_fake = crit(netD(fake.detach()), torch.zeros(3))
    (errD_real + errD_fake).backward()
    optD.step()
    netG.zero_grad()
    errG = crit(netD(fake), torch.ones(3))
    errG.backward()
    optG.step()
    print("gan", step, tuple(fake.shape), r(errD_real), r(errD_fake), r(errG),
          r(netD.main[0].weight_orig.grad.norm()), r(netG.main[0].weight.grad.norm()))
print("u norm", r(netD.main[0].weight_u.norm()), r(netD.main[2].weight_v.norm()))
print("bn running", [round(v, 4) for v in netG.main[1].running_mean.tolist()], int(netG.main[1].num_batches_tracked))
netG.eval()
netD.eval()
with torch.no_grad():
    sample = netG(torch.randn(2, 4, 1, 1))
    d_eval = netD(sample)
print("eval", s(sample), [round(v, 4) for v in d_eval.tolist()])
pw = nn.BCEWithLogitsLoss(pos_weight=torch.tensor([3.0]))
print("pos_weight", r(pw(torch.randn(4, 1), torch.tensor([[1.0], [0.0], [1.0], [0.0]]))))
sc_real, sc_fake = torch.randn(4), torch.randn(4)
print("hinge", r(F.relu(1 - sc_real).mean() + F.relu(1 + sc_fake).mean()), r(F.softplus(-sc_real).mean()))
