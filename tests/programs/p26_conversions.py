# item(), tolist(), numpy() and conversions between dtypes.
import numpy as np
import torch

t = torch.tensor([[1.5, 2.0], [3.25, -4.0]])
print(t.tolist(), type(t.tolist()[0][0]).__name__)
print(t[0, 0].item(), type(t[0, 0].item()).__name__)
print(torch.tensor(7).item(), type(torch.tensor(7).item()).__name__)
print(torch.tensor(True).item(), torch.tensor([True]).tolist())
print(torch.tensor(3.0).tolist(), torch.tensor([1, 2]).tolist())
n = t.numpy()
print(n, n.dtype, type(n).__name__)
n[0, 0] = 100
print(t[0, 0])
print(t.int(), t.long(), t.bool(), t.half().dtype, t.double().dtype, t.to(torch.int16).dtype)
print(t.type(torch.int64), t.type(), t.int().type(), t.to(dtype=torch.float64).dtype)
print(torch.tensor([1.7, -1.7]).int(), torch.tensor([2.5, 3.5, -2.5]).round())
print(torch.tensor(np.array([1, 2, 3])).dtype, torch.tensor(np.array([1.0, 2.0])).dtype)
print(torch.tensor(np.float32(3.5)), torch.tensor([np.int64(1), np.int64(2)]))
print(torch.as_tensor([1, 2, 3], dtype=torch.float32), torch.as_tensor(np.arange(3)).dtype)
print(torch.from_numpy(np.arange(6).reshape(2, 3)).T)
arr = np.zeros(3, dtype=np.float32)
tt = torch.from_numpy(arr)
tt += 1
print(arr)
print(np.asarray(torch.tensor([1.0, 2.0])), np.array(torch.arange(3)).dtype)
print(float(torch.tensor(2.5)), int(torch.tensor(3)), bool(torch.tensor(0)), int(torch.tensor([4.9])))
print(torch.tensor([3.0]).numpy().tolist(), torch.zeros(2, requires_grad=True).detach().numpy())
try:
    torch.zeros(2, requires_grad=True).numpy()
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    torch.tensor([1, 2]).item()
except RuntimeError as e:
    print("RuntimeError:", e)
print(torch.tensor([1, 2, 3]) / 2, torch.tensor([1, 2, 3]) // 2, torch.tensor([5, 7]) % 3)
print(torch.tensor([1, 2]) * 1.5, (torch.tensor([1, 2]) + True).dtype, torch.tensor([True, False]).sum())
print(torch.tensor([1, 2], dtype=torch.int32) + torch.tensor([1, 2]), torch.tensor([1.0]) + torch.tensor([1], dtype=torch.float64))
print(torch.tensor([1, 2], dtype=torch.uint8) + 300 if False else torch.tensor([250], dtype=torch.uint8) + 10)
print((torch.tensor([1, 2]) == torch.tensor([1, 3])).dtype, torch.tensor([1, 2]).float().mean())
print(np.float64(2.0) * torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.0]) * np.float64(2.0))
print(torch.tensor(2) ** 10, 2 ** torch.tensor([1, 2]), torch.tensor([4.0]).sqrt(), torch.tensor([-8]).abs())
print(torch.tensor(3).float() / 2, torch.true_divide(torch.tensor(3), 2), torch.floor_divide(torch.tensor(7), 2))
print(len(torch.zeros(4, 2)), list(torch.arange(3)), [int(v) for v in torch.tensor([5, 6])])
print(torch.tensor([[1, 2], [3, 4]]).numpy().sum(axis=0), torch.tensor([1.0, 2.0]).cpu().numpy())
