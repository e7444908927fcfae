# Less common optimizers and a custom Optimizer subclass.
import torch
from torch.optim import Optimizer


def rosenbrock(xy):
    x, y = xy
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2


for cls, kw in [(torch.optim.Adadelta, dict(lr=1.0)), (torch.optim.Adamax, dict(lr=0.02)),
                (torch.optim.NAdam, dict(lr=0.02)), (torch.optim.RAdam, dict(lr=0.001)),
                (torch.optim.ASGD, dict(lr=0.001)), (torch.optim.Rprop, dict(lr=0.01)),
                (torch.optim.SGD, dict(lr=0.001, dampening=0.1, momentum=0.5, maximize=False))]:
    p = torch.tensor([-1.5, 2.0], requires_grad=True)
    opt = cls([p], **kw)
    for _ in range(10):
        opt.zero_grad()
        loss = rosenbrock(p)
        loss.backward()
        opt.step()
    print(cls.__name__, [round(v, 4) for v in p.tolist()], round(loss.item(), 3))

p = torch.tensor([-1.5, 2.0], requires_grad=True)
opt = torch.optim.LBFGS([p], lr=1, max_iter=20, history_size=10, line_search_fn="strong_wolfe")


def closure():
    opt.zero_grad()
    loss = rosenbrock(p)
    loss.backward()
    return loss


for _ in range(3):
    opt.step(closure)
print("LBFGS", [round(v, 3) for v in p.tolist()])


class SignSGD(Optimizer):
    def __init__(self, params, lr=0.01, momentum=0.0):
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        defaults = dict(lr=lr, momentum=momentum)
        super().__init__(params, defaults)

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
                p.add_(torch.sign(buf), alpha=-group["lr"])
        return loss


p = torch.tensor([-1.5, 2.0], requires_grad=True)
opt = SignSGD([p], lr=0.05, momentum=0.5)
for _ in range(10):
    opt.zero_grad()
    rosenbrock(p).backward()
    opt.step()
print("SignSGD", [round(v, 4) for v in p.tolist()], opt.state[p]["step"])
sd = opt.state_dict()
print(sd["param_groups"], list(sd["state"].keys()), sorted(sd["state"][0].keys()))
print(opt)
opt2 = SignSGD([torch.zeros(2, requires_grad=True)])
opt2.load_state_dict(sd)
print(opt2.param_groups[0]["lr"], list(opt2.state.values())[0]["step"])
opt.add_param_group({"params": [torch.zeros(1, requires_grad=True)], "lr": 0.5})
print(len(opt.param_groups), opt.param_groups[1]["momentum"])
