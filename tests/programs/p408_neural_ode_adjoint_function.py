import torch
import torch.nn as nn

torch.manual_seed(0)


class ODEFunc(nn.Module):
    def __init__(self, dim=2, hidden=16):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(dim, hidden), nn.Tanh(), nn.Linear(hidden, dim))
        self.nfe = 0

    def forward(self, t, y):
        self.nfe += 1
        return self.net(y)


def rk4_step(f, t, y, h):
    k1 = f(t, y)
    k2 = f(t + h / 2, y + h / 2 * k1)
    k3 = f(t + h / 2, y + h / 2 * k2)
    k4 = f(t + h, y + h * k3)
    return y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)


def odeint(f, y0, ts, steps_per_interval=4):
    ys = [y0]
    y = y0
    for t0, t1 in zip(ts[:-1], ts[1:]):
        h = (t1 - t0) / steps_per_interval
        for k in range(steps_per_interval):
            y = rk4_step(f, t0 + k * h, y, h)
        ys.append(y)
    return torch.stack(ys)


def flat_params(module):
    return torch.cat([p.reshape(-1) for p in module.parameters()])


class AdjointODE(torch.autograd.Function):
    """Solves forward without a graph and back-propagates with the adjoint ODE."""

    @staticmethod
    def forward(ctx, y0, t0, t1, func, *params):
        with torch.no_grad():
            y1 = odeint(func, y0, torch.stack([t0, t1]), 8)[-1]
        ctx.func = func
        ctx.save_for_backward(y0, t0, t1, y1, *params)
        return y1

    @staticmethod
    def backward(ctx, grad_y1):
        y0, t0, t1, y1, *params = ctx.saved_tensors
        func = ctx.func
        n = y1.numel()

        def aug_dynamics(t, state):
            y = state[:n].view_as(y1)
            a = state[n:2 * n].view_as(y1)
            with torch.enable_grad():
                y = y.detach().requires_grad_(True)
                f = func(t, y)
                vjps = torch.autograd.grad(f, (y,) + tuple(params), -a, allow_unused=True)
            vjp_y = vjps[0]
            vjp_p = [torch.zeros_like(p) if g is None else g for g, p in zip(vjps[1:], params)]
            return torch.cat([-f.detach().reshape(-1), -vjp_y.reshape(-1)] +
                             [g.reshape(-1) for g in vjp_p])

        state = torch.cat([y1.reshape(-1), grad_y1.reshape(-1),
                           torch.zeros(sum(p.numel() for p in params))])
        # integrate backwards in time: s = t1 - t
        def rev(s, st):
            return -aug_dynamics(t1 - s, st)
        st = odeint(rev, state, torch.stack([torch.zeros(()), t1 - t0]), 8)[-1]
        adj_y0 = st[n:2 * n].view_as(y0)
        adj_p = st[2 * n:]
        grads = []
        i = 0
        for p in params:
            grads.append(adj_p[i:i + p.numel()].view_as(p))
            i += p.numel()
        return (adj_y0, None, None, None, *grads)


func = ODEFunc()
y0 = torch.tensor([[1.0, 0.0], [0.5, -0.5]], requires_grad=True)
t0, t1 = torch.tensor(0.0), torch.tensor(1.0)

# reference: backprop through the solver
ys = odeint(func, y0, torch.stack([t0, t1]), 8)
loss_ref = ys[-1].pow(2).sum()
grads_ref = torch.autograd.grad(loss_ref, [y0] + list(func.parameters()))

y1 = AdjointODE.apply(y0, t0, t1, func, *func.parameters())
loss_adj = y1.pow(2).sum()
grads_adj = torch.autograd.grad(loss_adj, [y0] + list(func.parameters()))
print(round(loss_ref.item(), 5), round(loss_adj.item(), 5))
for gr, ga in zip(grads_ref, grads_adj):
    print(tuple(gr.shape), round((gr - ga).abs().max().item(), 4) < 1e-3)
print(y1.grad_fn.name(), func.nfe > 0)

# training a neural ODE to fit a spiral trajectory
true_A = torch.tensor([[-0.1, 2.0], [-2.0, -0.1]])
ts = torch.linspace(0.0, 2.0, 11)
with torch.no_grad():
    true_y = odeint(lambda t, y: y @ true_A.T, torch.tensor([[2.0, 0.0]]), ts)
func = ODEFunc(2, 32)
opt = torch.optim.RMSprop(func.parameters(), lr=1e-2)
for it in range(30):
    pred = odeint(func, true_y[0], ts, 2)
    loss = (pred - true_y).abs().mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    if it % 10 == 9:
        print(it, round(loss.item(), 4))
print(pred.shape, func.nfe)

# continuous normalising flow: trace of the Jacobian of the dynamics with autograd
def divergence(f, y):
    div = torch.zeros(y.shape[0])
    for i in range(y.shape[1]):
        div = div + torch.autograd.grad(f[:, i].sum(), y, create_graph=True)[0][:, i]
    return div

cnf = ODEFunc(2, 8)
z = torch.randn(5, 2, requires_grad=True)
dz = cnf(0.0, z)
div = divergence(dz, z)
jac = torch.stack([torch.autograd.functional.jacobian(lambda v: cnf(0.0, v.unsqueeze(0)).squeeze(0), zi) for zi in z.detach()])
print(torch.allclose(div, jac.diagonal(dim1=1, dim2=2).sum(-1), atol=1e-5))
# Hutchinson estimator with Rademacher noise
eps = torch.randint(0, 2, z.shape).float() * 2 - 1
e_dzdx = torch.autograd.grad(dz, z, eps, create_graph=True)[0]
hutch = (e_dzdx * eps).sum(1)
print(hutch.shape, round(hutch.mean().item(), 4), round(div.mean().item(), 4))
