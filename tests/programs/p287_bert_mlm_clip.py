# A tiny BERT for masked-language modelling (the HF data-collator masking recipe: 15% of
# tokens, 80% [MASK] / 10% random / 10% kept, labels -100 elsewhere, bernoulli on a
# probability matrix, special tokens never masked) on nn.TransformerEncoder with a padding
# mask, then a CLIP-style contrastive loss with a learnable logit_scale (log(1/0.07)) clamped.
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD, CLS, SEP, MASK = 0, 1, 2, 3
VOCAB = 40


def mask_tokens(inputs, special_tokens_mask, mlm_probability=0.15, generator=None):
    labels = inputs.clone()
    probability_matrix = torch.full(labels.shape, mlm_probability)
    probability_matrix.masked_fill_(special_tokens_mask, value=0.0)
    masked_indices = torch.bernoulli(probability_matrix, generator=generator).bool()
    labels[~masked_indices] = -100  # We only compute loss on masked tokens
    indices_replaced = torch.bernoulli(torch.full(labels.shape, 0.8), generator=generator).bool() & masked_indices
    inputs[indices_replaced] = MASK
    indices_random = torch.bernoulli(torch.full(labels.shape, 0.5), generator=generator).bool() & masked_indices & ~indices_replaced
    random_words = torch.randint(VOCAB, labels.shape, dtype=torch.long, generator=generator)
    inputs[indices_random] = random_words[indices_random]
    return inputs, labels


class TinyBert(nn.Module):
    def __init__(self, d=32, heads=4, layers=2, max_len=16):
        super().__init__()
        self.tok = nn.Embedding(VOCAB, d, padding_idx=PAD)
        self.pos = nn.Embedding(max_len, d)
        self.token_type = nn.Embedding(2, d)
        self.ln = nn.LayerNorm(d, eps=1e-12)
        layer = nn.TransformerEncoderLayer(d, heads, dim_feedforward=64, dropout=0.0, activation="gelu", batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.mlm_dense = nn.Linear(d, d)
        self.mlm_ln = nn.LayerNorm(d, eps=1e-12)
        self.decoder = nn.Linear(d, VOCAB)
        self.decoder.weight = self.tok.weight  # tied
        self.pooler = nn.Linear(d, d)

    def forward(self, input_ids, attention_mask, token_type_ids=None):
        if token_type_ids is None:
            token_type_ids = torch.zeros_like(input_ids)
        pos = torch.arange(input_ids.size(1)).unsqueeze(0)
        x = self.ln(self.tok(input_ids) + self.pos(pos) + self.token_type(token_type_ids))
        h = self.encoder(x, src_key_padding_mask=attention_mask == 0)
        mlm = self.decoder(self.mlm_ln(F.gelu(self.mlm_dense(h))))
        pooled = torch.tanh(self.pooler(h[:, 0]))
        return mlm, pooled


torch.manual_seed(0)
lengths = [9, 12, 6, 12]
ids = torch.zeros(4, 12, dtype=torch.long)
for i, n in enumerate(lengths):
    ids[i, 0] = CLS
    ids[i, 1:n - 1] = torch.randint(4, VOCAB, (n - 2,))
    ids[i, n - 1] = SEP
attention_mask = (ids != PAD).long()
special = (ids == PAD) | (ids == CLS) | (ids == SEP)
print(ids)
g = torch.Generator().manual_seed(3)
inputs, labels = mask_tokens(ids.clone(), special, mlm_probability=0.3, generator=g)
print(inputs)
print("labels:", (labels != -100).sum().item(), labels[labels != -100].tolist())
print("special untouched:", torch.equal(inputs[special], ids[special]))

model = TinyBert()
print("tied decoder:", model.decoder.weight is model.tok.weight)
opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
for step in range(3):
    logits, pooled = model(inputs, attention_mask)
    loss = F.cross_entropy(logits.view(-1, VOCAB), labels.view(-1), ignore_index=-100)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"mlm step {step}: loss {loss.item():.4f} pooled {tuple(pooled.shape)}")
model.eval()
with torch.no_grad():
    logits, _ = model(inputs, attention_mask)
    pred = logits.argmax(-1)
print("pad positions ignored by padding mask:", torch.isfinite(logits).all().item(), pred.shape)
print("tied padding row gets decoder grad:", f"{model.tok.weight.grad[PAD].abs().sum().item():.6f}")


class CLIPHead(nn.Module):
    def __init__(self, d_img, d_txt, d=16):
        super().__init__()
        self.visual_projection = nn.Linear(d_img, d, bias=False)
        self.text_projection = nn.Linear(d_txt, d, bias=False)
        self.logit_scale = nn.Parameter(torch.ones([]) * np.log(1 / 0.07))

    def forward(self, img_feat, txt_feat):
        image_embeds = self.visual_projection(img_feat)
        text_embeds = self.text_projection(txt_feat)
        image_embeds = image_embeds / image_embeds.norm(p=2, dim=-1, keepdim=True)
        text_embeds = text_embeds / text_embeds.norm(p=2, dim=-1, keepdim=True)
        logit_scale = self.logit_scale.exp()
        logits_per_text = torch.matmul(text_embeds, image_embeds.t()) * logit_scale
        logits_per_image = logits_per_text.t()
        return logits_per_image, logits_per_text


def clip_loss(logits_per_text):
    labels = torch.arange(len(logits_per_text), device=logits_per_text.device)
    caption_loss = F.cross_entropy(logits_per_text, labels)
    image_loss = F.cross_entropy(logits_per_text.t(), labels)
    return (caption_loss + image_loss) / 2.0


torch.manual_seed(1)
head = CLIPHead(20, 32)
print("logit_scale:", head.logit_scale.dtype, f"{head.logit_scale.item():.6f}", head.logit_scale.shape)
img = torch.randn(6, 20)
txt = torch.randn(6, 32)
opt = torch.optim.Adam(head.parameters(), lr=5e-2)
for step in range(4):
    lpi, lpt = head(img, txt)
    loss = clip_loss(lpt)
    opt.zero_grad()
    loss.backward()
    opt.step()
    with torch.no_grad():
        head.logit_scale.clamp_(0, math.log(100))
    print(f"clip step {step}: loss {loss.item():.4f} scale {head.logit_scale.exp().item():.4f}")
with torch.no_grad():
    lpi, _ = head(img, txt)
print("retrieval acc:", (lpi.argmax(-1) == torch.arange(6)).float().mean().item(), F.normalize(img, dim=-1).norm(dim=-1).round(decimals=4).tolist())
