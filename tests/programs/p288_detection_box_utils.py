# Detection utilities written by hand as in YOLO / SSD / DETR repos: box format conversions,
# pairwise IoU and GIoU with broadcasting and clamp, greedy NMS with argsort, anchor grids
# with torch.meshgrid, box delta encoding/decoding, Hungarian-free top-k matching, and a
# focal-loss objectness on the matched anchors.
import torch
import torch.nn.functional as F


def box_cxcywh_to_xyxy(x):
    x_c, y_c, w, h = x.unbind(-1)
    b = [(x_c - 0.5 * w), (y_c - 0.5 * h), (x_c + 0.5 * w), (y_c + 0.5 * h)]
    return torch.stack(b, dim=-1)


def box_xyxy_to_cxcywh(x):
    x0, y0, x1, y1 = x.unbind(-1)
    b = [(x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0), (y1 - y0)]
    return torch.stack(b, dim=-1)


def box_area(boxes):
    return (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])


def box_iou(boxes1, boxes2):
    area1 = box_area(boxes1)
    area2 = box_area(boxes2)
    lt = torch.max(boxes1[:, None, :2], boxes2[:, :2])  # [N,M,2]
    rb = torch.min(boxes1[:, None, 2:], boxes2[:, 2:])  # [N,M,2]
    wh = (rb - lt).clamp(min=0)  # [N,M,2]
    inter = wh[:, :, 0] * wh[:, :, 1]  # [N,M]
    union = area1[:, None] + area2 - inter
    iou = inter / union
    return iou, union


def generalized_box_iou(boxes1, boxes2):
    assert (boxes1[:, 2:] >= boxes1[:, :2]).all()
    assert (boxes2[:, 2:] >= boxes2[:, :2]).all()
    iou, union = box_iou(boxes1, boxes2)
    lt = torch.min(boxes1[:, None, :2], boxes2[:, :2])
    rb = torch.max(boxes1[:, None, 2:], boxes2[:, 2:])
    wh = (rb - lt).clamp(min=0)
    area = wh[:, :, 0] * wh[:, :, 1]
    return iou - (area - union) / area


def nms(boxes, scores, iou_threshold):
    order = scores.argsort(descending=True)
    keep = []
    while order.numel() > 0:
        i = order[0].item()
        keep.append(i)
        if order.numel() == 1:
            break
        ious, _ = box_iou(boxes[i].unsqueeze(0), boxes[order[1:]])
        mask = ious[0] <= iou_threshold
        order = order[1:][mask]
    return torch.tensor(keep, dtype=torch.long)


def batched_nms(boxes, scores, idxs, iou_threshold):
    # the coordinate trick: offset boxes of each class so they never overlap
    max_coordinate = boxes.max()
    offsets = idxs.to(boxes) * (max_coordinate + 1)
    return nms(boxes + offsets[:, None], scores, iou_threshold)


def make_anchors(feat_h, feat_w, stride, sizes=(1.0, 2.0)):
    shifts_x = torch.arange(0, feat_w, dtype=torch.float32) * stride + stride / 2
    shifts_y = torch.arange(0, feat_h, dtype=torch.float32) * stride + stride / 2
    shift_y, shift_x = torch.meshgrid(shifts_y, shifts_x, indexing="ij")
    centers = torch.stack((shift_x.reshape(-1), shift_y.reshape(-1)), dim=1)
    anchors = []
    for s in sizes:
        wh = torch.full_like(centers, s * stride)
        anchors.append(torch.cat([centers, wh], dim=1))
    return box_cxcywh_to_xyxy(torch.stack(anchors, dim=1).reshape(-1, 4))


def encode(gt, anchors, weights=(10.0, 10.0, 5.0, 5.0)):
    a = box_xyxy_to_cxcywh(anchors)
    g = box_xyxy_to_cxcywh(gt)
    wx, wy, ww, wh = weights
    dx = wx * (g[:, 0] - a[:, 0]) / a[:, 2]
    dy = wy * (g[:, 1] - a[:, 1]) / a[:, 3]
    dw = ww * torch.log(g[:, 2] / a[:, 2])
    dh = wh * torch.log(g[:, 3] / a[:, 3])
    return torch.stack((dx, dy, dw, dh), dim=1)


