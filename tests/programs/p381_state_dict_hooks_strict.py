# load_state_dict with strict=False, renamed keys via _load_from_state_dict, state_dict hooks.
import io
import torch
import torch.nn as nn

torch.manual_seed(0)


class Block(nn.Module):
    _version = 2

    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(4, 4)
        self.norm = nn.LayerNorm(4)

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys,
                              unexpected_keys, error_msgs):
        version = local_metadata.get("version", None)
        print("loading", prefix, "version", version)
        if version is None or version < 2:
            old = prefix + "ln.weight"
            if old in state_dict:
                state_dict[prefix + "norm.weight"] = state_dict.pop(old)
                state_dict[prefix + "norm.bias"] = state_dict.pop(prefix + "ln.bias")
        super()._load_from_state_dict(state_dict, prefix, local_metadata, strict, missing_keys,
                                      unexpected_keys, error_msgs)

    def forward(self, x):
        return self.norm(torch.relu(self.proj(x)))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleList([Block(), Block()])
        self.head = nn.Linear(4, 2)
        self.register_buffer("steps", torch.tensor(0))

    def forward(self, x):
        for b in self.blocks:
            x = b(x)
        return self.head(x)


net = Net()
sd = net.state_dict()
print(list(sd.keys()))
print("metadata", sorted(sd._metadata.items()))

# old-format checkpoint: rename norm -> ln and drop version
old = {k.replace("norm", "ln"): v.clone() for k, v in sd.items()}
net2 = Net()
res = net2.load_state_dict(old, strict=True)
print(res)
print(all(torch.equal(sd[k], net2.state_dict()[k]) for k in sd))

# strict=False with extras and missing
partial = {k: v for k, v in sd.items() if not k.startswith("head")}
partial["extra.weight"] = torch.zeros(1)
net3 = Net()
res = net3.load_state_dict(partial, strict=False)
print("missing", res.missing_keys)
print("unexpected", res.unexpected_keys)
print(type(res).__name__, res._fields if hasattr(res, "_fields") else None)
mk, uk = res
print(len(mk), len(uk))

try:
    net3.load_state_dict(partial)
except RuntimeError as e:
    print(str(e).splitlines()[0])

# shape mismatch
bad = dict(sd)
bad["head.weight"] = torch.zeros(3, 4)
try:
    Net().load_state_dict(bad, strict=False)
except RuntimeError as e:
    print("\n".join(l.strip() for l in str(e).splitlines()))


# state_dict hooks
def sd_hook(module, state_dict, prefix, local_metadata):
    print("post hook prefix=%r" % prefix, len(state_dict))
    state_dict[prefix + "tag"] = torch.tensor(7)


h = net.head._register_state_dict_hook(sd_hook)
sd2 = net.state_dict()
print([k for k in sd2 if "tag" in k])
h.remove()
print([k for k in net.state_dict() if "tag" in k])


def pre_hook(module, state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
             error_msgs):
    print("pre hook", prefix, strict)


h2 = net.head._register_load_state_dict_pre_hook(pre_hook, with_module=True)
net.load_state_dict(sd)
h2.remove()


def post_hook(module, incompatible_keys):
    print("post load", type(module).__name__, incompatible_keys.missing_keys[:2])
    incompatible_keys.missing_keys.clear()


h3 = net.register_load_state_dict_post_hook(post_hook)
r = net.load_state_dict(partial, strict=False)
print(r.missing_keys, r.unexpected_keys)
r = net.load_state_dict({k: v for k, v in sd.items() if k != "steps"}, strict=True)
print(r)
h3.remove()

# assign=True keeps the loaded tensor objects
fresh = Net()
src = Net().state_dict()
fresh.load_state_dict(src, assign=True)
print(fresh.head.weight is not src["head.weight"], isinstance(fresh.head.weight, nn.Parameter))
print(torch.equal(fresh.head.weight, src["head.weight"]), fresh.head.weight.requires_grad)

# state_dict keep_vars / prefix / destination
sdv = net.state_dict(keep_vars=True)
print(type(sdv["head.weight"]).__name__, sdv["head.weight"].requires_grad)
sdn = net.state_dict()
print(type(sdn["head.weight"]).__name__, sdn["head.weight"].requires_grad)
dest = {}
net.head.state_dict(destination=dest, prefix="model.head.")
print(sorted(dest))

# round trip through BytesIO
buf = io.BytesIO()
torch.save({"model": net.state_dict(), "epoch": 3}, buf)
buf.seek(0)
ck = torch.load(buf)
print(sorted(ck), ck["epoch"], type(ck["model"]).__name__)
print(sorted(ck["model"]._metadata.items())[:3])
net4 = Net()
print(net4.load_state_dict(ck["model"]))
x = torch.randn(3, 4)
print(torch.allclose(net(x), net4(x)))
