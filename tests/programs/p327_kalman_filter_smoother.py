# State estimation: a constant-velocity Kalman filter tracking a 2-D target from noisy
# position measurements (batched matmuls, Joseph-form covariance update, innovation
# likelihood), a Rauch-Tung-Striebel smoother pass, and learning the process noise scale by
# gradient ascent on the filter's log-likelihood.
import torch

torch.manual_seed(88)
torch.set_printoptions(precision=4, sci_mode=False)
dt = 0.1
T = 80
F_ = torch.tensor([[1, 0, dt, 0], [0, 1, 0, dt], [0, 0, 1, 0], [0, 0, 0, 1]], dtype=torch.float64)
H = torch.tensor([[1.0, 0, 0, 0], [0, 1.0, 0, 0]], dtype=torch.float64)
q_true, r_true = 0.5, 0.3
G = torch.tensor([[dt ** 2 / 2, 0], [0, dt ** 2 / 2], [dt, 0], [0, dt]], dtype=torch.float64)
Q_unit = G @ G.T
R = r_true ** 2 * torch.eye(2, dtype=torch.float64)

x = torch.tensor([0.0, 0.0, 1.0, 0.5], dtype=torch.float64)
states, obs = [], []
for t in range(T):
    x = F_ @ x + G @ (q_true * torch.randn(2, dtype=torch.float64))
    states.append(x)
    obs.append(H @ x + r_true * torch.randn(2, dtype=torch.float64))
states, obs = torch.stack(states), torch.stack(obs)
print("truth", states.shape, "observations", obs.shape, f"final pos {states[-1, :2].round(decimals=3).tolist()}")


def kalman(obs, q):
    Q = q ** 2 * Q_unit
    m = torch.zeros(4, dtype=torch.float64)
    P = torch.eye(4, dtype=torch.float64) * 10
    means, covs, preds, pcovs = [], [], [], []
    ll = torch.zeros((), dtype=torch.float64)
    I = torch.eye(4, dtype=torch.float64)
    for z in obs:
        m_pred = F_ @ m
        P_pred = F_ @ P @ F_.T + Q
        S = H @ P_pred @ H.T + R
        K = P_pred @ H.T @ torch.linalg.inv(S)
        v = z - H @ m_pred
        ll = ll + torch.distributions.MultivariateNormal(torch.zeros(2, dtype=torch.float64), S).log_prob(v)
        m = m_pred + K @ v
        IKH = I - K @ H
        P = IKH @ P_pred @ IKH.T + K @ R @ K.T  # Joseph form stays symmetric PSD
        means.append(m); covs.append(P); preds.append(m_pred); pcovs.append(P_pred)
    return torch.stack(means), torch.stack(covs), torch.stack(preds), torch.stack(pcovs), ll


means, covs, preds, pcovs, ll = kalman(obs, torch.tensor(q_true, dtype=torch.float64))
rmse = lambda est: (est[:, :2] - states[:, :2]).pow(2).sum(1).mean().sqrt().item()
print(f"raw obs rmse {(obs - states[:, :2]).pow(2).sum(1).mean().sqrt().item():.4f} filter rmse {rmse(means):.4f}")
print(f"loglik {ll.item():.4f}", "P symmetric", torch.allclose(covs, covs.transpose(1, 2)))
print("final cov diag", covs[-1].diagonal())

# RTS smoother (backwards)
sm = means.clone()
sP = covs.clone()
for t in range(T - 2, -1, -1):
    Cg = covs[t] @ F_.T @ torch.linalg.inv(pcovs[t + 1])
    sm[t] = means[t] + Cg @ (sm[t + 1] - preds[t + 1])
    sP[t] = covs[t] + Cg @ (sP[t + 1] - pcovs[t + 1]) @ Cg.T
print(f"smoother rmse {rmse(sm):.4f} (< filter {rmse(sm) < rmse(means)})", "velocity est", sm[T // 2, 2:].round(decimals=3).tolist())

# learn log q by maximising the likelihood
log_q = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
opt = torch.optim.Adam([log_q], lr=0.1)
for it in range(40):
    *_, ll = kalman(obs, log_q.exp())
    opt.zero_grad()
    (-ll).backward()
    opt.step()
    if it % 10 == 0:
        print(f"it {it:2d} q={log_q.exp().item():.4f} loglik {ll.item():.4f} grad {log_q.grad.item():+.4f}")
print(f"learned q {log_q.exp().item():.3f} (true {q_true})")
