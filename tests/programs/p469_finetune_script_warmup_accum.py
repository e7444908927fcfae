"""A fine-tuning script in the style of transformers' run_*.py: argparse with str2bool,
backend flags set unconditionally, linear warmup via LambdaLR, gradient accumulation,
logging every N steps, best-model copy, early stopping."""
import argparse
import json
import math
import os
import random
import shutil
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.optim.lr_scheduler import LambdaLR
from torch.utils.data import DataLoader, RandomSampler, SequentialSampler, TensorDataset


def str2bool(v):
    if isinstance(v, bool):
        return v
    if v.lower() in ("yes", "true", "t", "y", "1"):
        return True
    if v.lower() in ("no", "false", "f", "n", "0"):
        return False
    raise argparse.ArgumentTypeError("Boolean value expected.")


def parse_args(argv):
    p = argparse.ArgumentParser()
    p.add_argument("--learning_rate", type=float, default=5e-3)
    p.add_argument("--num_train_epochs", type=int, default=6)
    p.add_argument("--per_device_train_batch_size", type=int, default=8)
    p.add_argument("--gradient_accumulation_steps", type=int, default=2)
    p.add_argument("--warmup_ratio", type=float, default=0.1)
    p.add_argument("--weight_decay", type=float, default=0.01)
    p.add_argument("--max_grad_norm", type=float, default=1.0)
    p.add_argument("--logging_steps", type=int, default=5)
    p.add_argument("--fp16", type=str2bool, default=False)
    p.add_argument("--do_eval", type=str2bool, nargs="?", const=True, default=True)
    p.add_argument("--patience", type=int, default=2)
    p.add_argument("--seed", type=int, default=13)
    return p.parse_args(argv)


args = parse_args([])
print(json.dumps(vars(args), indent=2, sort_keys=True))
print(parse_args(["--fp16", "yes", "--do_eval"]).fp16, parse_args(["--do_eval", "no"]).do_eval)


def set_seed(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)


set_seed(args.seed)
torch.backends.cudnn.benchmark = True
torch.backends.cuda.matmul.allow_tf32 = True
torch.backends.cudnn.allow_tf32 = True
torch.set_float32_matmul_precision("high")
print("matmul precision:", torch.get_float32_matmul_precision())
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print("device:", device, "| n_gpu:", torch.cuda.device_count(), "| fp16:", args.fp16 and device.type == "cuda")


def get_linear_schedule_with_warmup(optimizer, num_warmup_steps, num_training_steps, last_epoch=-1):
    def lr_lambda(current_step):
        if current_step < num_warmup_steps:
            return float(current_step) / float(max(1, num_warmup_steps))
        return max(0.0, float(num_training_steps - current_step) /
                   float(max(1, num_training_steps - num_warmup_steps)))

    return LambdaLR(optimizer, lr_lambda, last_epoch)


class Classifier(nn.Module):
    def __init__(self, vocab=50, dim=16, n_labels=2, dropout=0.1):
        super().__init__()
        self.embeddings = nn.Embedding(vocab, dim)
        self.encoder = nn.TransformerEncoderLayer(dim, 2, 32, dropout=dropout, batch_first=True)
        self.dropout = nn.Dropout(dropout)
        self.classifier = nn.Linear(dim, n_labels)

    def forward(self, input_ids, attention_mask, labels=None):
        h = self.encoder(self.embeddings(input_ids), src_key_padding_mask=attention_mask == 0)
        pooled = (h * attention_mask.unsqueeze(-1)).sum(1) / attention_mask.sum(1, keepdim=True)
        logits = self.classifier(self.dropout(pooled))
        loss = F.cross_entropy(logits, labels) if labels is not None else None
        return {"loss": loss, "logits": logits}


# synthetic task: label = whether token 7 appears
def make_data(n, g):
    lengths = torch.randint(3, 10, (n,), generator=g)
    ids = torch.randint(1, 50, (n, 10), generator=g)
    mask = (torch.arange(10)[None] < lengths[:, None]).long()
    ids = ids * mask
    plant = torch.rand(n, generator=g) < 0.5
    ids[plant, 0] = 7
    labels = ((ids == 7) & (mask == 1)).any(1).long()
    return TensorDataset(ids, mask, labels)


g = torch.Generator().manual_seed(0)
train_ds, eval_ds = make_data(96, g), make_data(32, g)
train_loader = DataLoader(train_ds, sampler=RandomSampler(train_ds), batch_size=args.per_device_train_batch_size)
eval_loader = DataLoader(eval_ds, sampler=SequentialSampler(eval_ds), batch_size=16)

