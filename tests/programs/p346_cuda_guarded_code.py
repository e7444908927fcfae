# Code that had to run with and without a GPU: use_cuda flags, dtype = torch.cuda.FloatTensor
# if use_cuda else torch.FloatTensor, .cuda() calls behind if-guards, map_location, a device
# object from 0.4 on, pin_memory only with CUDA, and cuda queries that are safe on CPU.
import torch
import torch.nn as nn
from torch.autograd import Variable

use_cuda = torch.cuda.is_available()
FloatTensor = torch.cuda.FloatTensor if use_cuda else torch.FloatTensor
LongTensor = torch.cuda.LongTensor if use_cuda else torch.LongTensor
ByteTensor = torch.cuda.ByteTensor if use_cuda else torch.ByteTensor
Tensor = FloatTensor
device = torch.device("cuda:0" if use_cuda else "cpu")
print(use_cuda, device, device.type, torch.cuda.device_count())
print(FloatTensor.__name__ if hasattr(FloatTensor, '__name__') else FloatTensor)

torch.manual_seed(0)
if use_cuda:
    torch.cuda.manual_seed(0)
x = torch.randn(4, 3).type(FloatTensor)
labels = LongTensor([0, 1, 1, 0])
mask = ByteTensor([1, 0, 1, 0])
print(x.type(), labels.type(), mask.type(), x.is_cuda, labels.device)


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.fc = nn.Linear(3, 2)

    def forward(self, x):
        return self.fc(x)


model = Net()
if use_cuda:
    model.cuda()
model = model.to(device)
print(next(model.parameters()).is_cuda, next(model.parameters()).device)
criterion = nn.CrossEntropyLoss()
if use_cuda:
    criterion = criterion.cuda()
optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
for step in range(10):
    inputs = Variable(x.cuda() if use_cuda else x)
    target = Variable(labels.cuda()) if use_cuda else Variable(labels)
    loss = criterion(model(inputs), target)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print('loss', round(loss.item(), 4), loss.cpu().data.numpy().shape)


def to_var(x, volatile=False):
    if torch.cuda.is_available():
        x = x.cuda()
    return Variable(x, volatile=volatile)


def to_np(x):
    return x.data.cpu().numpy()


out = model(to_var(torch.ones(2, 3)))
print(to_np(out).round(4), to_np(out).dtype)
print(x.to(device).device, x.cpu().type(), x.to('cpu', torch.float64).dtype,
      x.to(torch.device('cpu')).data_ptr() == x.data_ptr())
kwargs = {'num_workers': 1, 'pin_memory': True} if use_cuda else {}
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, labels), batch_size=2, **kwargs)
print(len(loader), kwargs)
print(torch.cuda.is_available(), torch.backends.cudnn.enabled in (True, False),
      torch.device('cpu') == torch.device('cpu', ) , str(torch.device('cuda', 1)))
print(torch.zeros(2, device=device).device, torch.ones(1).new_zeros(2).device,
      torch.zeros(2, device='cpu').is_cuda)
if not use_cuda:
    try:
        torch.zeros(1).cuda()
    except (AssertionError, RuntimeError) as e:
        print(type(e).__name__)
cpu_model = Net()
cpu_model.load_state_dict({k: v.cpu() for k, v in model.state_dict().items()})
print(torch.equal(cpu_model(x.cpu()), model(x).cpu()))
