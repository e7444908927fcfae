# F.one_hot and label handling.
import torch
import torch.nn.functional as F

labels = torch.tensor([0, 2, 1, 2])
oh = F.one_hot(labels)
print(oh, oh.dtype, oh.shape)
print(F.one_hot(labels, num_classes=5))
print(F.one_hot(torch.tensor([[0, 1], [2, 0]]), 3).shape)
print(oh.argmax(dim=1), torch.equal(oh.argmax(1), labels))
logits = torch.tensor([[2.0, 0.5, 0.1], [0.1, 0.2, 3.0], [1.0, 2.0, 0.0], [0.0, 0.0, 1.0]])
soft = F.softmax(logits, dim=1)
manual_ce = -(oh.float() * torch.log(soft)).sum(dim=1).mean()
print(round(manual_ce.item(), 4), round(F.cross_entropy(logits, labels).item(), 4))
print(F.cross_entropy(logits, oh.float()).round(decimals=4))
smoothed = oh.float() * 0.9 + 0.1 / 3
print(smoothed)
print(F.cross_entropy(logits, smoothed).round(decimals=4), F.cross_entropy(logits, labels, label_smoothing=0.1).round(decimals=4))
acc = (logits.argmax(1) == labels).float().mean()
print(acc, acc.item())
weights = torch.tensor([1.0, 2.0, 0.5])
print(F.cross_entropy(logits, labels, weight=weights).round(decimals=4))
print(F.cross_entropy(logits, torch.tensor([0, -100, 1, 2]), ignore_index=-100).round(decimals=4))
print(torch.zeros(4, 3).scatter_(1, labels.unsqueeze(1), 1.0))
print(torch.eye(3)[labels])
seq_logits = torch.zeros(2, 3, 4)
seq_targets = torch.tensor([[0, 1, 2, 0], [1, 1, 1, 1]])
print(F.cross_entropy(seq_logits, seq_targets).round(decimals=4))
print(F.nll_loss(torch.log(soft), labels, reduction="sum").round(decimals=4))
