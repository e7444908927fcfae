# Gradient accumulation with loss scaling, and a language model whose decoder shares embedding weights.
import torch
import torch.nn as nn
import torch.nn.functional as F


class TiedLM(nn.Module):
    def __init__(self, vocab, dim):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.rnn = nn.GRU(dim, dim, batch_first=True)
        self.decoder = nn.Linear(dim, vocab, bias=False)
        self.decoder.weight = self.embed.weight  # weight tying

    def forward(self, x):
        h, _ = self.rnn(self.embed(x))
        return self.decoder(h)


model = TiedLM(10, 4)
with torch.no_grad():
    for i, p in enumerate(model.parameters()):
        p.copy_(torch.sin(torch.arange(p.numel(), dtype=torch.float32) + i).reshape(p.shape) * 0.4)
print(model.decoder.weight is model.embed.weight)
print(len(list(model.parameters())), len(model.state_dict()), list(model.state_dict().keys()))
print(sum(p.numel() for p in model.parameters()), sum(p.numel() for p in model.state_dict().values()))
data = torch.tensor([[1, 2, 3, 4, 5, 6], [2, 4, 6, 8, 1, 3], [9, 8, 7, 6, 5, 4], [0, 1, 0, 1, 0, 1]])
inputs, targets = data[:, :-1], data[:, 1:]
opt = torch.optim.SGD(model.parameters(), lr=0.5)
accum_steps = 2
opt.zero_grad(set_to_none=True)
for step in range(4):
    mb = slice(step % 2 * 2, step % 2 * 2 + 2)
    logits = model(inputs[mb])
    loss = F.cross_entropy(logits.reshape(-1, 10), targets[mb].reshape(-1))
    (loss / accum_steps).backward()
    print(f"micro-step {step} loss {loss.item():.5f} grad-norm {model.embed.weight.grad.norm():.5f}")
    if (step + 1) % accum_steps == 0:
        opt.step()
        opt.zero_grad(set_to_none=True)
        print("  step; grad is", model.embed.weight.grad)
# the same update in one full batch gives the same gradient
model2 = TiedLM(10, 4)
model2.load_state_dict(model.state_dict())
print(model2.decoder.weight is model2.embed.weight, torch.equal(model2.decoder.weight, model.decoder.weight))
full = F.cross_entropy(model2(inputs[:2]).reshape(-1, 10), targets[:2].reshape(-1))
half = [F.cross_entropy(model(inputs[i:i + 1]).reshape(-1, 10), targets[i:i + 1].reshape(-1)) for i in range(2)]
full.backward()
(sum(half) / 2).backward()
print(torch.allclose(model.embed.weight.grad, model2.embed.weight.grad, atol=1e-6))
print(torch.allclose(model.rnn.weight_hh_l0.grad, model2.rnn.weight_hh_l0.grad, atol=1e-6))
print(model)
