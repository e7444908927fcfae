# Predict the next value of a sine wave with nn.RNN / nn.LSTM / nn.GRU.
import numpy as np
import torch
import torch.nn as nn

t = np.linspace(0, 4 * np.pi, 41)
wave = np.sin(t).astype(np.float32)
seq_len = 8
xs = np.stack([wave[i:i + seq_len] for i in range(30)])
ys = np.stack([wave[i + seq_len] for i in range(30)])
X = torch.from_numpy(xs).unsqueeze(-1)
Y = torch.from_numpy(ys).unsqueeze(-1)
print(X.shape, Y.shape)


class SeqModel(nn.Module):
    def __init__(self, cell):
        super().__init__()
        self.rnn = cell(input_size=1, hidden_size=6, num_layers=1, batch_first=True)
        self.head = nn.Linear(6, 1)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.head(out[:, -1, :])


for cell in (nn.RNN, nn.LSTM, nn.GRU):
    model = SeqModel(cell)
    rng = np.random.default_rng(5)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.from_numpy(rng.uniform(-0.4, 0.4, p.shape).astype(np.float32)))
    opt = torch.optim.Adam(model.parameters(), lr=0.02)
    loss_fn = nn.MSELoss()
    for epoch in range(15):
        opt.zero_grad()
        loss = loss_fn(model(X), Y)
        loss.backward()
        opt.step()
    print(cell.__name__, f"{loss.item():.4f}")
    print([(n, tuple(p.shape)) for n, p in model.rnn.named_parameters()])

lstm = nn.LSTM(3, 5, num_layers=2)
inp = torch.zeros(7, 2, 3)
out, (h, c) = lstm(inp)
print(out.shape, h.shape, c.shape)
gru = nn.GRU(3, 4, bidirectional=True, batch_first=True)
o, h = gru(torch.zeros(2, 7, 3))
print(o.shape, h.shape)
cell = nn.LSTMCell(3, 4)
hx = torch.zeros(2, 4)
cx = torch.zeros(2, 4)
for i in range(3):
    hx, cx = cell(torch.ones(2, 3), (hx, cx))
print(hx.shape, cx.shape)
print(lstm)
