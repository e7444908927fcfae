# Knowledge distillation: KLDiv between temperature-softened teacher and student distributions.
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


def init_fixed(module, scale):
    # deterministic weights so both frameworks agree
    for i, p in enumerate(module.parameters()):
        n = p.numel()
        vals = torch.linspace(-scale, scale, n).reshape(p.shape)
        with torch.no_grad():
            p.copy_(vals * (1 if i % 2 == 0 else -0.5))


teacher = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 3))
student = nn.Sequential(nn.Linear(6, 4), nn.Tanh(), nn.Linear(4, 3))
init_fixed(teacher, 0.8)
init_fixed(student, 0.3)
teacher.eval()
x = torch.linspace(-1, 1, 48).reshape(8, 6)
y = torch.tensor([0, 1, 2, 0, 1, 2, 0, 1])
T = 4.0
alpha = 0.7
opt = torch.optim.SGD(student.parameters(), lr=0.5, momentum=0.9)
kl = nn.KLDivLoss(reduction="batchmean")
for step in range(6):
    with torch.no_grad():
        t_logits = teacher(x)
    s_logits = student(x)
    soft = kl(F.log_softmax(s_logits / T, dim=1), F.softmax(t_logits / T, dim=1)) * T * T
    hard = F.cross_entropy(s_logits, y)
    loss = alpha * soft + (1 - alpha) * hard
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"step {step}: soft={soft.item():.3f} hard={hard.item():.3f} total={loss.item():.3f}")
with torch.no_grad():
    t_prob = F.softmax(teacher(x) / T, dim=-1)
    s_logp = F.log_softmax(student(x) / T, dim=-1)
print(round(F.kl_div(s_logp, t_prob, reduction="sum").item() / 8, 6))
print(F.kl_div(s_logp, t_prob.log(), reduction="batchmean", log_target=True))
print(F.kl_div(s_logp, t_prob, reduction="none").shape)
print((t_prob * (t_prob.log() - s_logp)).sum(1).mean())
agree = (teacher(x).argmax(1) == student(x).argmax(1)).float().mean()
print("agreement", agree.item())
