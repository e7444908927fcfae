# Minimising the Rosenbrock function with L-BFGS (with and without the strong-Wolfe line search)
# and with first-order optimizers, the classic optimisation-course comparison.
import torch


def rosen(p):
    x, y = p[0], p[1]
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2


for ls in [None, "strong_wolfe"]:
    p = torch.tensor([-1.5, 2.0], requires_grad=True)
    opt = torch.optim.LBFGS([p], lr=1, max_iter=20, history_size=5, line_search_fn=ls,
                            tolerance_grad=1e-9, tolerance_change=1e-12)
    calls = [0]

    def closure():
        opt.zero_grad()
        loss = rosen(p)
        loss.backward()
        calls[0] += 1
        return loss

    for outer in range(5):
        loss = opt.step(closure)
        print(f"{ls} step {outer}: loss {loss.item():.5f} at {[round(v, 3) for v in p.tolist()]}")
    print(ls, "closure calls", calls[0], "n_iter", opt.state[p]["n_iter"],
          "func_evals", opt.state[p]["func_evals"])

for name, kw in [("Rprop", {}), ("ASGD", {"t0": 2}),
                 ("NAdam", {"decoupled_weight_decay": True, "weight_decay": 0.1}),
                 ("RAdam", {"decoupled_weight_decay": True, "weight_decay": 0.1}),
                 ("Adamax", {}), ("Adadelta", {"lr": 1.0}), ("Adagrad", {"lr_decay": 0.01}),
                 ("Adam", {"amsgrad": True}), ("SGD", {"momentum": 0.9, "dampening": 0.1}),
                 ("RMSprop", {"centered": True, "momentum": 0.5})]:
    p = torch.tensor([-1.5, 2.0], requires_grad=True)
    opt = getattr(torch.optim, name)([p], **kw) if "lr" in kw else getattr(torch.optim, name)([p], lr=1e-3, **kw)
    for i in range(50):
        opt.zero_grad()
        loss = rosen(p)
        loss.backward()
        opt.step()
    print(f"{name:8s} loss {loss.item():.4f} p {[round(v, 4) for v in p.tolist()]}",
          sorted(opt.state[p].keys()))
