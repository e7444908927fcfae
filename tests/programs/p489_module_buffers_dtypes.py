"""Custom modules, part 2: nested containers, get_submodule, buffers through .to()/half(),
state_dict key order with persistent flags, load_state_dict strictness, freezing by name."""
import torch
import torch.nn as nn

torch.manual_seed(5)


class PositionalEncoding(nn.Module):
    def __init__(self, dim, max_len=16):
        super().__init__()
        pos = torch.arange(max_len).unsqueeze(1)
        div = torch.exp(torch.arange(0, dim, 2) * (-torch.log(torch.tensor(10000.0)) / dim))
        pe = torch.zeros(max_len, dim)
        pe[:, 0::2] = torch.sin(pos * div)
        pe[:, 1::2] = torch.cos(pos * div)
        self.register_buffer("pe", pe, persistent=False)
        self.register_buffer("steps", torch.tensor(0))

    def forward(self, x):
        self.steps += 1
        return x + self.pe[: x.size(1)]


class Block(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.layers = nn.ModuleDict({"norm": nn.LayerNorm(dim), "ff": nn.Linear(dim, dim)})
        self.gamma = nn.Parameter(torch.full((dim,), 0.1))

    def forward(self, x):
        return x + self.gamma * self.layers["ff"](self.layers["norm"](x))

    def extra_repr(self):
        return f"gamma_init={self.gamma[0].item():.1f}"


class Encoder(nn.Module):
    def __init__(self, vocab=12, dim=6, depth=2):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim, padding_idx=0)
        self.pos = PositionalEncoding(dim)
        self.blocks = nn.ModuleList(Block(dim) for _ in range(depth))
        self.head = nn.Linear(dim, 2)

    def forward(self, ids):
        h = self.pos(self.tok(ids))
        for blk in self.blocks:
            h = blk(h)
        return self.head(h.mean(1))


enc = Encoder()
print(enc)
print(list(enc.state_dict().keys()))
print(enc.pos.pe.shape, enc.pos.pe[1].round(decimals=4), enc.tok.weight[0])
print(enc.get_submodule("blocks.1.layers.ff"), enc.get_parameter("blocks.0.gamma").shape)
print(enc.get_buffer("pos.steps"), [n for n, _ in enc.named_modules()][:6])
try:
    enc.get_submodule("blocks.5")
except AttributeError as e:
    print("AttributeError:", e)
ids = torch.tensor([[3, 4, 0, 0], [5, 6, 7, 1]])
out = enc(ids)
print(out.shape, enc.pos.steps, out.dtype)

enc_d = Encoder().double()
print(enc_d.tok.weight.dtype, enc_d.pos.pe.dtype, enc_d.pos.steps.dtype, enc_d(ids).dtype)
enc_h = Encoder().to(torch.bfloat16)
print(enc_h.head.weight.dtype, enc_h.pos.pe.dtype, enc_h.pos.steps.dtype)
print({str(p.dtype) for p in Encoder().half().parameters()})

sd = enc.state_dict()
sd_missing = {k: v for k, v in sd.items() if not k.startswith("head")}
fresh = Encoder()
res = fresh.load_state_dict(sd_missing, strict=False)
print(res.missing_keys, res.unexpected_keys)
try:
    fresh.load_state_dict({**sd, "extra.weight": torch.zeros(1)})
except RuntimeError as e:
    print("RuntimeError:", str(e).splitlines()[0], "|", str(e).splitlines()[1].strip())
bad = dict(sd)
bad["head.weight"] = torch.zeros(3, 6)
try:
    fresh.load_state_dict(bad)
except RuntimeError as e:
    print("RuntimeError:", str(e).splitlines()[1].strip())
print(torch.equal(fresh.pos.steps, enc.pos.steps), fresh.pos.steps)

for name, p in enc.named_parameters():
    p.requires_grad = name.startswith("head") or "gamma" in name
print([n for n, p in enc.named_parameters() if p.requires_grad])
enc(ids).sum().backward()
print(enc.tok.weight.grad, enc.head.bias.grad.shape, enc.blocks[0].gamma.grad.shape)
enc.zero_grad()
print(enc.head.weight.grad, enc.blocks[1].gamma.grad)
enc.requires_grad_(True)
print(sum(p.requires_grad for p in enc.parameters()), len(list(enc.parameters())), len(list(enc.buffers())))
enc.blocks.insert(0, Block(6))
enc.blocks.append(nn.Identity())
print(len(enc.blocks), [type(b).__name__ for b in enc.blocks], enc.blocks[-1])
del enc.blocks[0]
print(len(enc.blocks), list(enc.blocks._modules.keys()))
print(enc.tok, enc.tok.weight.grad is None, enc.tok.padding_idx)
