# k-means from scratch with cdist/argmin and centroid updates via scatter_add_ / index_add_.
import torch

points = torch.tensor([
    [0.0, 0.0], [0.2, 0.1], [0.1, 0.3], [-0.1, 0.2],
    [3.0, 3.1], [3.2, 2.9], [2.9, 3.3], [3.1, 3.0],
    [0.0, 4.0], [0.3, 4.2], [-0.2, 3.9], [0.1, 4.1],
])
k = 3
centroids = points[[0, 1, 2]].clone()
for it in range(6):
    d = torch.cdist(points, centroids)
    assign = d.argmin(dim=1)
    sums = torch.zeros(k, 2).index_add_(0, assign, points)
    counts = torch.bincount(assign, minlength=k).float()
    new = sums / counts.clamp(min=1).unsqueeze(1)
    shift = (new - centroids).norm(dim=1).max()
    centroids = new
    print(f"iter {it}: assign={assign.tolist()} shift={shift.item():.4f}")
    if shift < 1e-6:
        break
print(centroids)
# the same update with scatter_add_ on an expanded index
idx = assign.unsqueeze(1).expand(-1, 2)
sums2 = torch.zeros(k, 2).scatter_add_(0, idx, points)
print(torch.allclose(sums2 / counts.unsqueeze(1), centroids))
inertia = ((points - centroids[assign]) ** 2).sum()
print(f"inertia {inertia:.4f}")
print(torch.cdist(points[:2], centroids, p=1), torch.cdist(points[:2], centroids, p=float("inf")))
sq = (points.unsqueeze(1) - centroids.unsqueeze(0)).pow(2).sum(-1)
print(torch.allclose(sq.sqrt(), torch.cdist(points, centroids), atol=1e-5))
print(torch.scatter_reduce(torch.zeros(k), 0, assign, points[:, 0], reduce="amax", include_self=False))
print(torch.zeros(k).scatter_reduce(0, assign, points[:, 1], reduce="mean", include_self=False))
print(torch.zeros(k, dtype=torch.long).scatter_add(0, assign, torch.ones_like(assign)))
print(torch.zeros(3, 4).scatter_(1, torch.tensor([[0], [2], [3]]), 1.0))
print(torch.zeros(3, 4).scatter(1, torch.tensor([[1, 2], [0, 0], [3, 1]]), torch.arange(1.0, 7.0).view(3, 2)))
print(torch.full((2, 3), -1.0).index_fill_(1, torch.tensor([0, 2]), 5.0))
print(torch.zeros(4).index_copy_(0, torch.tensor([3, 0]), torch.tensor([9.0, 8.0])))
print(torch.arange(6).view(2, 3).index_select(1, torch.tensor([2, 0])), torch.arange(10).take(torch.tensor([[0, 9], [5, 5]])))
# k-means++ style seeding deterministically: farthest-point selection
chosen = [0]
for _ in range(k - 1):
    dist = torch.cdist(points, points[chosen]).min(dim=1).values
    chosen.append(int(dist.argmax()))
print(chosen, torch.unique(assign, sorted=True), assign.unique(return_inverse=True)[1])
