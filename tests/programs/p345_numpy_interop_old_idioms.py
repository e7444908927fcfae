# NumPy round trips as older notebooks wrote them: .data.numpy() and .cpu().data.numpy(),
# np.transpose(img.numpy(), (1, 2, 0)) for imshow, np.argmax on outputs, accuracy with
# np.mean(preds == labels), torch.from_numpy(arr).float()/.long(), shared memory surprises.
import numpy as np
import torch
import torch.nn as nn
from torch.autograd import Variable

np.random.seed(0)
torch.manual_seed(0)

# an "image" batch in NCHW, unnormalised for display the way imshow helpers did
images = torch.rand(4, 3, 5, 6)
img = images[0] / 2 + 0.5  # unnormalize
npimg = img.numpy()
shown = np.transpose(npimg, (1, 2, 0))
print(npimg.shape, shown.shape, shown.dtype, np.round(shown[0, 0], 4))
mean = np.array([0.485, 0.456, 0.406])
std = np.array([0.229, 0.224, 0.225])
inp = images[1].numpy().transpose((1, 2, 0))
inp = np.clip(std * inp + mean, 0, 1)
print(inp.dtype, inp.shape, round(float(inp.max()), 4), round(float(inp.min()), 4))
grid = np.concatenate([np.transpose(im.numpy(), (1, 2, 0)) for im in images], axis=1)
print(grid.shape)

# a classifier evaluated the numpy way
X = np.random.randn(30, 4).astype(np.float32)
y = (X[:, 0] + X[:, 1] > 0).astype(np.int64)
model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 2))
opt = torch.optim.Adam(model.parameters(), lr=0.05)
for epoch in range(40):
    inputs = Variable(torch.from_numpy(X))
    labels = Variable(torch.from_numpy(y))
    outputs = model(inputs)
    loss = nn.CrossEntropyLoss()(outputs, labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
outputs = model(Variable(torch.from_numpy(X)))
preds = np.argmax(outputs.data.numpy(), axis=1)
print('accuracy', np.mean(preds == y), type(np.mean(preds == y)).__name__, preds[:10])
_, predicted = torch.max(outputs.data, 1)
print((predicted.numpy() == preds).all(), predicted.cpu().numpy().dtype)
probs = nn.functional.softmax(outputs, dim=1).cpu().data.numpy()
print(probs.shape, np.allclose(probs.sum(1), 1, atol=1e-6), probs.dtype)
try:
    outputs.numpy()
except RuntimeError as e:
    print('RuntimeError:', e)
print(outputs.detach().numpy().shape, model[0].weight.data.numpy().shape)

# from_numpy shares memory; torch.Tensor(arr) / torch.tensor(arr) copy
arr = np.arange(6, dtype=np.float64).reshape(2, 3)
shared = torch.from_numpy(arr)
copied = torch.Tensor(arr)
copied2 = torch.tensor(arr)
arr[0, 0] = 100
print(shared[0, 0].item(), copied[0, 0].item(), copied2[0, 0].item(), shared.dtype, copied.dtype)
back = shared.numpy()
back[1, 1] = -1
print(arr[1, 1], np.shares_memory(arr, back))
f = torch.from_numpy(arr).float()
f[0, 0] = 7
print(arr[0, 0], f.dtype, torch.from_numpy(arr).long().dtype, torch.from_numpy(y).type())

# numpy scalars and arrays mixing with tensors
t = torch.FloatTensor([1.0, 2.0, 3.0])
print(t * np.float32(2), (t + np.float64(0.5)).dtype, t[np.int64(1)], t.numpy().tolist())
print(np.float32(3) * torch.ones(2), type(t.sum().item()).__name__, float(t.mean()))
print(torch.from_numpy(np.array([True, False])), torch.from_numpy(np.zeros((2, 0))).shape)
print(np.asarray(t), np.array(t, dtype=np.float64).dtype, np.exp(t.numpy()).round(3))
idx = np.array([2, 0])
print(t[idx], t[torch.from_numpy(idx)], t[list(idx)])
batch = [np.random.rand(3).astype(np.float32) for _ in range(4)]
stacked = torch.stack([torch.from_numpy(b) for b in batch])
print(stacked.shape, torch.from_numpy(np.stack(batch)).equal(stacked))
print(torch.from_numpy(np.ascontiguousarray(np.flip(np.arange(4)))), torch.tensor(np.flip(np.arange(3)).copy()))
