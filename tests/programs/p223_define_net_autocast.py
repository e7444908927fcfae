# Recipes: "Defining a Neural Network in PyTorch" and "Automatic Mixed Precision" (on CPU
# with torch.autocast("cpu", dtype=torch.bfloat16))
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(1)


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()

        # First 2D convolutional layer, taking in 1 input channel (image),
        # outputting 32 convolutional features, with a square kernel size of 3
        self.conv1 = nn.Conv2d(1, 32, 3, 1)
        # Second 2D convolutional layer, taking in the 32 input layers,
        # outputting 64 convolutional features, with a square kernel size of 3
        self.conv2 = nn.Conv2d(32, 64, 3, 1)

        # Designed to ensure that adjacent pixels are either all 0s or all active
        # with an input probability
        self.dropout1 = nn.Dropout2d(0.25)
        self.dropout2 = nn.Dropout2d(0.5)

        # First fully connected layer
        self.fc1 = nn.Linear(9216, 128)
        # Second fully connected layer that outputs our 10 labels
        self.fc2 = nn.Linear(128, 10)

    # x represents our data
    def forward(self, x):
        # Pass data through conv1
        x = self.conv1(x)
        # Use the rectified-linear activation function over x
        x = F.relu(x)

        x = self.conv2(x)
        x = F.relu(x)

        # Run max pooling over x
        x = F.max_pool2d(x, 2)
        # Pass data through dropout1
        x = self.dropout1(x)
        # Flatten x with start_dim=1
        x = torch.flatten(x, 1)
        # Pass data through ``fc1``
        x = self.fc1(x)
        x = F.relu(x)
        x = self.dropout2(x)
        x = self.fc2(x)

        # Apply softmax to x
        output = F.log_softmax(x, dim=1)
        return output


my_nn = Net()
print(my_nn)

# Equates to one random 28x28 image
random_data = torch.rand((1, 1, 28, 28))

result = my_nn(random_data)
print(result.shape)
print(result.exp().sum().round(decimals=4))
my_nn.eval()
print(my_nn(random_data).argmax(dim=1))
print(torch.allclose(my_nn(random_data), my_nn(random_data)))
my_nn.train()

# a few training steps on random "images"
x = torch.rand(16, 1, 28, 28)
y = torch.randint(0, 10, (16,))
opt = torch.optim.SGD(my_nn.parameters(), lr=0.01, momentum=0.9)
for step in range(3):
    opt.zero_grad()
    loss = F.nll_loss(my_nn(x), y)
    loss.backward()
    opt.step()
    print(f"step {step} loss {loss.item():.4f}")

# F.dropout2d zeros whole channels
d = F.dropout2d(torch.ones(2, 4, 3, 3), p=0.5, training=True)
print(d[:, :, 0, 0])

# --- Automatic Mixed Precision on CPU ---
try:
    import ml_dtypes  # noqa: F401  (ember's bfloat16 needs it)
    have_bf16 = True
except ImportError:
    have_bf16 = False

if have_bf16:
    def make_model(in_size, out_size, num_layers):
        layers = []
        for _ in range(num_layers - 1):
            layers.append(torch.nn.Linear(in_size, in_size))
            layers.append(torch.nn.ReLU())
        layers.append(torch.nn.Linear(in_size, out_size))
        return torch.nn.Sequential(*tuple(layers))

    batch_size = 32
    in_size = 64
    out_size = 16
    num_layers = 3
    epochs = 3

    data = [torch.randn(batch_size, in_size) for _ in range(4)]
    targets = [torch.randn(batch_size, out_size) for _ in range(4)]
    loss_fn = torch.nn.MSELoss()

    net = make_model(in_size, out_size, num_layers)
    opt = torch.optim.SGD(net.parameters(), lr=0.01)

    for epoch in range(epochs):
        for input, target in zip(data, targets):
            with torch.autocast(device_type="cpu", dtype=torch.bfloat16):
                output = net(input)
                # output is bfloat16 because linear layers ``autocast`` to bfloat16.
                assert output.dtype is torch.bfloat16

                loss = loss_fn(output, target)
                # loss is float32 because ``mse_loss`` layers ``autocast`` to float32.
                assert loss.dtype is torch.float32

            loss.backward()
            opt.step()
            opt.zero_grad()  # set_to_none=True here can modestly improve performance
        print(f"epoch {epoch} loss {loss.item():.2f}")

    with torch.autocast("cpu", dtype=torch.bfloat16):
        a = torch.rand(4, 4)
        b = torch.rand(4, 4)
        c = a @ b
        d = c.float() + a
        print(c.dtype, d.dtype, torch.is_autocast_enabled("cpu"))
        with torch.autocast("cpu", enabled=False):
            print((a @ b).dtype)
    print(torch.is_autocast_enabled("cpu"))
    print(net[0].weight.dtype, net[0].weight.grad)
    checkpoint = {"model": net.state_dict(), "optimizer": opt.state_dict()}
    print(list(checkpoint["model"].keys()))
