import torch
import torch.nn as nn
from torch.func import functional_call, vmap, jacrev, jacfwd, grad, grad_and_value, hessian, jvp, vjp

torch.manual_seed(0)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(3, 8)
        self.fc2 = nn.Linear(8, 2)

    def forward(self, x):
        return self.fc2(torch.tanh(self.fc1(x)))


net = Net()
params = {k: v.detach() for k, v in net.named_parameters()}


def fnet_single(params, x):
    return functional_call(net, params, (x.unsqueeze(0),)).squeeze(0)


x1 = torch.randn(4, 3)
x2 = torch.randn(5, 3)


def empirical_ntk_jacobian_contraction(fnet_single, params, x1, x2):
    jac1 = vmap(jacrev(fnet_single), (None, 0))(params, x1)
    jac1 = [j.flatten(2) for j in jac1.values()]
    jac2 = vmap(jacrev(fnet_single), (None, 0))(params, x2)
    jac2 = [j.flatten(2) for j in jac2.values()]
    result = torch.stack([torch.einsum('Naf,Mbf->NMab', j1, j2) for j1, j2 in zip(jac1, jac2)])
    return result.sum(0)


ntk = empirical_ntk_jacobian_contraction(fnet_single, params, x1, x2)
print(ntk.shape)
print(ntk[0, 0].round(decimals=4))
print(round(ntk.sum().item(), 3))


def empirical_ntk_ntk_vps(func, params, x1, x2, compute='full'):
    def get_ntk(x1, x2):
        def func_x1(params):
            return func(params, x1)

        def func_x2(params):
            return func(params, x2)

        output, vjp_fn = vjp(func_x1, params)

        def get_ntk_slice(vec):
            vjps = vjp_fn(vec)
            _, jvps = jvp(func_x2, (params,), vjps)
            return jvps

        basis = torch.eye(output.numel(), dtype=output.dtype, device=output.device).view(output.numel(), -1)
        return vmap(get_ntk_slice)(basis)

    result = vmap(vmap(get_ntk, (None, 0)), (0, None))(x1, x2)
    if compute == 'trace':
        return torch.einsum('NMKK->NM', result)
    return result


ntk2 = empirical_ntk_ntk_vps(fnet_single, params, x1, x2)
print(torch.allclose(ntk, ntk2, atol=1e-5))
print(empirical_ntk_ntk_vps(fnet_single, params, x1[:2], x2[:2], 'trace').round(decimals=4))

# jacobians w.r.t. inputs, several argnums
def f(x, y):
    return x.sin() * y.cos() + (x * y).sum()


x = torch.randn(3)
y = torch.randn(3)
jx, jy = jacrev(f, argnums=(0, 1))(x, y)
fx, fy = jacfwd(f, argnums=(0, 1))(x, y)
print(jx.round(decimals=4))
print(torch.allclose(jx, fx), torch.allclose(jy, fy))
H = hessian(lambda x: (x.sin() ** 2).sum())(x)
print(H.round(decimals=4))
Hf = jacfwd(jacrev(lambda x: (x.sin() ** 2).sum()))(x)
print(torch.allclose(H, Hf))

# grad with aux and argnums
def loss_fn(w, b, x, t):
    pred = x @ w + b
    loss = ((pred - t) ** 2).mean()
    return loss, {"pred": pred.detach(), "mae": (pred - t).abs().mean()}


w = torch.randn(3)
b = torch.tensor(0.5)
t = torch.randn(4)
(gw, gb), aux = grad(loss_fn, argnums=(0, 1), has_aux=True)(w, b, x1, t)
print(gw.round(decimals=4), gb.round(decimals=4), aux["mae"].round(decimals=4))
(gw2, (loss, aux2)) = grad_and_value(loss_fn, has_aux=True)(w, b, x1, t)
print(torch.allclose(gw, gw2), round(loss.item(), 4), sorted(aux2))

# per-sample gradients with vmap over data, chunked
def sample_loss(w, b, xi, ti):
    return (xi @ w + b - ti) ** 2


psg = vmap(grad(sample_loss), in_dims=(None, None, 0, 0))(w, b, x1, t)
psg_c = vmap(grad(sample_loss), in_dims=(None, None, 0, 0), chunk_size=2)(w, b, x1, t)
print(psg.round(decimals=4))
print(torch.allclose(psg, psg_c), torch.allclose(psg.mean(0), gw))

# out_dims and nested in_dims
def two(a, d):
    return a * d["s"], a.sum()


a = torch.randn(2, 3)
res = vmap(two, in_dims=(1, {"s": None}), out_dims=(1, 0))(a, {"s": torch.tensor(2.0)})
print(res[0].shape, res[1].round(decimals=4))

# jvp with has_aux and linearize-like usage
out, tangent, aux = jvp(lambda x: (x.exp(), x.sum()), (x,), (torch.ones(3),), has_aux=True)
print(out.round(decimals=4), tangent.round(decimals=4), aux.round(decimals=4))

# linearize: evaluate once, apply the Jacobian to several tangents
from torch.func import linearize
out, jvp_fn = linearize(lambda p: fnet_single(p, x1[0]), params)
print(out.round(decimals=4))
tang = {k: torch.ones_like(v) for k, v in params.items()}
print(jvp_fn(tang).round(decimals=4))
