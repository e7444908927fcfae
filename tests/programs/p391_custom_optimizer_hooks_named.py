# Hand-written optimizers (subclassing torch.optim.Optimizer), step hooks, global hooks,
# named parameters in param groups and checkpoint surgery through state-dict hooks.
import copy
import io
import torch
import torch.nn as nn
from torch.optim.optimizer import register_optimizer_step_pre_hook, register_optimizer_step_post_hook

torch.manual_seed(0)


class SignSGD(torch.optim.Optimizer):
    def __init__(self, params, lr=0.01, momentum=0.0):
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        super().__init__(params, dict(lr=lr, momentum=momentum))

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = 0
                    state["buf"] = torch.zeros_like(p)
                state["step"] += 1
                buf = state["buf"]
                buf.mul_(group["momentum"]).add_(p.grad)
                p.add_(buf.sign(), alpha=-group["lr"])
        return loss


class LookaheadSGD(torch.optim.SGD):
    """Subclass of a built-in optimizer that calls super().step()."""

    def __init__(self, params, k=2, alpha=0.5, **kw):
        super().__init__(params, **kw)
        self.k, self.alpha, self.counter = k, alpha, 0
        self.slow = [p.detach().clone() for g in self.param_groups for p in g["params"]]

    def step(self, closure=None):
        loss = super().step(closure)
        self.counter += 1
        if self.counter % self.k == 0:
            with torch.no_grad():
                params = [p for g in self.param_groups for p in g["params"]]
                for p, s in zip(params, self.slow):
                    s.add_(p - s, alpha=self.alpha)
                    p.copy_(s)
        return loss


model = nn.Sequential(nn.Linear(3, 5), nn.ReLU(), nn.Linear(5, 1))
x = torch.randn(20, 3)
y = x.sum(1, keepdim=True)
events = []
g_pre = register_optimizer_step_pre_hook(lambda o, a, k: events.append(("gpre", type(o).__name__)))
g_post = register_optimizer_step_post_hook(lambda o, a, k: events.append(("gpost", type(o).__name__)))

opt = SignSGD(model.parameters(), lr=0.01, momentum=0.9)
h = opt.register_step_pre_hook(lambda o, a, k: events.append(("pre", len(a), sorted(k))))
h2 = opt.register_step_post_hook(lambda o, a, k: events.append(("post", o.state[model[0].weight]["step"])))


def closure():
    opt.zero_grad()
    loss = nn.functional.mse_loss(model(x), y)
    loss.backward()
    return loss


for i in range(3):
    loss = opt.step(closure)
    print(i, round(loss.item(), 4))
print(events)
events.clear()
h.remove(); h2.remove()
print(opt)
sd = opt.state_dict()
print(sd["state"][0]["step"], type(sd["state"][0]["step"]).__name__, sorted(sd["state"][0]))
print(sd["param_groups"])
opt_copy = copy.deepcopy(opt)
print(type(opt_copy).__name__, opt_copy.state[opt_copy.param_groups[0]["params"][0]]["step"])

# subclass of SGD calling super().step(): hooks fire once per step
torch.manual_seed(0)
model2 = nn.Linear(3, 1)
la = LookaheadSGD(model2.parameters(), k=2, alpha=0.5, lr=0.1, momentum=0.9)
la.register_step_post_hook(lambda o, a, k: events.append(("la_post", o.counter)))
for i in range(4):
    la.zero_grad()
    loss = nn.functional.mse_loss(model2(x), y)
    loss.backward()
    la.step()
    print("la", i, round(loss.item(), 4), round(model2.bias.item(), 4))
print(events)
events.clear()
g_pre.remove(); g_post.remove()
la.step()
print(events)

# pre hook that rewrites the closure argument
def swap_closure(o, args, kwargs):
    return args, {"closure": closure}


opt = SignSGD(model.parameters(), lr=0.01)
opt.register_step_pre_hook(swap_closure)
print(round(opt.step().item(), 4))


def bad_hook(o, args, kwargs):
    return 1


hb = opt.register_step_pre_hook(bad_hook)
try:
    opt.step()
except RuntimeError as e:
    print("RuntimeError", str(e).split(" must return")[1])
