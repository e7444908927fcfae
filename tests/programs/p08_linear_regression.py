# Linear regression with nn.Linear, MSELoss and SGD.
import numpy as np
import torch
import torch.nn as nn

rng = np.random.default_rng(0)
X_np = rng.standard_normal((64, 3)).astype(np.float32)
true_w = np.array([[2.0], [-3.4], [1.5]], dtype=np.float32)
y_np = X_np @ true_w + 4.2 + 0.01 * rng.standard_normal((64, 1)).astype(np.float32)
X = torch.from_numpy(X_np)
y = torch.from_numpy(y_np)


class LinearRegressionModel(nn.Module):
    def __init__(self):
        super(LinearRegressionModel, self).__init__()
        self.linear = nn.Linear(3, 1)

    def forward(self, x):
        return self.linear(x)


model = LinearRegressionModel()
with torch.no_grad():
    model.linear.weight.fill_(0.0)
    model.linear.bias.zero_()
criterion = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(30):
    outputs = model(X)
    loss = criterion(outputs, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if (epoch + 1) % 5 == 0:
        print(f'Epoch [{epoch + 1}/30], Loss: {loss.item():.4f}')
print(model)
print([tuple(p.shape) for p in model.parameters()])
print(np.round(model.linear.weight.detach().numpy(), 2))
print(round(model.linear.bias.item(), 2))
predicted = model(X).detach().numpy()
print(predicted.shape, predicted.dtype)

# closed form with lstsq / normal equations
Xb = torch.cat([X, torch.ones(64, 1)], dim=1).double()
w = torch.linalg.solve(Xb.T @ Xb, Xb.T @ y.double())
print(w.round(decimals=2).flatten())
