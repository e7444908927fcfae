# Model surgery: replace layers, freeze parts, count trainable parameters, vectorize parameters.
import torch
import torch.nn as nn
from torch.nn.utils import parameters_to_vector, vector_to_parameters


class Backbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.ReLU(),
            nn.Conv2d(4, 8, 3), nn.BatchNorm2d(8), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1),
        )
        self.classifier = nn.Linear(8, 10)

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


model = Backbone()
total = sum(p.numel() for p in model.parameters())
print("total params", total)
for p in model.features.parameters():
    p.requires_grad_(False)
model.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(8, 3))
trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
print("trainable", trainable, [n for n, p in model.named_parameters() if p.requires_grad])


def freeze_bn(m):
    if isinstance(m, nn.BatchNorm2d):
        m.eval()
        m.weight.requires_grad = False
        m.bias.requires_grad = False


model.train()
model.apply(freeze_bn)
print([m.training for m in model.modules()])
x = torch.ones(2, 3, 7, 7)
before = model.features[1].running_mean.clone()
model(x)
print(torch.equal(before, model.features[1].running_mean), model.features[1].num_batches_tracked)
# swap every ReLU for a LeakyReLU in place
for name, module in model.features.named_children():
    if isinstance(module, nn.ReLU):
        setattr(model.features, name, nn.LeakyReLU(0.1))
print(model.features)
model.features[0] = nn.Conv2d(3, 4, 3, bias=False)
print(model.features[0], model.features[0].bias)
with torch.no_grad():
    for p in model.parameters():
        p.fill_(0.05)
vec = parameters_to_vector(model.parameters())
print(vec.shape, vec.sum())
vector_to_parameters(torch.arange(vec.numel(), dtype=torch.float32) / 1000, model.parameters())
print(model.classifier[1].bias, model.features[0].weight.flatten()[:4])
opt = torch.optim.SGD(filter(lambda p: p.requires_grad, model.parameters()), lr=0.1)
print(len(opt.param_groups[0]["params"]))
del model.classifier[0]
print(model.classifier, len(model.classifier))
model.classifier.append(nn.Softmax(dim=1))
model.classifier.insert(0, nn.Identity())
print(model.classifier)
print(isinstance(model.classifier[1], nn.Linear), type(model.classifier[-1]).__name__)
head = model.classifier[1]
head.weight = nn.Parameter(torch.ones(3, 8))
print(head.weight.sum(), [k for k in model.state_dict() if "classifier" in k])
sd = {k: v for k, v in model.state_dict().items() if not k.startswith("classifier")}
fresh = Backbone()
missing, unexpected = fresh.load_state_dict(sd, strict=False)
print(missing, unexpected)
print(sum(b.numel() for b in model.buffers()), [n for n, _ in model.named_buffers()][:3])
model.requires_grad_(True)
print(all(p.requires_grad for p in model.parameters()))
model.zero_grad()
print(model.features[4].weight.grad)