hb.remove()

# named parameters in the optimizer (torch >= 2.6)
torch.manual_seed(0)
net = nn.Sequential(nn.Linear(3, 4), nn.Linear(4, 1))
named = list(net.named_parameters())
opt = torch.optim.AdamW([
    {"params": [(n, p) for n, p in named if "bias" not in n], "weight_decay": 0.1},
    {"params": [(n, p) for n, p in named if "bias" in n], "weight_decay": 0.0},
], lr=1e-2)
print([g["param_names"] for g in opt.param_groups])
try:
    opt.add_param_group({"params": [nn.Parameter(torch.zeros(1))]})
except ValueError as e:
    print("ValueError", e)
try:
    torch.optim.SGD([("a", nn.Parameter(torch.ones(1))), nn.Parameter(torch.ones(1))], lr=0.1)
except (ValueError, TypeError) as e:
    print(type(e).__name__, e)
for i in range(2):
    opt.zero_grad()
    nn.functional.mse_loss(net(x), y).backward()
    opt.step()
sd = opt.state_dict()
print([(g["params"], g["param_names"]) for g in sd["param_groups"]])
print(sd["state"][0] is opt.state[net[0].weight], sd["state"][0]["step"])


# remap a checkpoint by parameter name with a load pre-hook
def by_name(optimizer, state_dict):
    saved = state_dict["param_groups"]
    name_to_id = {n: i for g in saved for n, i in zip(g["param_names"], g["params"])}
    new_state = {}
    for g in optimizer.param_groups:
        for n in g["param_names"]:
            pass
    print("remap", sorted(name_to_id))
    return None


opt_sgd_named = torch.optim.SGD(net.named_parameters(), lr=0.1, momentum=0.9)
print(opt_sgd_named.param_groups[0]["param_names"])
opt2 = torch.optim.AdamW([
    {"params": [(n, p) for n, p in named if "bias" not in n]},
    {"params": [(n, p) for n, p in named if "bias" in n]},
], lr=1.0)
opt2.register_load_state_dict_pre_hook(by_name)
opt2.register_load_state_dict_post_hook(lambda o: print("loaded", len(o.state)))
buf = io.BytesIO()
torch.save(opt.state_dict(), buf)
buf.seek(0)
opt2.load_state_dict(torch.load(buf))
print([(g["lr"], g["weight_decay"], g["param_names"]) for g in opt2.param_groups])


# state_dict hooks: pre runs before packing, post may return a new dict
def add_meta(o, sd):
    return {**sd, "meta": {"name": type(o).__name__}}


opt.register_state_dict_pre_hook(lambda o: print("packing", len(o.param_groups)))
opt.register_state_dict_post_hook(add_meta)
opt.register_state_dict_post_hook(lambda o, sd: print("post", sorted(sd)), prepend=True)
sd = opt.state_dict()
print(sorted(sd), sd["meta"])

# loading a state dict shares the saved tensors (no copy), as in torch
p1 = nn.Parameter(torch.ones(2))
o1 = torch.optim.Adam([p1])
p1.grad = torch.ones(2)
o1.step()
p2 = nn.Parameter(torch.ones(2))
o2 = torch.optim.Adam([p2])
o2.load_state_dict(o1.state_dict())
print(o2.state[p2]["exp_avg"] is o1.state[p1]["exp_avg"], o2.param_groups[0]["params"][0] is p2)
p3 = nn.Parameter(torch.ones(2, dtype=torch.float64))
o3 = torch.optim.Adam([p3])
o3.load_state_dict(o1.state_dict())
print(o3.state[p3]["exp_avg"].dtype, o3.state[p3]["step"].dtype)

# state for a non-leaf with retain_grad is allowed
w = torch.ones(2, requires_grad=True)
v = w * 2
v.retain_grad()
try:
    torch.optim.SGD([v], lr=0.1)
    print("non-leaf ok")
except ValueError as e:
    print("ValueError", e)
try:
    torch.optim.SGD([w * 3], lr=0.1)
except ValueError as e:
    print("ValueError", e)
try:
    torch.optim.SGD([1.0], lr=0.1)
except TypeError as e:
    print("TypeError", e)
