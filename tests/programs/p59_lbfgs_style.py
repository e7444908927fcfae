# The neural-style-transfer pattern: optimise an input image with LBFGS and a closure.
import torch
import torch.nn.functional as F


def gram_matrix(x):
    a, b, c, d = x.size()
    features = x.view(a * b, c * d)
    G = torch.mm(features, features.t())
    return G.div(a * b * c * d)


torch.set_default_dtype(torch.float64)
content = torch.linspace(0, 1, 48).reshape(1, 3, 4, 4)
style = torch.cos(torch.arange(48.0)).reshape(1, 3, 4, 4).abs()
conv = torch.tensor([[[[0.0, 1.0], [1.0, 0.0]]]]).repeat(3, 1, 1, 1)
target_gram = gram_matrix(F.conv2d(style, conv, groups=3))
input_img = content.clone().requires_grad_(True)
optimizer = torch.optim.LBFGS([input_img])
run = [0]
while run[0] <= 30:
    def closure():
        with torch.no_grad():
            input_img.clamp_(0, 1)
        optimizer.zero_grad()
        feats = F.conv2d(input_img, conv, groups=3)
        style_loss = F.mse_loss(gram_matrix(feats), target_gram) * 100
        content_loss = F.mse_loss(input_img, content)
        loss = style_loss + content_loss
        loss.backward()
        run[0] += 1
        if run[0] % 10 == 0 or run[0] < 4:
            print(f"run {run[0]}: style {style_loss.item():.4f} content {content_loss.item():.4f}")
        return style_loss + content_loss
    optimizer.step(closure)
with torch.no_grad():
    input_img.clamp_(0, 1)
print(input_img.shape, round(input_img.mean().item(), 3))
state = optimizer.state[optimizer.param_groups[0]["params"][0]]
print(state["n_iter"] > 0, state["func_evals"] > 0, sorted(optimizer.param_groups[0].keys()))
x = torch.tensor([-1.5, 2.0], requires_grad=True)
opt = torch.optim.LBFGS([x], lr=1, max_iter=50, line_search_fn="strong_wolfe")


def rosen():
    opt.zero_grad()
    loss = (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2
    loss.backward()
    return loss


for _ in range(3):
    loss = opt.step(rosen)
print([round(v, 4) for v in x.tolist()], round(float(loss), 6))