model = Classifier().to(device)
no_decay = ["bias", "LayerNorm.weight", "norm1.weight", "norm2.weight"]
grouped = [
    {"params": [p for n, p in model.named_parameters() if not any(nd in n for nd in no_decay)],
     "weight_decay": args.weight_decay},
    {"params": [p for n, p in model.named_parameters() if any(nd in n for nd in no_decay)],
     "weight_decay": 0.0},
]
print("group sizes:", [len(gr["params"]) for gr in grouped])
optimizer = torch.optim.AdamW(grouped, lr=args.learning_rate)
num_update_steps_per_epoch = math.ceil(len(train_loader) / args.gradient_accumulation_steps)
t_total = num_update_steps_per_epoch * args.num_train_epochs
scheduler = get_linear_schedule_with_warmup(optimizer, int(args.warmup_ratio * t_total), t_total)
scaler = torch.cuda.amp.GradScaler(enabled=args.fp16 and device.type == "cuda")
print(f"***** Running training *****\n  Num examples = {len(train_ds)}\n  Num Epochs = {args.num_train_epochs}\n"
      f"  Total optimization steps = {t_total}")


def evaluate():
    model.eval()
    preds, labels, total = [], [], 0.0
    with torch.no_grad():
        for ids, mask, y in eval_loader:
            out = model(ids.to(device), mask.to(device), y.to(device))
            total += out["loss"].item() * len(y)
            preds.append(out["logits"].argmax(-1))
            labels.append(y)
    preds, labels = torch.cat(preds), torch.cat(labels)
    model.train()
    return {"eval_loss": round(total / len(labels), 4), "eval_accuracy": round((preds == labels).float().mean().item(), 4)}


global_step, tr_loss, logging_loss = 0, 0.0, 0.0
best_metric, bad_epochs = None, 0
history = []
with tempfile.TemporaryDirectory() as output_dir:
    model.zero_grad()
    model.train()
    for epoch in range(args.num_train_epochs):
        for step, (ids, mask, y) in enumerate(train_loader):
            with torch.autocast(device_type=device.type, enabled=args.fp16):
                loss = model(ids, mask, y)["loss"]
            loss = loss / args.gradient_accumulation_steps
            scaler.scale(loss).backward()
            tr_loss += loss.item()
            if (step + 1) % args.gradient_accumulation_steps == 0 or step + 1 == len(train_loader):
                scaler.unscale_(optimizer)
                norm = torch.nn.utils.clip_grad_norm_(model.parameters(), args.max_grad_norm)
                scaler.step(optimizer)
                scaler.update()
                scheduler.step()
                model.zero_grad()
                global_step += 1
                if global_step % args.logging_steps == 0:
                    logs = {"loss": round((tr_loss - logging_loss) / args.logging_steps, 4),
                            "learning_rate": float(f"{scheduler.get_last_lr()[0]:.6g}"),
                            "grad_norm": round(norm.item(), 3), "epoch": round(epoch + (step + 1) / len(train_loader), 2),
                            "step": global_step}
                    logging_loss = tr_loss
                    print(logs)
        metrics = evaluate()
        history.append(metrics)
        print(f"epoch {epoch}: {metrics}")
        ckpt = os.path.join(output_dir, f"checkpoint-{global_step}")
        os.makedirs(ckpt)
        torch.save(model.state_dict(), os.path.join(ckpt, "pytorch_model.bin"))
        torch.save({"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict(),
                    "global_step": global_step}, os.path.join(ckpt, "training_state.pt"))
        if best_metric is None or metrics["eval_loss"] < best_metric:
            best_metric, bad_epochs = metrics["eval_loss"], 0
            shutil.copyfile(os.path.join(ckpt, "pytorch_model.bin"), os.path.join(output_dir, "best_model.bin"))
        else:
            bad_epochs += 1
            if bad_epochs >= args.patience:
                print(f"early stopping at epoch {epoch}")
                break
    print(sorted(os.listdir(output_dir)))
    state = torch.load(os.path.join(ckpt, "training_state.pt"), weights_only=False)
    print("scheduler state:", {k: v for k, v in state["scheduler"].items() if k != "lr_lambdas"})
    print("optimizer lr:", [f"{gr['lr']:.3e}" for gr in state["optimizer"]["param_groups"]],
          "step:", state["optimizer"]["state"][0]["step"])
    best = Classifier()
    best.load_state_dict(torch.load(os.path.join(output_dir, "best_model.bin")))
    best.eval()
    with torch.no_grad():
        ids, mask, y = eval_ds.tensors
        acc = (best(ids, mask)["logits"].argmax(-1) == y).float().mean()
    print(f"best eval_loss {best_metric:.4f} reload acc {acc:.4f} global_step {global_step} avg loss {tr_loss / global_step:.4f}")
