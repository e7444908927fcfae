# The 2017 RL examples on a toy chain environment: REINFORCE with policy.saved_log_probs,
# Categorical, returns normalised by (std + np.finfo(np.float32).eps), torch.cat(policy_loss),
# and DQN with a namedtuple ReplayMemory, Transition(*zip(*transitions)), a ByteTensor
# non-final mask, gather(1, action), max(1)[0].detach(), smooth_l1_loss, grad clamp_.
import random
from collections import namedtuple

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.autograd import Variable
from torch.distributions import Categorical

random.seed(0)
np.random.seed(0)
torch.manual_seed(0)
eps = np.finfo(np.float32).eps.item()
N_STATES = 5


class ChainEnv(object):
    """Walk left/right on a chain; reward 1 at the right end, which ends the episode."""

    def reset(self):
        self.pos = 0
        return self._obs()

    def _obs(self):
        return np.eye(N_STATES, dtype=np.float32)[self.pos]

    def step(self, action):
        self.pos = max(0, min(N_STATES - 1, self.pos + (1 if action == 1 else -1)))
        done = self.pos == N_STATES - 1
        return self._obs(), (1.0 if done else -0.01), done, {}


env = ChainEnv()


class Policy(nn.Module):
    def __init__(self):
        super(Policy, self).__init__()
        self.affine1 = nn.Linear(N_STATES, 16)
        self.affine2 = nn.Linear(16, 2)
        self.saved_log_probs = []
        self.rewards = []

    def forward(self, x):
        x = F.relu(self.affine1(x))
        action_scores = self.affine2(x)
        return F.softmax(action_scores, dim=1)


policy = Policy()
optimizer = optim.Adam(policy.parameters(), lr=1e-2)


def select_action(state):
    state = torch.from_numpy(state).float().unsqueeze(0)
    probs = policy(Variable(state))
    m = Categorical(probs)
    action = m.sample()
    policy.saved_log_probs.append(m.log_prob(action))
    return action.item()


def finish_episode(gamma=0.99):
    R = 0
    policy_loss = []
    rewards = []
    for r in policy.rewards[::-1]:
        R = r + gamma * R
        rewards.insert(0, R)
    rewards = torch.Tensor(rewards)
    rewards = (rewards - rewards.mean()) / (rewards.std() + eps)
    for log_prob, reward in zip(policy.saved_log_probs, rewards):
        policy_loss.append(-log_prob * reward)
    optimizer.zero_grad()
    policy_loss = torch.cat(policy_loss).sum()
    policy_loss.backward()
    optimizer.step()
    del policy.rewards[:]
    del policy.saved_log_probs[:]
    return policy_loss


running_reward = 10
for i_episode in range(1, 31):
    state = env.reset()
    for t in range(50):
        action = select_action(state)
        state, reward, done, _ = env.step(action)
        policy.rewards.append(reward)
        if done:
            break
    running_reward = running_reward * 0.99 + t * 0.01
    loss = finish_episode()
    if i_episode % 10 == 0:
        print('Episode {}\tLast length: {:5d}\tAverage length: {:.2f}\tloss {:.3f}'.format(
            i_episode, t, running_reward, loss.item()))

Transition = namedtuple('Transition', ('state', 'action', 'next_state', 'reward'))


class ReplayMemory(object):
    def __init__(self, capacity):
        self.capacity = capacity
        self.memory = []
        self.position = 0

    def push(self, *args):
        if len(self.memory) < self.capacity:
            self.memory.append(None)
        self.memory[self.position] = Transition(*args)
        self.position = (self.position + 1) % self.capacity

    def sample(self, batch_size):
        return random.sample(self.memory, batch_size)

    def __len__(self):
        return len(self.memory)


model = nn.Sequential(nn.Linear(N_STATES, 16), nn.ReLU(), nn.Linear(16, 2))
optimizer = optim.RMSprop(model.parameters(), lr=1e-2)
memory = ReplayMemory(200)
BATCH_SIZE, GAMMA = 16, 0.9
FloatTensor, LongTensor, ByteTensor = torch.FloatTensor, torch.LongTensor, torch.ByteTensor


def select_greedy(state, eps_threshold):
    if random.random() > eps_threshold:
        return model(Variable(state, volatile=True).type(FloatTensor)).data.max(1)[1].view(1, 1)
    return LongTensor([[random.randrange(2)]])


def optimize_model():
    if len(memory) < BATCH_SIZE:
        return None
    transitions = memory.sample(BATCH_SIZE)
    batch = Transition(*zip(*transitions))
    non_final_mask = ByteTensor(tuple(map(lambda s: s is not None, batch.next_state)))
    non_final_next_states = Variable(torch.cat([s for s in batch.next_state if s is not None]),
                                     volatile=True)
    state_batch = Variable(torch.cat(batch.state))
    action_batch = Variable(torch.cat(batch.action))
    reward_batch = Variable(torch.cat(batch.reward))
    state_action_values = model(state_batch).gather(1, action_batch)
    next_state_values = Variable(torch.zeros(BATCH_SIZE).type(torch.Tensor))
    next_state_values[non_final_mask.bool()] = model(non_final_next_states).max(1)[0].detach()
    expected_state_action_values = (next_state_values * GAMMA) + reward_batch
    loss = F.smooth_l1_loss(state_action_values, expected_state_action_values.unsqueeze(1))
    optimizer.zero_grad()
    loss.backward()
    for param in model.parameters():
        param.grad.data.clamp_(-1, 1)
    optimizer.step()
    return loss


steps = 0
for i_episode in range(12):
    state = torch.from_numpy(env.reset()).unsqueeze(0)
    for t in range(30):
        action = select_greedy(state, max(0.05, 0.9 - 0.1 * i_episode))
        obs, reward, done, _ = env.step(action[0, 0].item())
        reward = torch.Tensor([reward])
        next_state = None if done else torch.from_numpy(obs).unsqueeze(0)
        memory.push(state, action, next_state, reward)
        state = next_state
        loss = optimize_model()
        steps += 1
        if done:
            break
    if i_episode % 4 == 3:
        print('episode', i_episode, 'length', t + 1, 'loss', None if loss is None else round(loss.item(), 4))
q = model(torch.eye(N_STATES)).detach()
print(len(memory), steps, q.max(1)[1], q.shape)
