# Container manipulation, whole-model pickling, dtype moves and optimizer hooks in training utilities.
import io
import copy
import torch
import torch.nn as nn

torch.manual_seed(0)

# Sequential / ModuleList / ModuleDict manipulation
seq = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
seq.append(nn.Softmax(dim=-1))
seq.insert(1, nn.Dropout(0.0))
print(seq)
print(seq[1:3])
print(type(seq[-1]).__name__, len(seq))
popped = seq.pop(1)
print(type(popped).__name__, [n for n, _ in seq.named_children()])
del seq[-1]
print([n for n, _ in seq.named_children()])
seq2 = seq + nn.Sequential(nn.Tanh())
print([type(m).__name__ for m in seq2])
seq.extend([nn.Identity()])
print(len(seq))

ml = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
ml.insert(0, nn.ReLU())
ml.extend([nn.Tanh()])
ml += [nn.Sigmoid()]
print([type(m).__name__ for m in ml], [n for n, _ in ml.named_children()])
del ml[1]
print([n for n, _ in ml.named_children()], len(list(ml.parameters())))
print(ml[1:3])
print(ml.index(ml[2]) if hasattr(ml, "index") else None)

md = nn.ModuleDict({"b": nn.Linear(1, 1), "a": nn.ReLU()})
md.update([("c", nn.Tanh())])
md["d"] = nn.Identity()
print(list(md.keys()), "a" in md, len(md))
x = md.pop("b")
print(type(x).__name__, list(md.keys()))
print([(k, type(v).__name__) for k, v in md.items()])
md.clear()
print(len(md))

pl = nn.ParameterList([nn.Parameter(torch.ones(2)), torch.zeros(3)])
pl.append(nn.Parameter(torch.ones(1)))
print(pl)
print([type(p).__name__ for p in pl], [p.requires_grad for p in pl])
pd = nn.ParameterDict({"w": nn.Parameter(torch.ones(2, 2))})
pd["b"] = torch.zeros(2)
print(pd)
print(sorted(pd.keys()), type(pd["b"]).__name__)

# weight tying survives deepcopy, pickling, state_dict
class TiedLM(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(10, 6)
        self.out = nn.Linear(6, 10, bias=False)
        self.out.weight = self.emb.weight

    def forward(self, t):
        return self.out(self.emb(t))


lm = TiedLM()
print([n for n, _ in lm.named_parameters()], len(lm.state_dict()))
lm2 = copy.deepcopy(lm)
print(lm2.out.weight is lm2.emb.weight, lm2.out.weight is lm.emb.weight)
buf = io.BytesIO()
torch.save(lm, buf)
buf.seek(0)
lm3 = torch.load(buf, weights_only=False)
print(type(lm3).__name__, lm3.out.weight is lm3.emb.weight, torch.equal(lm3.emb.weight, lm.emb.weight))
tok = torch.tensor([[1, 2, 3]])
opt = torch.optim.Adam(lm.parameters(), lr=0.1)
for i in range(3):
    opt.zero_grad()
    loss = nn.functional.cross_entropy(lm(tok).view(-1, 10), torch.tensor([2, 3, 4]))
    loss.backward()
    opt.step()
    print(i, round(loss.item(), 4), len(opt.state))
print(torch.equal(lm.out.weight, lm.emb.weight))

# dtype moves keep parameter identity (optimizer still works)
net = nn.Sequential(nn.Linear(3, 3), nn.BatchNorm1d(3))
w_id = id(net[0].weight)
opt = torch.optim.SGD(net.parameters(), lr=0.1)
net.double()
print(id(net[0].weight) == w_id, net[0].weight.dtype, net[1].running_mean.dtype,
      net[1].num_batches_tracked.dtype)
xd = torch.randn(4, 3, dtype=torch.float64)
opt.zero_grad()
net(xd).sum().backward()
opt.step()
print(net[0].weight.grad.dtype, round(net[0].weight.sum().item(), 4))
net.to(torch.float32)
print(net[0].weight.dtype, net[0].weight.grad.dtype if net[0].weight.grad is not None else None)
h = net.half()
print(h is net, net[0].bias.dtype)
net.float()
r = net.to("cpu", torch.float64, non_blocking=True)
print(r is net, net[0].weight.dtype)
net.float()
print(net.train(False) is net, net.training, net[1].training, net.requires_grad_(False) is net,
      net[0].weight.requires_grad)
net.requires_grad_(True)

# optimizer hooks
torch.manual_seed(0)
model = nn.Linear(2, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
log = []
h1 = opt.register_step_pre_hook(lambda o, a, k: log.append(("pre", len(a), sorted(k))))
h2 = opt.register_step_post_hook(lambda o, a, k: log.append(("post", round(model.bias.item(), 4))))
model(torch.ones(3, 2)).sum().backward()
opt.step()
print(log)
h1.remove(); h2.remove()
opt.step()
print(len(log))


def sd_pre(o):
    log.append("sd_pre")


def sd_post(o, sd):
    sd["extra"] = 1
    return sd


opt.register_state_dict_pre_hook(sd_pre)
opt.register_state_dict_post_hook(sd_post)
sd = opt.state_dict()
print(sorted(sd.keys()), log[-1])


def ld_pre(o, sd):
    sd = dict(sd)
    sd.pop("extra", None)
    log.append("ld_pre")
    return sd


opt.register_load_state_dict_pre_hook(ld_pre)
opt.register_load_state_dict_post_hook(lambda o: log.append("ld_post"))
opt.load_state_dict(sd)
print(log[-2:])
print(opt)
print(torch.optim.Adam([nn.Parameter(torch.ones(1))], lr=1e-3, weight_decay=0.01))

# clip utilities
torch.manual_seed(0)
m = nn.Sequential(nn.Linear(4, 4), nn.Linear(4, 1))
m(torch.randn(8, 4)).pow(2).sum().backward()
grads = [p.grad.clone() for p in m.parameters()]
n2 = nn.utils.clip_grad_norm_(m.parameters(), 1.0)
print(round(n2.item(), 4), round(torch.cat([p.grad.flatten() for p in m.parameters()]).norm().item(), 4))
for p, g in zip(m.parameters(), grads):
    p.grad = g.clone()
ninf = nn.utils.clip_grad_norm_(m.parameters(), 0.5, norm_type="inf")
print(round(ninf.item(), 4), round(max(p.grad.abs().max().item() for p in m.parameters()), 4))
for p, g in zip(m.parameters(), grads):
    p.grad = g.clone()
nn.utils.clip_grad_value_(m.parameters(), 0.1)
print(round(max(p.grad.abs().max().item() for p in m.parameters()), 4))
m[0].weight.grad[0, 0] = float("nan")
try:
    nn.utils.clip_grad_norm_(m.parameters(), 1.0, error_if_nonfinite=True)
except RuntimeError as e:
    print("RuntimeError", str(e)[:60])
print(nn.utils.clip_grad_norm_([], 1.0))
for p, g in zip(m.parameters(), grads):
    p.grad = g.clone()
tn = nn.utils.get_total_norm([p.grad for p in m.parameters()], norm_type=2.0)
nn.utils.clip_grads_with_norm_(m.parameters(), 1.0, tn)
print(round(tn.item(), 4), round(torch.cat([p.grad.flatten() for p in m.parameters()]).norm().item(), 4))
vec = nn.utils.parameters_to_vector(m.parameters())
print(vec.shape)
nn.utils.vector_to_parameters(vec * 0 + 1, m.parameters())
print(m[1].bias.item(), m[0].weight.sum().item())
