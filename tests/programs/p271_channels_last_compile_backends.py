# The boilerplate at the top of training scripts: cudnn flags, matmul precision, channels_last
# memory format for model and inputs, torch.compile(model) (eager result is the reference),
# torch.inference_mode, set_num_threads, device selection, and checks of strides/contiguity.
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.backends.cudnn.benchmark = True
torch.backends.cudnn.deterministic = False
torch.backends.cuda.matmul.allow_tf32 = True
torch.backends.cudnn.allow_tf32 = True
torch.set_float32_matmul_precision("high")
print("matmul precision:", torch.get_float32_matmul_precision())
print("cudnn.benchmark:", torch.backends.cudnn.benchmark, "deterministic:", torch.backends.cudnn.deterministic)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print("device:", device, "mps:", torch.backends.mps.is_available())
torch.set_num_threads(1)
print("threads:", torch.get_num_threads())

x = torch.arange(2 * 3 * 4 * 5, dtype=torch.float32).reshape(2, 3, 4, 5)
xc = x.to(memory_format=torch.channels_last)
print("strides:", x.stride(), xc.stride())
print("contiguous:", xc.is_contiguous(), xc.is_contiguous(memory_format=torch.channels_last))
print("equal values:", torch.equal(x, xc), xc.shape)
print("contiguous() strides:", xc.contiguous().stride(), xc.contiguous(memory_format=torch.channels_last).stride())
y = torch.empty(1, 2, 3, 3, memory_format=torch.channels_last)
print("empty channels_last:", y.stride())
print("permute trick:", x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2).is_contiguous(memory_format=torch.channels_last))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.bn = nn.BatchNorm2d(8)
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1, groups=8)
        self.fc = nn.Linear(8, 4)

    def forward(self, x):
        x = F.relu(self.bn(self.conv1(x)))
        x = F.gelu(self.conv2(x))
        x = F.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.fc(x)


torch.manual_seed(0)
model = Net().to(device)
model = model.to(memory_format=torch.channels_last)
print("conv weight channels_last:", model.conv1.weight.is_contiguous(memory_format=torch.channels_last), model.conv1.weight.stride())
print("fc weight untouched:", model.fc.weight.stride())
inp = torch.randn(4, 3, 8, 8).to(device, memory_format=torch.channels_last)
out_eager = model(inp)
compiled = torch.compile(model)
out_comp = compiled(inp)
print("compiled == eager:", torch.allclose(out_eager, out_comp, atol=1e-6), out_comp.shape)
compiled_fn = torch.compile(lambda a, b: torch.sin(a) + torch.cos(b), fullgraph=True)
print(compiled_fn(torch.tensor([0.0, 1.0]), torch.tensor([0.0, 1.0])).round(decimals=4))


@torch.compile(mode="reduce-overhead")
def fused_gelu(x):
    return 0.5 * x * (1.0 + torch.tanh(0.7978845608 * (x + 0.044715 * torch.pow(x, 3.0))))


print("fused gelu:", fused_gelu(torch.tensor([-1.0, 0.0, 1.0])).round(decimals=4), F.gelu(torch.tensor([-1.0, 0.0, 1.0]), approximate="tanh").round(decimals=4))

opt = torch.optim.AdamW(compiled.parameters(), lr=1e-2)
target = torch.tensor([0, 1, 2, 3])
for step in range(3):
    loss = F.cross_entropy(compiled(inp), target)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    print(f"step {step}: {loss.item():.4f}")
print("grad of channels_last weight:", model.conv1.weight.grad.shape)
print("state_dict keys of compiled:", list(compiled.state_dict().keys())[:3])
model.eval()
with torch.inference_mode():
    pred = model(inp)
print("inference_mode:", pred.requires_grad, torch.is_inference_mode_enabled(), pred.argmax(1).tolist())
with torch.no_grad():
    print("no_grad pred equal:", torch.equal(model(inp), pred))
