# REINFORCE on a deterministic bandit-like chain using torch.distributions.Categorical.
import torch
import torch.nn as nn
from torch.distributions import Categorical

N_STATES, N_ACTIONS = 4, 3
REWARDS = torch.tensor([[1.0, 0.0, -1.0], [0.0, 2.0, 0.5], [-1.0, 0.5, 1.5], [0.2, 0.2, 3.0]])


class Policy(nn.Module):
    def __init__(self):
        super().__init__()
        self.logits = nn.Parameter(torch.zeros(N_STATES, N_ACTIONS))

    def forward(self, state):
        return Categorical(logits=self.logits[state])


policy = Policy()
opt = torch.optim.Adam(policy.parameters(), lr=0.1)
gamma = 0.9
for episode in range(8):
    log_probs = []
    rewards = []
    entropies = []
    for t in range(N_STATES):
        dist = policy(t)
        # a fixed behaviour (the greedy action of a fixed schedule) keeps the run deterministic
        action = torch.tensor((t + episode) % N_ACTIONS)
        log_probs.append(dist.log_prob(action))
        entropies.append(dist.entropy())
        rewards.append(REWARDS[t, action].item())
    returns = []
    G = 0.0
    for r in reversed(rewards):
        G = r + gamma * G
        returns.insert(0, G)
    returns = torch.tensor(returns)
    returns = (returns - returns.mean()) / (returns.std() + 1e-8)
    loss = -(torch.stack(log_probs) * returns).sum() - 0.01 * torch.stack(entropies).sum()
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"episode {episode}: loss {loss.item():.4f} return {sum(rewards):.2f}")
with torch.no_grad():
    d = Categorical(logits=policy.logits)
    print(d.probs.round(decimals=4))
    print(d.entropy().round(decimals=4), d.logits.shape, d.batch_shape, d.event_shape)
    print(d.log_prob(torch.tensor([0, 1, 2, 2])).round(decimals=4))
    print(d.probs.argmax(dim=-1), d.mode if hasattr(d, "mode") else None)
p = Categorical(probs=torch.tensor([0.1, 0.2, 0.7]))
print(p.probs, p.logits.round(decimals=4), p.entropy())
print(p.sample().shape, p.sample((5,)).shape, p.param_shape)
