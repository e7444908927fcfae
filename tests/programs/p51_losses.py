# Loss modules on fixed tensors.
import torch
import torch.nn as nn

pred = torch.tensor([[0.2, 1.5, -0.3], [1.0, -1.0, 0.5]])
target_cls = torch.tensor([1, 2])
target_reg = torch.tensor([[0.0, 1.0, 0.0], [1.0, 0.0, 1.0]])
losses = {
    "L1Loss": nn.L1Loss()(pred, target_reg),
    "MSELoss": nn.MSELoss()(pred, target_reg),
    "MSE sum": nn.MSELoss(reduction="sum")(pred, target_reg),
    "CrossEntropy": nn.CrossEntropyLoss()(pred, target_cls),
    "NLL": nn.NLLLoss()(torch.log_softmax(pred, 1), target_cls),
    "BCE": nn.BCELoss()(torch.sigmoid(pred), target_reg),
    "BCEWithLogits": nn.BCEWithLogitsLoss()(pred, target_reg),
    "SmoothL1": nn.SmoothL1Loss()(pred, target_reg),
    "Huber": nn.HuberLoss(delta=0.5)(pred, target_reg),
    "KLDiv": nn.KLDivLoss(reduction="batchmean")(torch.log_softmax(pred, 1), torch.softmax(target_reg, 1)),
    "SoftMargin": nn.SoftMarginLoss()(pred, target_reg * 2 - 1),
    "MultiLabelSoftMargin": nn.MultiLabelSoftMarginLoss()(pred, target_reg),
    "HingeEmbedding": nn.HingeEmbeddingLoss()(pred, target_reg * 2 - 1),
    "CosineEmbedding": nn.CosineEmbeddingLoss()(pred, target_reg, torch.tensor([1, -1])),
    "MarginRanking": nn.MarginRankingLoss(margin=0.1)(pred[0], pred[1], torch.tensor([1.0, -1.0, 1.0])),
    "MultiMargin": nn.MultiMarginLoss()(pred, target_cls),
    "PoissonNLL": nn.PoissonNLLLoss()(pred, target_reg),
    "GaussianNLL": nn.GaussianNLLLoss()(pred, target_reg, torch.ones(2, 3)),
    "TripletMargin": nn.TripletMarginLoss()(pred, target_reg, -pred),
}
for name, value in losses.items():
    print(f"{name}: {value.item():.4f}")
print(nn.CrossEntropyLoss(reduction="none")(pred, target_cls).round(decimals=4))
print(nn.CrossEntropyLoss(ignore_index=2)(pred, target_cls).round(decimals=4))
print(nn.MSELoss(), nn.CrossEntropyLoss(label_smoothing=0.1), nn.BCEWithLogitsLoss(pos_weight=torch.ones(3)))
p = pred.clone().requires_grad_()
nn.CrossEntropyLoss()(p, target_cls).backward()
print(p.grad.round(decimals=4))
