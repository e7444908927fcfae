# Checkpoints from multi-GPU training: nn.DataParallel on a CPU-only machine, "module."
# prefixed state_dict keys, stripping them with an OrderedDict (k[7:]), loading a bare model's
# weights into a wrapped one, torch.load(..., map_location=lambda storage, loc: storage).
import os
import tempfile
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.fc1 = nn.Linear(4, 6)
        self.bn = nn.BatchNorm1d(6)
        self.fc2 = nn.Linear(6, 3)

    def forward(self, x):
        return self.fc2(F.relu(self.bn(self.fc1(x))))


torch.manual_seed(0)
model = Net()
if torch.cuda.device_count() > 1:
    print("Let's use", torch.cuda.device_count(), "GPUs!")
model = nn.DataParallel(model)
if torch.cuda.is_available():
    model.cuda()
print(type(model).__name__, type(model.module).__name__, model.device_ids)
print(list(model.state_dict().keys()))

x = torch.randn(8, 4)
y = torch.LongTensor([0, 1, 2, 0, 1, 2, 0, 1])
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for _ in range(5):
    opt.zero_grad()
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    opt.step()
print('loss', round(loss.item(), 4))

tmp = tempfile.mkdtemp()
path = os.path.join(tmp, 'checkpoint.pth')
torch.save(model.state_dict(), path)

# 1. the classic fix: strip the prefix
state_dict = torch.load(path, map_location=lambda storage, loc: storage)
new_state_dict = OrderedDict()
for k, v in state_dict.items():
    name = k[7:] if k.startswith('module.') else k  # remove `module.`
    new_state_dict[name] = v
plain = Net()
print(plain.load_state_dict(new_state_dict))
plain.eval()
model.eval()
with torch.no_grad():
    print(torch.equal(plain(x), model(x)), plain(x)[:2].round(decimals=4))

# 2. loading without stripping fails with the key lists in the message
try:
    Net().load_state_dict(state_dict)
except RuntimeError as e:
    print(str(e).splitlines()[0])
    print('Missing' in str(e), 'Unexpected key(s)' in str(e))

# 3. strict=False reports what did not match
result = Net().load_state_dict(state_dict, strict=False)
print(len(result.missing_keys), len(result.unexpected_keys), result.missing_keys[:2])

# 4. the other way round: add the prefix, or load into model.module
wrapped = nn.DataParallel(Net())
wrapped.module.load_state_dict(plain.state_dict())
prefixed = OrderedDict(('module.' + k, v) for k, v in plain.state_dict().items())
wrapped.load_state_dict(prefixed)
print(all(torch.equal(a, b) for a, b in zip(wrapped.state_dict().values(), model.state_dict().values())))
state_dict = torch.load(path, map_location='cpu')
print(sorted({v.dtype for v in state_dict.values()}, key=str), state_dict['module.bn.num_batches_tracked'])
state_dict = torch.load(path, map_location=torch.device('cpu'))
print(type(state_dict).__name__, state_dict['module.fc2.bias'].shape)
# consume_prefix_in_state_dict_if_present does the same in place (torch >= 1.9)
sd = torch.load(path)
torch.nn.modules.utils.consume_prefix_in_state_dict_if_present(sd, 'module.')
print(list(sd.keys())[:3], Net().load_state_dict(sd))
