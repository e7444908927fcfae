"""The seed's snippets and exercises, verbatim with `import ember as torch`, against real torch."""

import subprocess
import sys
import textwrap

import numpy as np
import pytest

SNIPPETS = textwrap.dedent("""
    torch_tensor = torch.tensor([1, 2, 3, 4]); print(torch_tensor)
    print(torch.matmul(torch_tensor, torch_tensor))
    x = torch.tensor([2.0], requires_grad=True); y = x ** 2 + 3 * x + 1
    y.backward(); print(x.grad)
    a = torch.tensor([2.0], requires_grad=True); b = torch.tensor([3.0], requires_grad=True)
    c = a * b; c.backward(); print(a.grad, b.grad)
    normalized_data = np.random.default_rng(0).random((4, 3))
    normalized_data = (normalized_data - normalized_data.mean(0)) / normalized_data.std(0)
    torch_data = torch.from_numpy(normalized_data).float()
    print(torch_data.dtype, torch_data.shape)
    print(torch_data)
    if torch.cuda.is_available():
        torch_data = torch_data.to('cuda')
    print(torch_data.device)
""")


def _run(module):
    prog = f"import numpy as np\nimport {module} as torch\n" + SNIPPETS
    r = subprocess.run([sys.executable, "-c", prog], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_seed_snippets_print_what_torch_prints():
    ours = _run("ember")
    theirs = _run("torch")
    assert ours == theirs
    assert ours.splitlines()[:4] == ["tensor([1, 2, 3, 4])", "tensor(30)", "tensor([7.])",
                                     "tensor([3.]) tensor([2.])"]


def test_exercise_numpy_matrix_to_tensor():
    import torch

    import ember

    m = np.arange(9, dtype=np.float64).reshape(3, 3) / 7
    for make in (lambda mod: mod.from_numpy(m), lambda mod: mod.tensor(m),
                 lambda mod: mod.as_tensor(m)):
        e = make(ember)
        t = make(torch)
        assert str(e.dtype) == str(t.dtype) == "torch.float64"
        assert tuple(e.shape) == tuple(t.shape) == (3, 3)
        np.testing.assert_array_equal(e.cpu().numpy(), t.cpu().numpy())
        assert repr(e) == repr(t)
    shared = ember.from_numpy(m)
    m[0, 0] = 42.0
    assert shared[0, 0].item() == 42.0


def _training(torch, X, y, epochs=100):
    import torch as real

    torch.manual_seed(0)
    model = torch.nn.Linear(3, 1)
    # the same starting weights on both sides
    w = real.nn.Linear(3, 1)
    with torch.no_grad():
        model.weight.copy_(torch.tensor(W0))
        model.bias.copy_(torch.tensor(B0))
    del w
    criterion = torch.nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    Xt = torch.from_numpy(X).float()
    yt = torch.from_numpy(y).float()
    losses = []
    for epoch in range(epochs):
        optimizer.zero_grad()
        loss = criterion(model(Xt), yt)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return np.array(losses), model.weight.detach().cpu().numpy().copy(), model.bias.detach().cpu().numpy()


W0 = [[0.1, -0.2, 0.3]]
B0 = [0.05]


def test_seed_training_loop_matches_torch():
    import torch

    import ember

    rng = np.random.default_rng(0)
    X = rng.standard_normal((100, 3))
    y = X @ np.array([[1.5], [-2.0], [0.7]]) + 0.3 + 0.01 * rng.standard_normal((100, 1))
    le, we, be = _training(ember, X, y)
    lt, wt, bt = _training(torch, X, y)
    np.testing.assert_allclose(le, lt, rtol=1e-5)
    np.testing.assert_allclose(we, wt, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(be, bt, rtol=1e-5, atol=1e-6)


def test_exercise_linear_regression_converges_to_least_squares():
    import ember as torch

    rng = np.random.default_rng(1)
    X = rng.standard_normal((200, 3))
    y = X @ np.array([[2.0], [-1.0], [0.5]]) + 1.0 + 0.1 * rng.standard_normal((200, 1))
    A = np.hstack([X, np.ones((200, 1))])
    exact, *_ = np.linalg.lstsq(A, y, rcond=None)
    model = torch.nn.Linear(3, 1).double()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    Xt = torch.from_numpy(X)
    yt = torch.from_numpy(y)
    for _ in range(500):
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(model(Xt), yt)
        loss.backward()
        opt.step()
    got = np.concatenate([model.weight.detach().cpu().numpy().ravel(), model.bias.detach().cpu().numpy()])
    np.testing.assert_allclose(got, exact.ravel(), atol=1e-6)


@pytest.mark.parametrize("device", ["cuda"])
def test_guarded_cuda_code_runs_without_gpu(device):
    import ember as torch

    x = torch.ones(3)
    if torch.cuda.is_available():
        x = x.to(device)
        assert x.is_cuda
    else:
        with pytest.raises(Exception, match="ember\\[cuda13\\]|CuPy"):
            x.to(device)
