# REINFORCE on a tiny deterministic bandit environment with discounted, normalised returns.
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim


class Policy(nn.Module):
    def __init__(self):
        super(Policy, self).__init__()
        self.affine1 = nn.Linear(3, 8)
        self.affine2 = nn.Linear(8, 2)
        self.saved_log_probs = []
        self.rewards = []

    def forward(self, x):
        x = F.relu(self.affine1(x))
        action_scores = self.affine2(x)
        return F.softmax(action_scores, dim=1)


policy = Policy()
rng = np.random.default_rng(20)
with torch.no_grad():
    for p in policy.parameters():
        p.copy_(torch.from_numpy(rng.uniform(-0.5, 0.5, p.shape).astype(np.float32)))
optimizer = optim.Adam(policy.parameters(), lr=1e-2)
eps = np.finfo(np.float32).eps.item()
gamma = 0.9


def select_action(state):
    state = torch.from_numpy(state).float().unsqueeze(0)
    probs = policy(state)
    action = probs.argmax(dim=1)
    policy.saved_log_probs.append(torch.log(probs.gather(1, action.unsqueeze(1))).squeeze())
    return action.item()


def finish_episode():
    R = 0
    policy_loss = []
    returns = []
    for r in policy.rewards[::-1]:
        R = r + gamma * R
        returns.insert(0, R)
    returns = torch.tensor(returns)
    returns = (returns - returns.mean()) / (returns.std() + eps)
    for log_prob, R in zip(policy.saved_log_probs, returns):
        policy_loss.append(-log_prob * R)
    optimizer.zero_grad()
    policy_loss = torch.stack(policy_loss).sum()
    policy_loss.backward()
    optimizer.step()
    del policy.rewards[:]
    del policy.saved_log_probs[:]
    return policy_loss.item()


states = rng.standard_normal((5, 3)).astype(np.float32)
for episode in range(4):
    actions = []
    for t, state in enumerate(states):
        action = select_action(state)
        actions.append(action)
        policy.rewards.append(1.0 if action == t % 2 else -0.5)
    ep_reward = sum(policy.rewards)
    loss = finish_episode()
    print(f"episode {episode} reward {ep_reward:.2f} loss {loss:.4f} actions {actions}")
