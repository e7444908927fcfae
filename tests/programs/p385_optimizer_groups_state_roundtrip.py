# Optimizers with param groups, per-group options changed mid-training, state_dict round trips.
import io
import copy
import torch
import torch.nn as nn

torch.manual_seed(0)


def make_model():
    return nn.Sequential(nn.Linear(5, 8), nn.Tanh(), nn.Linear(8, 2))


model = make_model()
x = torch.randn(32, 5)
y = torch.randint(0, 2, (32,))
crit = nn.CrossEntropyLoss()

decay, no_decay = [], []
for n, p in model.named_parameters():
    (no_decay if n.endswith("bias") else decay).append(p)
opt = torch.optim.AdamW([
    {"params": decay, "weight_decay": 0.1},
    {"params": no_decay, "weight_decay": 0.0, "lr": 3e-3},
], lr=1e-2, betas=(0.9, 0.95), eps=1e-8)
print([sorted(g.keys()) for g in opt.param_groups][0])
print([(g["lr"], g["weight_decay"], len(g["params"])) for g in opt.param_groups])
print(opt.defaults["lr"], opt.defaults["weight_decay"])


def step(o):
    o.zero_grad()
    loss = crit(model(x), y)
    loss.backward()
    o.step()
    return loss.item()


for i in range(3):
    print(i, round(step(opt), 4))

# change per-group options while training
opt.param_groups[0]["lr"] = 5e-3
opt.param_groups[1]["betas"] = (0.8, 0.9)
for g in opt.param_groups:
    g["weight_decay"] *= 0.5
print(round(step(opt), 4))

sd = opt.state_dict()
print(sorted(sd.keys()))
print(sorted(sd["state"].keys()))
print(sorted(sd["state"][0].keys()), sd["state"][0]["step"])
print([g["params"] for g in sd["param_groups"]])
print([(g["lr"], g["betas"], g["weight_decay"]) for g in sd["param_groups"]])
print(sorted(k for k in sd["param_groups"][0].keys()))

# round trip through BytesIO alongside the model
buf = io.BytesIO()
torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "step": 4}, buf)
buf.seek(0)
ck = torch.load(buf, weights_only=True)
model_copy = copy.deepcopy(model)
opt2 = torch.optim.AdamW([
    {"params": [p for n, p in model.named_parameters() if not n.endswith("bias")]},
    {"params": [p for n, p in model.named_parameters() if n.endswith("bias")]},
], lr=1.0)
opt2.load_state_dict(ck["optim"])
print([(g["lr"], g["betas"], g["weight_decay"]) for g in opt2.param_groups])
st = opt2.state[model[0].weight]
print(type(st["step"]).__name__, st["step"], st["exp_avg"].shape)
print(torch.equal(st["exp_avg"], opt.state[model[0].weight]["exp_avg"]))
print(st["exp_avg"] is opt.state[model[0].weight]["exp_avg"])

# continue training with both; they must agree
ref_state = copy.deepcopy(model.state_dict())
l1 = [round(step(opt), 5) for _ in range(2)]
model.load_state_dict(ref_state)
l2 = [round(step(opt2), 5) for _ in range(2)]
print(l1 == l2, l1)

# add a param group mid-training (e.g. unfreezing a new head)
head = nn.Linear(2, 2)
opt.add_param_group({"params": head.parameters(), "lr": 1e-3})
print(len(opt.param_groups), sorted(opt.param_groups[2].keys()) == sorted(opt.param_groups[0].keys()))
print(opt.param_groups[2]["betas"], opt.param_groups[2]["weight_decay"], opt.param_groups[2]["amsgrad"])
try:
    opt.add_param_group({"params": model[0].weight})
except ValueError as e:
    print("ValueError", e)
sd3 = opt.state_dict()
print([g["params"] for g in sd3["param_groups"]])

# loading a state dict with a different number of groups fails
try:
    opt2.load_state_dict(sd3)
except ValueError as e:
    print("ValueError", e)
bad = copy.deepcopy(sd)
bad["param_groups"][0]["params"] = bad["param_groups"][0]["params"][:1]
try:
    opt2.load_state_dict(bad)
except ValueError as e:
    print("ValueError", e)

# SGD with momentum: momentum_buffer state and nesterov per group
torch.manual_seed(0)
model = make_model()
sgd = torch.optim.SGD([{"params": model[0].parameters(), "nesterov": True, "momentum": 0.9},
                       {"params": model[2].parameters()}], lr=0.1, momentum=0.5, dampening=0.0)
for i in range(3):
    print("sgd", i, round(step(sgd), 4))
print(sorted(sgd.state_dict()["state"][0].keys()))
print([(g["momentum"], g["nesterov"]) for g in sgd.param_groups])
sgd.param_groups[1]["momentum"] = 0.0
print("sgd", round(step(sgd), 4))

# zero_grad(set_to_none=False)
sgd.zero_grad(set_to_none=False)
print(model[0].weight.grad.abs().sum().item())
sgd.zero_grad()
print(model[0].weight.grad)

# frozen parameters: grad None are skipped, no state created
for p in model[0].parameters():
    p.requires_grad_(False)
rms = torch.optim.RMSprop(model.parameters(), lr=0.01, momentum=0.9, centered=True)
for i in range(2):
    print("rms", i, round(step(rms), 4))
print(sorted(rms.state_dict()["state"].keys()))
print(sorted(rms.state_dict()["state"][2].keys()))

# Adagrad / Adamax / NAdam state keys
for cls, kw in [(torch.optim.Adagrad, {"lr": 0.1}), (torch.optim.Adamax, {}),
                (torch.optim.NAdam, {}), (torch.optim.RAdam, {}), (torch.optim.Adadelta, {})]:
    o = cls(model[2].parameters(), **kw)
    step(o)
    s0 = o.state_dict()["state"][0]
    print(cls.__name__, sorted(s0.keys()), [type(v).__name__ for _, v in sorted(s0.items())])
