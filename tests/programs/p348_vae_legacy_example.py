# The 2017 pytorch/examples VAE on tiny binary "images": reparameterize with
# std = logvar.mul(0.5).exp_() and eps = Variable(std.data.new(std.size()).normal_()),
# F.binary_cross_entropy(..., size_average=False), KLD written out, train_loss += loss.data,
# test() under volatile Variables, and sampling from the prior.
import torch
import torch.nn.functional as F
import torch.utils.data
from torch import nn, optim
from torch.autograd import Variable

torch.manual_seed(1)
D, H, Z = 16, 12, 2
protos = (torch.rand(4, D) > 0.5).float()
data = protos[torch.arange(64) % 4]
flip = (torch.rand(64, D) < 0.05).float()
data = (data - flip).abs()
train_loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(data[:48], data[:48]),
                                           batch_size=16, shuffle=True)
test_loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(data[48:], data[48:]),
                                          batch_size=16)


class VAE(nn.Module):
    def __init__(self):
        super(VAE, self).__init__()
        self.fc1 = nn.Linear(D, H)
        self.fc21 = nn.Linear(H, Z)
        self.fc22 = nn.Linear(H, Z)
        self.fc3 = nn.Linear(Z, H)
        self.fc4 = nn.Linear(H, D)
        self.relu = nn.ReLU()
        self.sigmoid = nn.Sigmoid()

    def encode(self, x):
        h1 = self.relu(self.fc1(x))
        return self.fc21(h1), self.fc22(h1)

    def reparameterize(self, mu, logvar):
        if self.training:
            std = logvar.mul(0.5).exp_()
            eps = Variable(std.data.new(std.size()).normal_())
            return eps.mul(std).add_(mu)
        else:
            return mu

    def decode(self, z):
        h3 = self.relu(self.fc3(z))
        return self.sigmoid(self.fc4(h3))

    def forward(self, x):
        mu, logvar = self.encode(x.view(-1, D))
        z = self.reparameterize(mu, logvar)
        return self.decode(z), mu, logvar


model = VAE()
optimizer = optim.Adam(model.parameters(), lr=1e-2)


def loss_function(recon_x, x, mu, logvar):
    BCE = F.binary_cross_entropy(recon_x, x.view(-1, D), size_average=False)
    # 0.5 * sum(1 + log(sigma^2) - mu^2 - sigma^2)
    KLD = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return BCE + KLD


def train(epoch):
    model.train()
    train_loss = 0
    for batch_idx, (data, _) in enumerate(train_loader):
        data = Variable(data)
        optimizer.zero_grad()
        recon_batch, mu, logvar = model(data)
        loss = loss_function(recon_batch, data, mu, logvar)
        loss.backward()
        train_loss += loss.data
        optimizer.step()
    print('====> Epoch: {} Average loss: {:.3f}'.format(
        epoch, train_loss.item() / len(train_loader.dataset)))
    return train_loss


def test(epoch):
    model.eval()
    test_loss = 0
    for i, (data, _) in enumerate(test_loader):
        data = Variable(data, volatile=True)
        recon_batch, mu, logvar = model(data)
        test_loss += loss_function(recon_batch, data, mu, logvar).item()
        if i == 0:
            n = min(data.size(0), 4)
            comparison = torch.cat([data[:n], recon_batch.view(16, D)[:n]])
    test_loss /= len(test_loader.dataset)
    print('====> Test set loss: {:.3f}'.format(test_loss), comparison.size())


for epoch in range(1, 6):
    tl = train(epoch)
    test(epoch)
print(type(tl).__name__, tl.dim(), tl.requires_grad)
with torch.no_grad():
    sample = Variable(torch.randn(8, Z))
    sample = model.decode(sample).cpu()
print(sample.size(), round(sample.mean().item(), 3), (sample.round() == sample.round()).all())
model.eval()
recon, mu, logvar = model(data[:4])
print(torch.equal(recon, model.decode(mu)), mu.size(), (recon > 0.5).float().sub(data[:4]).abs().sum(1))
