# "Generative Adversarial Networks in 50 lines of code" (2017): samplers returning lambdas,
# F.elu/F.sigmoid (deprecated alias), decorate_with_diffs via torch.cat, extract(v) through
# v.data.storage().tolist(), stats with numpy, BCELoss on Variable(torch.ones(1)) targets
# (a size mismatch torch now refuses), and the alternating D/G updates.
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.autograd import Variable

np.random.seed(0)
torch.manual_seed(0)
data_mean, data_stddev = 4, 1.25
g_input_size, g_hidden_size, g_output_size = 1, 8, 1
d_input_size, d_hidden_size, d_output_size = 20, 8, 1
minibatch_size = d_input_size
d_learning_rate = g_learning_rate = 2e-4
optim_betas = (0.9, 0.999)


def get_distribution_sampler(mu, sigma):
    return lambda n: torch.Tensor(np.random.normal(mu, sigma, (1, n)))


def get_generator_input_sampler():
    return lambda m, n: torch.rand(m, n)


class Generator(nn.Module):
    def __init__(self, input_size, hidden_size, output_size):
        super(Generator, self).__init__()
        self.map1 = nn.Linear(input_size, hidden_size)
        self.map2 = nn.Linear(hidden_size, hidden_size)
        self.map3 = nn.Linear(hidden_size, output_size)

    def forward(self, x):
        x = F.elu(self.map1(x))
        x = F.sigmoid(self.map2(x))
        return self.map3(x)


class Discriminator(nn.Module):
    def __init__(self, input_size, hidden_size, output_size):
        super(Discriminator, self).__init__()
        self.map1 = nn.Linear(input_size, hidden_size)
        self.map2 = nn.Linear(hidden_size, hidden_size)
        self.map3 = nn.Linear(hidden_size, output_size)

    def forward(self, x):
        x = F.elu(self.map1(x))
        x = F.elu(self.map2(x))
        return F.sigmoid(self.map3(x))


def extract(v):
    return v.data.storage().tolist()


def stats(d):
    return [np.mean(d), np.std(d)]


def decorate_with_diffs(data, exponent):
    mean = torch.mean(data.data, 1, keepdim=True)
    mean_broadcast = torch.mul(torch.ones(data.size()), mean.tolist()[0][0])
    diffs = torch.pow(data - Variable(mean_broadcast), exponent)
    return torch.cat([data, diffs], 1)


d_sampler = get_distribution_sampler(data_mean, data_stddev)
gi_sampler = get_generator_input_sampler()
G = Generator(input_size=g_input_size, hidden_size=g_hidden_size, output_size=g_output_size)
D = Discriminator(input_size=d_input_size, hidden_size=d_hidden_size, output_size=d_output_size)
criterion = nn.BCELoss()
d_optimizer = optim.Adam(D.parameters(), lr=d_learning_rate, betas=optim_betas)
g_optimizer = optim.Adam(G.parameters(), lr=g_learning_rate, betas=optim_betas)

sample = Variable(d_sampler(d_input_size))
print(sample.size(), sample.type(), len(extract(sample)), decorate_with_diffs(sample, 2.0).size())
try:
    criterion(D(sample), Variable(torch.ones(1)))
except ValueError as e:
    print('ValueError:', e)

for epoch in range(30):
    for d_index in range(2):
        D.zero_grad()
        d_real_data = Variable(d_sampler(d_input_size))
        d_real_decision = D(d_real_data)
        d_real_error = criterion(d_real_decision, Variable(torch.ones(1, 1)))
        d_real_error.backward()
        d_gen_input = Variable(gi_sampler(minibatch_size, g_input_size))
        d_fake_data = G(d_gen_input).detach()
        d_fake_decision = D(d_fake_data.t())
        d_fake_error = criterion(d_fake_decision, Variable(torch.zeros(1, 1)))
        d_fake_error.backward()
        d_optimizer.step()
    G.zero_grad()
    gen_input = Variable(gi_sampler(minibatch_size, g_input_size))
    g_fake_data = G(gen_input)
    dg_fake_decision = D(g_fake_data.t())
    g_error = criterion(dg_fake_decision, Variable(torch.ones(1, 1)))
    g_error.backward()
    g_optimizer.step()
    if epoch % 10 == 0:
        print("%s: D: %.4f/%.4f G: %.4f (Real: %s, Fake: %s) " % (
            epoch, extract(d_real_error)[0], extract(d_fake_error)[0], extract(g_error)[0],
            np.round(stats(extract(d_real_data)), 2), np.round(stats(extract(d_fake_data)), 3)))
print(type(g_fake_data.data.storage()).__name__, g_fake_data.data.storage().size(),
      g_fake_data.data.storage().dtype)
