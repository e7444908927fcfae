# Sampling utilities copied across LLM repos: temperature, top-k filtering, top-p (nucleus)
# filtering with torch.sort(descending=True), cumsum, and scatter back to vocabulary order
# (HF's TopPLogitsWarper and llama's sample_top_p), repetition penalty with gather/scatter,
# min-p, greedy vs sampled decoding with seeded generators.
import torch
import torch.nn.functional as F


def top_k_top_p_filtering(logits, top_k=0, top_p=1.0, filter_value=-float("Inf"), min_tokens_to_keep=1):
    if top_k > 0:
        top_k = min(max(top_k, min_tokens_to_keep), logits.size(-1))
        indices_to_remove = logits < torch.topk(logits, top_k)[0][..., -1, None]
        logits[indices_to_remove] = filter_value
    if top_p < 1.0:
        sorted_logits, sorted_indices = torch.sort(logits, descending=True)
        cumulative_probs = torch.cumsum(F.softmax(sorted_logits, dim=-1), dim=-1)
        sorted_indices_to_remove = cumulative_probs > top_p
        if min_tokens_to_keep > 1:
            sorted_indices_to_remove[..., :min_tokens_to_keep] = 0
        # Shift the indices to the right to keep also the first token above the threshold
        sorted_indices_to_remove[..., 1:] = sorted_indices_to_remove[..., :-1].clone()
        sorted_indices_to_remove[..., 0] = 0
        indices_to_remove = sorted_indices_to_remove.scatter(1, sorted_indices, sorted_indices_to_remove)
        logits[indices_to_remove] = filter_value
    return logits


def sample_top_p(probs, p, generator=None):
    probs_sort, probs_idx = torch.sort(probs, dim=-1, descending=True)
    probs_sum = torch.cumsum(probs_sort, dim=-1)
    mask = probs_sum - probs_sort > p
    probs_sort[mask] = 0.0
    probs_sort.div_(probs_sort.sum(dim=-1, keepdim=True))
    next_token = torch.multinomial(probs_sort, num_samples=1, generator=generator)
    next_token = torch.gather(probs_idx, -1, next_token)
    return next_token


def apply_repetition_penalty(logits, input_ids, penalty):
    score = torch.gather(logits, 1, input_ids)
    score = torch.where(score < 0, score * penalty, score / penalty)
    return logits.scatter(1, input_ids, score)


def min_p_filter(logits, min_p=0.1):
    probs = torch.softmax(logits, dim=-1)
    top_probs, _ = probs.max(dim=-1, keepdim=True)
    scaled_min_p = min_p * top_probs
    tokens_to_remove = probs < scaled_min_p
    return logits.masked_fill(tokens_to_remove, -float("inf"))


torch.manual_seed(0)
logits = torch.randn(3, 12) * 2
print(logits.round(decimals=3))
f = top_k_top_p_filtering(logits.clone(), top_k=5)
print("top-k kept:", torch.isfinite(f).sum(-1).tolist())
f = top_k_top_p_filtering(logits.clone(), top_p=0.9)
print("top-p kept:", torch.isfinite(f).sum(-1).tolist())
print("kept ids row 0:", torch.nonzero(torch.isfinite(f[0])).flatten().tolist())
f = top_k_top_p_filtering(logits.clone(), top_k=8, top_p=0.7, min_tokens_to_keep=2)
print("both:", torch.isfinite(f).sum(-1).tolist())
probs = F.softmax(f, dim=-1)
print("probs after filtering sum:", probs.sum(-1).round(decimals=5).tolist(), (probs == 0).sum().item())

sorted_logits, sorted_idx = torch.sort(logits, descending=True)
print("sort:", sorted_idx[0].tolist(), torch.equal(sorted_logits, logits.gather(1, sorted_idx)))
vals, idxs = logits.sort(dim=-1, descending=True, stable=True)
print("stable:", torch.equal(idxs, sorted_idx), torch.argsort(logits[1], descending=True).tolist())
cs = torch.cumsum(F.softmax(sorted_logits, -1), dim=-1)
print("cumsum:", cs[0].round(decimals=4).tolist())

g = torch.Generator().manual_seed(123)
p = F.softmax(logits / 0.7, dim=-1)
tokens = [sample_top_p(p, 0.8, generator=g).flatten().tolist() for _ in range(5)]
print("top-p samples:", tokens)
print("greedy:", torch.argmax(logits, dim=-1).tolist())
g2 = torch.Generator().manual_seed(5)
print("multinomial w/o replacement:", torch.multinomial(p, 4, replacement=False, generator=g2).tolist())
print("multinomial with replacement:", torch.multinomial(p[0], 8, replacement=True, generator=g2).tolist())
ids = torch.tensor([[1, 2, 2], [0, 5, 7], [11, 3, 3]])
rp = apply_repetition_penalty(logits, ids, 1.3)
print("repetition penalty changed:", (rp != logits).sum(-1).tolist(), rp[0, 1:3].round(decimals=4).tolist())
print("min-p kept:", torch.isfinite(min_p_filter(logits, 0.2)).sum(-1).tolist())

# a sampling loop over a fixed "model": a bigram table
torch.manual_seed(1)
table = torch.randn(12, 12)
gen = torch.Generator().manual_seed(2024)
seq = [0]
for _ in range(15):
    nxt = top_k_top_p_filtering(table[seq[-1]].unsqueeze(0).clone() / 0.9, top_k=6, top_p=0.95)
    seq.append(torch.multinomial(F.softmax(nxt, dim=-1), 1, generator=gen).item())
print("bigram sample:", seq)
print("generator state bytes:", gen.get_state().shape, gen.initial_seed())