def decode(deltas, anchors, weights=(10.0, 10.0, 5.0, 5.0)):
    a = box_xyxy_to_cxcywh(anchors)
    wx, wy, ww, wh = weights
    cx = deltas[:, 0] / wx * a[:, 2] + a[:, 0]
    cy = deltas[:, 1] / wy * a[:, 3] + a[:, 1]
    w = torch.exp(deltas[:, 2] / ww) * a[:, 2]
    h = torch.exp(deltas[:, 3] / wh) * a[:, 3]
    return box_cxcywh_to_xyxy(torch.stack((cx, cy, w, h), dim=1))


def sigmoid_focal_loss(inputs, targets, alpha=0.25, gamma=2.0, reduction="sum"):
    p = torch.sigmoid(inputs)
    ce_loss = F.binary_cross_entropy_with_logits(inputs, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce_loss * ((1 - p_t) ** gamma)
    if alpha >= 0:
        alpha_t = alpha * targets + (1 - alpha) * (1 - targets)
        loss = alpha_t * loss
    return loss.sum() if reduction == "sum" else loss.mean()


gt = torch.tensor([[10.0, 10.0, 50.0, 40.0], [30.0, 20.0, 70.0, 70.0], [0.0, 0.0, 16.0, 16.0]])
print("cxcywh:", box_xyxy_to_cxcywh(gt).tolist())
print("roundtrip:", torch.allclose(box_cxcywh_to_xyxy(box_xyxy_to_cxcywh(gt)), gt))
iou, union = box_iou(gt, gt)
print("iou:", iou.round(decimals=4).tolist())
print("giou:", generalized_box_iou(gt, gt.flip(0)).round(decimals=4).tolist())

torch.manual_seed(0)
centers = torch.rand(12, 2) * 60
sizes = torch.rand(12, 2) * 20 + 10
boxes = box_cxcywh_to_xyxy(torch.cat([centers, sizes], dim=1))
scores = torch.rand(12)
labels = torch.randint(0, 3, (12,))
keep = nms(boxes, scores, 0.3)
print("nms keep:", keep.tolist())
print("batched nms keep:", batched_nms(boxes, scores, labels, 0.3).tolist())
print("sorted scores:", scores[keep].round(decimals=4).tolist())

anchors = make_anchors(4, 5, stride=16)
print("anchors:", anchors.shape, anchors[:3].tolist())
ious, _ = box_iou(gt, anchors)
best_iou, best_anchor = ious.max(dim=1)
print("best anchor per gt:", best_anchor.tolist(), best_iou.round(decimals=4).tolist())
matched_vals, matched_gt = ious.max(dim=0)
pos = matched_vals >= 0.3
print("positives:", pos.sum().item(), torch.nonzero(pos).flatten().tolist())
topk = ious.topk(3, dim=1)
print("top-3 anchors:", topk.indices.tolist())
deltas = encode(gt[matched_gt[pos]], anchors[pos])
print("deltas:", deltas.round(decimals=4)[:2].tolist())
print("decode(encode) == gt:", torch.allclose(decode(deltas, anchors[pos]), gt[matched_gt[pos]], atol=1e-4))

logits = torch.randn(anchors.shape[0], requires_grad=True)
targets = pos.float()
loss = sigmoid_focal_loss(logits, targets) / max(1, int(pos.sum()))
loss.backward()
print(f"focal {loss.item():.5f} grad {logits.grad.abs().sum().item():.5f}")
print("clamp/clip:", boxes.clamp(min=0, max=64)[:2].round(decimals=3).tolist(), torch.clip(torch.tensor([-1.0, 70.0]), 0, 64).tolist())
