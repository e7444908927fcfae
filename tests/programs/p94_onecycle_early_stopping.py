# Training with OneCycleLR, gradient clipping, weight init schemes and early stopping that
# keeps the best weights with copy.deepcopy(model.state_dict()).
import copy

import numpy as np
import torch
import torch.nn as nn

rng = np.random.default_rng(1)
X = rng.uniform(-1, 1, (64, 3)).astype(np.float32)
w_true = np.array([[1.5], [-2.0], [0.5]], dtype=np.float32)
y = X @ w_true + 0.3 + rng.normal(0, 0.05, (64, 1)).astype(np.float32)
X_train, y_train = torch.from_numpy(X[:48]), torch.from_numpy(y[:48])
X_val, y_val = torch.from_numpy(X[48:]), torch.from_numpy(y[48:])

model = nn.Sequential(nn.Linear(3, 8), nn.ReLU(), nn.Linear(8, 1))
# the init functions themselves, on fixed-shape tensors: only deterministic ones printed
w = torch.empty(3, 5)
nn.init.constant_(w, 0.3)
print(w[0])
nn.init.eye_(w)
print(w)
nn.init.zeros_(w)
nn.init.ones_(w[0])
print(w.sum())
conv_w = torch.empty(2, 2, 3)
nn.init.dirac_(conv_w)
print(conv_w)
for init in [nn.init.xavier_uniform_, nn.init.xavier_normal_, nn.init.kaiming_uniform_,
             nn.init.kaiming_normal_, nn.init.orthogonal_, nn.init.trunc_normal_,
             nn.init.uniform_, nn.init.normal_]:
    t = init(torch.empty(64, 32))
    print(init.__name__, t.shape, bool(t.isfinite().all()))
t = nn.init.trunc_normal_(torch.empty(1000), std=1.0, a=-0.5, b=0.5)
print(bool((t.abs() <= 0.5).all()))
q = nn.init.orthogonal_(torch.empty(4, 4))
print(torch.allclose(q @ q.T, torch.eye(4), atol=1e-5))
print(round(nn.init.calculate_gain('relu'), 4), round(nn.init.calculate_gain('leaky_relu', 0.2), 4),
      round(nn.init.calculate_gain('tanh'), 4), nn.init.calculate_gain('sigmoid'), round(nn.init.calculate_gain('selu'), 4))
print(nn.init._calculate_fan_in_and_fan_out(torch.empty(6, 4, 3, 3)))


def init_weights(m):
    if isinstance(m, nn.Linear):
        with torch.no_grad():
            m.weight.copy_(torch.from_numpy(rng.uniform(-0.5, 0.5, m.weight.shape).astype(np.float32)))
        nn.init.constant_(m.bias, 0.01)


model.apply(init_weights)
print(model[0].bias)

epochs = 30
steps_per_epoch = 3
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.05, epochs=epochs,
                                                steps_per_epoch=steps_per_epoch)
criterion = nn.MSELoss()
best_loss = float('inf')
best_state = None
patience, bad_epochs = 4, 0
for epoch in range(epochs):
    model.train()
    norms = []
    for b in range(steps_per_epoch):
        xb = X_train[b * 16:(b + 1) * 16]
        yb = y_train[b * 16:(b + 1) * 16]
        optimizer.zero_grad(set_to_none=True)
        loss = criterion(model(xb), yb)
        loss.backward()
        norms.append(nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0).item())
        nn.utils.clip_grad_value_(model.parameters(), clip_value=0.5)
        optimizer.step()
        scheduler.step()
    model.eval()
    with torch.no_grad():
        val_loss = criterion(model(X_val), y_val).item()
    if epoch % 5 == 0:
        print(f"epoch {epoch:2d} lr {scheduler.get_last_lr()[0]:.5f} val {val_loss:.4f} "
              f"max grad norm {max(norms):.3f}")
    if val_loss < best_loss - 1e-4:
        best_loss = val_loss
        best_state = copy.deepcopy(model.state_dict())
        bad_epochs = 0
    else:
        bad_epochs += 1
        if bad_epochs >= patience:
            print("early stop at epoch", epoch)
            break
print(f"best val {best_loss:.4f}")
model.load_state_dict(best_state)
with torch.no_grad():
    print(f"restored val {criterion(model(X_val), y_val).item():.4f}")
print(best_state['0.weight'] is not model[0].weight, best_state['0.weight'].requires_grad)
print(list(best_state.keys()), type(best_state).__name__)
print(optimizer.param_groups[0]['lr'] == scheduler.get_last_lr()[0], sorted(optimizer.state_dict()['state'][0].keys()))
p = nn.Parameter(torch.tensor([3.0, 4.0]))
p.grad = torch.tensor([3.0, 4.0])
print(nn.utils.clip_grad_norm_([p], 1.0), p.grad, nn.utils.clip_grad_norm_([p], 1.0, norm_type='inf'))
p.grad = torch.tensor([3.0, -4.0])
nn.utils.clip_grad_value_(p, 1.0)
print(p.grad, nn.utils.get_total_norm([torch.tensor([3.0, 4.0]), torch.tensor([12.0])]))
