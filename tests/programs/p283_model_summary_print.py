# Model summaries as people write them without torchinfo: forward hooks on every leaf module
# collecting output shapes and parameter counts into a table, trainable vs frozen totals,
# parameter size in MB, print(model) of a big nested model (ModuleList of identical blocks,
# ModuleDict, nn.TransformerEncoder, MultiheadAttention), named_modules / named_parameters
# listings and get_submodule / get_parameter lookups.
from collections import OrderedDict

import torch
import torch.nn as nn


def summary(model, input_size, batch_size=2):
    rows = OrderedDict()
    hooks = []

    def register_hook(module):
        def hook(module, input, output):
            class_name = str(module.__class__).split(".")[-1].split("'")[0]
            module_idx = len(rows)
            m_key = "%s-%i" % (class_name, module_idx + 1)
            rows[m_key] = OrderedDict()
            rows[m_key]["input_shape"] = list(input[0].size())
            rows[m_key]["input_shape"][0] = batch_size
            if isinstance(output, (list, tuple)):
                rows[m_key]["output_shape"] = [[-1] + list(o.size())[1:] for o in output]
            else:
                rows[m_key]["output_shape"] = list(output.size())
                rows[m_key]["output_shape"][0] = batch_size
            params = 0
            if hasattr(module, "weight") and hasattr(module.weight, "size"):
                params += torch.prod(torch.LongTensor(list(module.weight.size())))
                rows[m_key]["trainable"] = module.weight.requires_grad
            if hasattr(module, "bias") and hasattr(module.bias, "size"):
                params += torch.prod(torch.LongTensor(list(module.bias.size())))
            rows[m_key]["nb_params"] = params

        if not isinstance(module, nn.Sequential) and not isinstance(module, nn.ModuleList) and not (module == model):
            hooks.append(module.register_forward_hook(hook))

    model.apply(register_hook)
    x = torch.rand(batch_size, *input_size)
    model(x)
    for h in hooks:
        h.remove()
    print("----------------------------------------------------------------")
    line_new = "{:>20}  {:>25} {:>15}".format("Layer (type)", "Output Shape", "Param #")
    print(line_new)
    print("================================================================")
    total_params = 0
    trainable_params = 0
    for layer in rows:
        line_new = "{:>20}  {:>25} {:>15}".format(layer, str(rows[layer]["output_shape"]), "{0:,}".format(int(rows[layer]["nb_params"])))
        total_params += rows[layer]["nb_params"]
        if "trainable" in rows[layer] and rows[layer]["trainable"]:
            trainable_params += rows[layer]["nb_params"]
        print(line_new)
    print("================================================================")
    print("Total params: {0:,}".format(int(total_params)))
    print("Trainable params: {0:,}".format(int(trainable_params)))
    print("Non-trainable params: {0:,}".format(int(total_params - trainable_params)))
    return total_params


torch.manual_seed(0)
cnn = nn.Sequential(
    nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(8, 16, 3), nn.ReLU(),
    nn.AdaptiveAvgPool2d((2, 2)), nn.Flatten(),
    nn.Linear(64, 10),
)
cnn[0].weight.requires_grad_(False)
total = summary(cnn, (3, 12, 12))
print(type(total).__name__, total.dtype if hasattr(total, "dtype") else None)
param_size = sum(p.nelement() * p.element_size() for p in cnn.parameters())
buffer_size = sum(b.nelement() * b.element_size() for b in cnn.buffers())
print("model size: {:.3f}MB".format((param_size + buffer_size) / 1024 ** 2), param_size, buffer_size)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.ln = nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, 2, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(approximate="tanh"), nn.Dropout(0.1), nn.Linear(2 * d, d))

    def forward(self, x):
        h = self.ln(x)
        x = x + self.attn(h, h, h, need_weights=False)[0]
        return x + self.ff(x)


class Big(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.ModuleDict({"tok": nn.Embedding(50, 16, padding_idx=0), "pos": nn.Embedding(8, 16)})
        self.blocks = nn.ModuleList([Block(16) for _ in range(3)])
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(16, 2, 32, batch_first=True, norm_first=True), num_layers=2, enable_nested_tensor=False)
        self.heads = nn.ModuleList([nn.Linear(16, 50, bias=False), nn.Linear(16, 2)])
        self.register_buffer("pos_ids", torch.arange(8), persistent=False)

    def forward(self, idx):
        x = self.embed["tok"](idx) + self.embed["pos"](self.pos_ids[: idx.shape[1]])
        for b in self.blocks:
            x = b(x)
        return self.heads[0](self.encoder(x))


big = Big()
print(big)
print("modules:", len(list(big.modules())), "named:", [n for n, _ in big.named_modules()][:8])
print("params:", sum(p.numel() for p in big.parameters()), "tensors:", len(list(big.parameters())))
print(big.get_submodule("blocks.1.attn"))
print(big.get_parameter("blocks.2.ff.3.bias").shape, big.get_buffer("pos_ids").tolist())
print([n for n, _ in big.named_parameters()][:10])
for name, module in big.named_children():
    print(f"{name:10s} {type(module).__name__:20s} {sum(p.numel() for p in module.parameters()):8,d}")
print("state_dict keys:", len(big.state_dict()), "pos_ids in it:", "pos_ids" in big.state_dict())
big.eval()
with torch.no_grad():
    out = big(torch.randint(0, 50, (2, 8)))
print("out:", out.shape, f"{out.std().item():.4f}")
