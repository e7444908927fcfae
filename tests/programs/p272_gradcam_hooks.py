# Grad-CAM the way the popular repos do it: forward hook stores the target conv layer's
# activations, register_full_backward_hook (and tensor.register_hook) store its gradients,
# weights = mean of gradients over H, W; cam = relu(sum(w * A)); upsample with F.interpolate
# and min-max normalise; plus feature-map extraction hooks and hook removal.
import torch
import torch.nn as nn
import torch.nn.functional as F


class SmallCNN(nn.Module):
    def __init__(self, num_classes=4):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
            nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(),
        )
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Linear(16, num_classes)

    def forward(self, x):
        x = self.features(x)
        return self.classifier(torch.flatten(self.pool(x), 1))


class GradCAM:
    def __init__(self, model, target_layer):
        self.model = model
        self.gradients = None
        self.activations = None
        self.handles = [
            target_layer.register_forward_hook(self.save_activation),
            target_layer.register_full_backward_hook(self.save_gradient),
        ]

    def save_activation(self, module, input, output):
        self.activations = output.detach()

    def save_gradient(self, module, grad_input, grad_output):
        # grad_output is a tuple with the gradient w.r.t. the layer's output
        self.gradients = grad_output[0].detach()

    def __call__(self, x, class_idx=None):
        self.model.zero_grad()
        logits = self.model(x)
        if class_idx is None:
            class_idx = logits.argmax(dim=1)
        score = logits.gather(1, class_idx.view(-1, 1)).sum()
        score.backward()
        weights = self.gradients.mean(dim=(2, 3), keepdim=True)
        cam = F.relu((weights * self.activations).sum(dim=1, keepdim=True))
        cam = F.interpolate(cam, size=x.shape[-2:], mode="bilinear", align_corners=False)
        b = cam.shape[0]
        flat = cam.view(b, -1)
        mn, mx = flat.min(dim=1, keepdim=True)[0], flat.max(dim=1, keepdim=True)[0]
        cam = ((flat - mn) / (mx - mn + 1e-8)).view_as(cam)
        return cam, class_idx

    def remove(self):
        for h in self.handles:
            h.remove()


torch.manual_seed(0)
model = SmallCNN()
model.eval()
x = torch.randn(2, 3, 12, 12)
target = model.features[7]  # last conv
cam_fn = GradCAM(model, target)
cam, idx = cam_fn(x)
print("classes:", idx.tolist())
print("cam:", cam.shape, f"{cam.mean().item():.4f}", f"{cam.max().item():.4f}", f"{cam.min().item():.4f}")
print("peak pixel:", [divmod(int(i), 12) for i in cam.view(2, -1).argmax(1)])
print("grad shape:", cam_fn.gradients.shape, "act shape:", cam_fn.activations.shape)
print(cam[0, 0, ::3, ::3].round(decimals=3))
cam_fn.remove()
print("hooks left:", len(target._forward_hooks), len(target._backward_hooks))

# the same gradients with a tensor hook registered inside a forward hook
grads = {}


def fwd_hook(module, inp, out):
    out.register_hook(lambda g: grads.__setitem__("g", g))


h = target.register_forward_hook(fwd_hook)
model.zero_grad()
out = model(x)
out[:, 1].sum().backward()
h.remove()
print("tensor-hook grad norm:", f"{grads['g'].norm().item():.5f}")
cam2, _ = GradCAM(model, target)(x, class_idx=torch.tensor([1, 1]))
print("class-1 cam mean:", f"{cam2.mean().item():.4f}")

# gradient of the input (saliency) and guided-backprop style clamping via a backward hook on ReLU
x_req = x.clone().requires_grad_(True)
model.zero_grad()
model(x_req)[0, idx[0]].backward()
sal = x_req.grad.abs().amax(dim=1)
print("saliency:", sal.shape, f"{sal.sum().item():.4f}")


def clamp_hook(module, grad_in, grad_out):
    return (torch.clamp(grad_in[0], min=0.0),)


handles = [m.register_full_backward_hook(clamp_hook) for m in model.modules() if isinstance(m, nn.ReLU)]
x_req.grad = None
model(x_req)[0, idx[0]].backward()
print("guided grad >= 0 fraction:", f"{(x_req.grad >= 0).float().mean().item():.4f}", f"{x_req.grad.abs().sum().item():.4f}")
for hd in handles:
    hd.remove()

# feature pyramid: grab all conv outputs by name
feats = {}
hooks = [m.register_forward_hook(lambda m, i, o, n=n: feats.__setitem__(n, o.shape))
         for n, m in model.named_modules() if isinstance(m, nn.Conv2d)]
with torch.no_grad():
    model(x)
for hd in hooks:
    hd.remove()
print(feats)
