# Spatial-transformer and patch code: F.affine_grid (4-D and 5-D, align_corners both ways),
# F.grid_sample with every mode x padding_mode, gradients w.r.t. theta and the image, a small
# STN localisation net trained one step; nn.Unfold / nn.Fold with kernel, dilation, padding and
# stride (conv as unfold+matmul, fold(unfold(x)) overlap counts), and patch embedding via unfold.
import torch
import torch.nn as nn
import torch.nn.functional as F


def r(t):
    return round(float(t), 4) + 0.0


def s(t):
    return round(float(t.detach().double().sum()), 4) + 0.0


torch.manual_seed(0)
img = torch.randn(2, 3, 5, 6, requires_grad=True)
theta = torch.tensor([[[0.9, -0.2, 0.1], [0.3, 1.1, -0.2]], [[1.2, 0.0, 0.3], [0.0, 0.7, 0.05]]], requires_grad=True)
for ac in (False, True):
    grid = F.affine_grid(theta, (2, 3, 4, 7), align_corners=ac)
    print("grid", ac, tuple(grid.shape), s(grid), [round(v, 4) for v in grid[0, 0, 0].tolist()])
    for mode in ["bilinear", "nearest", "bicubic"]:
        for pm in ["zeros", "border", "reflection"]:
            g = F.affine_grid(theta, (2, 3, 4, 7), align_corners=ac)
            out = F.grid_sample(img, g, mode=mode, padding_mode=pm, align_corners=ac)
            gi, gt = torch.autograd.grad(out.pow(2).sum(), (img, theta), allow_unused=True)
            # theta's gradient is a large sum: two decimals. With align_corners=True, border and
            # reflection, grid points exactly on the edge get no gradient in torch; left out.
            gt_n = None if gt is None or (ac and pm != "zeros") else round(float(gt.norm()), 2)
            print(" ", mode, pm, tuple(out.shape), s(out), r(gi.norm()), gt_n)

theta3 = torch.tensor([[[1.0, 0.1, 0.0, 0.1], [0.0, 0.9, 0.2, 0.0], [0.1, 0.0, 1.1, -0.1]]])
vol = torch.randn(1, 2, 3, 4, 5)
grid3 = F.affine_grid(theta3, (1, 2, 2, 3, 4), align_corners=False)
print("grid3", tuple(grid3.shape), s(grid3))
for mode in ["bilinear", "nearest"]:
    print("vol", mode, s(F.grid_sample(vol, grid3, mode=mode, align_corners=False)))

# identity theta reproduces the image with align_corners=False
eye = torch.tensor([[[1.0, 0, 0], [0, 1.0, 0]]]).expand(2, 2, 3)
same = F.grid_sample(img, F.affine_grid(eye, img.shape, align_corners=False), align_corners=False)
print("identity", torch.allclose(same, img, atol=1e-5))


class STN(nn.Module):
    def __init__(self):
        super().__init__()
        self.loc = nn.Sequential(nn.Conv2d(1, 4, 3), nn.MaxPool2d(2, stride=2), nn.ReLU(True))
        self.fc_loc = nn.Sequential(nn.Linear(4 * 3 * 3, 8), nn.ReLU(True), nn.Linear(8, 6))
        self.fc_loc[2].weight.data.zero_()
        self.fc_loc[2].bias.data.copy_(torch.tensor([1, 0, 0, 0, 1, 0], dtype=torch.float))
        self.head = nn.Linear(64, 3)

    def forward(self, x):
        xs = self.loc(x).view(-1, 4 * 3 * 3)
        theta = self.fc_loc(xs).view(-1, 2, 3)
        grid = F.affine_grid(theta, x.size(), align_corners=False)
        x = F.grid_sample(x, grid, align_corners=False)
        return self.head(x.flatten(1)), theta


torch.manual_seed(1)
stn = STN()
opt = torch.optim.SGD(stn.parameters(), lr=0.5)
xi = torch.randn(4, 1, 8, 8)
yi = torch.tensor([0, 1, 2, 1])
for step in range(2):
    opt.zero_grad()
    logits, th = stn(xi)
    loss = F.cross_entropy(logits, yi)
    loss.backward()
    print("stn step", step, r(loss), r(stn.fc_loc[2].weight.grad.norm()), r(stn.fc_loc[2].bias.grad.norm()), r(stn.loc[0].weight.grad.norm()))
    opt.step()
print("theta", [round(v, 4) for v in th[0].flatten().tolist()])

x = torch.randn(2, 3, 7, 8, requires_grad=True)
for kw in [dict(kernel_size=3), dict(kernel_size=(2, 3), stride=2), dict(kernel_size=3, padding=1, dilation=2),
           dict(kernel_size=2, stride=(1, 3), padding=(1, 0))]:
    un = nn.Unfold(**kw)
    cols = un(x)
    print(un, tuple(cols.shape), s(cols))
unf = nn.Unfold(kernel_size=3, padding=1)
cols = unf(x)
w = torch.randn(5, 3, 3, 3)
conv = (w.view(5, -1) @ cols).view(2, 5, 7, 8)
print("unfold conv", torch.allclose(conv, F.conv2d(x, w, padding=1), atol=1e-5))
fold = nn.Fold(output_size=(7, 8), kernel_size=3, padding=1)
print(fold)
ones = torch.ones(1, 3, 7, 8)
div = fold(unf(ones))
print("overlap counts", div[0, 0, 0].tolist(), div[0, 0, 3].tolist())
recon = fold(cols) / div
print("fold(unfold)/counts", torch.allclose(recon, x, atol=1e-6))
recon.pow(2).sum().backward()
print("fold grad", r(x.grad.norm()))
fold2 = nn.Fold(output_size=(6, 9), kernel_size=(2, 3), stride=(2, 3))
blocks = torch.arange(2 * 6 * 9, dtype=torch.float32).view(1, 12, 9)
fo = fold2(blocks[:, :6].repeat(1, 2, 1))
print("fold2", tuple(fo.shape), fo[0, 0, :2].tolist())
print("F.fold unbatched", tuple(F.fold(torch.randn(12, 9), (6, 9), (2, 3), stride=(2, 3)).shape))
print("F.unfold dilation", tuple(F.unfold(x, 2, dilation=(2, 1), stride=(1, 2)).shape))

# ViT-style patch embedding with unfold equals a strided conv
torch.manual_seed(2)
pe = nn.Conv2d(3, 6, 4, stride=4)
im = torch.randn(2, 3, 8, 8)
p = F.unfold(im, 4, stride=4).transpose(1, 2)
tok = p @ pe.weight.view(6, -1).t() + pe.bias
print("patch embed", tuple(tok.shape), torch.allclose(tok, pe(im).flatten(2).transpose(1, 2), atol=1e-5))
