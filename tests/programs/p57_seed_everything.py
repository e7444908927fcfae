# The seed/setup boilerplate at the top of research code, then a few environment queries.
import os
import random

import numpy as np
import torch
import torch.backends.cudnn as cudnn


def seed_everything(seed=42):
    random.seed(seed)
    os.environ["PYTHONHASHSEED"] = str(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.cuda.manual_seed(seed)
    torch.cuda.manual_seed_all(seed)
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False


seed_everything(0)
torch.use_deterministic_algorithms(True, warn_only=True)
print(torch.are_deterministic_algorithms_enabled(), cudnn.deterministic, cudnn.benchmark)
torch.set_num_threads(1)
print(torch.get_num_threads())
torch.set_float32_matmul_precision("high")
print(torch.get_float32_matmul_precision())
if torch.cuda.is_available():
    device = "cuda"
elif torch.backends.mps.is_available():
    device = "mps"
else:
    device = "cpu"
print(device, torch.backends.mps.is_built() in (True, False), torch.backends.cuda.matmul.allow_tf32)
accel = torch.accelerator.current_accelerator().type if torch.accelerator.is_available() else "cpu"
print(accel)
print(torch.finfo(torch.float32).eps, torch.finfo(torch.float16).max, torch.finfo(torch.float64).tiny)
print(torch.finfo(torch.float32).min, torch.finfo().bits, torch.finfo(torch.float32).resolution)
print(torch.iinfo(torch.int64).max, torch.iinfo(torch.uint8).max, torch.iinfo(torch.int8).min)
print(torch.finfo(torch.float32))
print(torch.iinfo(torch.int32))
x = torch.tensor([1.0, 0.0, -1.0])
eps = torch.finfo(x.dtype).eps
print(torch.log(x.clamp(min=eps)).round(decimals=3))
print(torch.pi, torch.e, torch.inf, torch.nan != torch.nan, torch.tensor([torch.pi]).cos())
print(x[:, torch.newaxis].shape if hasattr(torch, "newaxis") else x[:, None].shape)
logits = torch.tensor([1.0, 2.0, 3.0]).masked_fill(torch.tensor([False, True, False]), -torch.inf)
print(logits.softmax(0))
print(torch.full((2,), float("-inf")).exp(), torch.finfo(torch.float32).max > 1e38)
