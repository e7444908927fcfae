# Neural style transfer in miniature: fixed conv "feature extractor", Gram-matrix style loss,
# content loss, and an input image optimised with optim.LBFGS and a closure (PyTorch tutorial).
import torch
import torch.nn as nn
import torch.nn.functional as F


def gram_matrix(feat):
    b, c, h, w = feat.size()
    f = feat.view(b * c, h * w)
    g = torch.mm(f, f.t())
    return g.div(b * c * h * w)


class Normalization(nn.Module):
    def __init__(self, mean, std):
        super().__init__()
        self.mean = torch.tensor(mean).view(-1, 1, 1)
        self.std = torch.tensor(std).view(-1, 1, 1)

    def forward(self, img):
        return (img - self.mean) / self.std


class ContentLoss(nn.Module):
    def __init__(self, target):
        super().__init__()
        self.target = target.detach()

    def forward(self, x):
        self.loss = F.mse_loss(x, self.target)
        return x


class StyleLoss(nn.Module):
    def __init__(self, target_feature):
        super().__init__()
        self.target = gram_matrix(target_feature).detach()

    def forward(self, x):
        self.loss = F.mse_loss(gram_matrix(x), self.target)
        return x


cnn = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.Conv2d(4, 4, 3, padding=1),
                    nn.ReLU(), nn.AvgPool2d(2), nn.Conv2d(4, 6, 3, padding=1), nn.ReLU())
with torch.no_grad():
    for i, p in enumerate(cnn.parameters()):
        p.copy_(torch.cos(torch.arange(p.numel(), dtype=torch.float32) * 0.53 + i).view(p.shape) * 0.3)
cnn.eval()
cnn.requires_grad_(False)

H = W = 8
yy, xx = torch.meshgrid(torch.linspace(0, 1, H), torch.linspace(0, 1, W), indexing="ij")
content_img = torch.stack([xx, yy, (xx + yy) / 2]).unsqueeze(0)
style_img = torch.stack([torch.sin(6 * xx), torch.cos(6 * yy), torch.sin(6 * (xx - yy))]).unsqueeze(0)
style_img = (style_img + 1) / 2
print(content_img.shape, style_img.shape)

g = gram_matrix(style_img)
print(g.shape, torch.allclose(g, g.t()))

# build the model with loss layers inserted after chosen convs, as the tutorial does
norm = Normalization([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
model = nn.Sequential(norm)
content_losses, style_losses = [], []
i = 0
for layer in cnn.children():
    if isinstance(layer, nn.Conv2d):
        i += 1
        name = f"conv_{i}"
    elif isinstance(layer, nn.ReLU):
        name = f"relu_{i}"
        layer = nn.ReLU(inplace=False)
    else:
        name = f"pool_{i}"
    model.add_module(name, layer)
    if name == "conv_2":
        target = model(content_img).detach()
        cl = ContentLoss(target)
        model.add_module(f"content_loss_{i}", cl)
        content_losses.append(cl)
    if name in ("conv_1", "conv_2", "conv_3"):
        target_feature = model(style_img).detach()
        sl = StyleLoss(target_feature)
        model.add_module(f"style_loss_{i}", sl)
        style_losses.append(sl)
print([n for n, _ in model.named_children()])

input_img = content_img.clone()
input_img.requires_grad_(True)
optimizer = torch.optim.LBFGS([input_img], lr=0.5, max_iter=5, history_size=10)
style_weight, content_weight = 1e4, 1.0
run = [0]
history = []
for outer in range(4):
    def closure():
        with torch.no_grad():
            input_img.clamp_(0, 1)
        optimizer.zero_grad()
        model(input_img)
        style_score = sum(sl.loss for sl in style_losses) * style_weight
        content_score = sum(cl.loss for cl in content_losses) * content_weight
        loss = style_score + content_score
        loss.backward()
        run[0] += 1
        return loss

    loss = optimizer.step(closure)
    history.append(loss.item())
with torch.no_grad():
    input_img.clamp_(0, 1)
print("closure calls:", run[0])
print("loss went down:", history[-1] < history[0])
print("first loss", f"{history[0]:.5g}")
print(input_img.shape, input_img.requires_grad, input_img.grad.shape)
print(float(input_img.min()) >= 0.0, float(input_img.max()) <= 1.0)
state = optimizer.state[input_img]
print(sorted(state.keys()))
print(optimizer.state_dict()["param_groups"][0]["max_iter"])
