"""The unit tests people write for their models, run as a plain script."""

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.autograd import gradcheck
from torch.testing import assert_close


class ConvEncoder(nn.Module):
    def __init__(self, in_ch=1, width=8, out_dim=16):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(in_ch, width, 3, padding=1), nn.GroupNorm(2, width), nn.GELU(),
            nn.Conv2d(width, width * 2, 3, stride=2, padding=1), nn.ReLU(inplace=True),
            nn.AdaptiveMaxPool2d(2),
        )
        self.head = nn.Linear(width * 2 * 4, out_dim)

    def forward(self, x):
        return self.head(self.body(x).flatten(1))


def count_parameters(model, trainable_only=True):
    return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable_only)


def test_output_shapes():
    model = ConvEncoder()
    for batch, size in [(1, 8), (2, 9), (3, 16), (4, 31)]:
        out = model(torch.randn(batch, 1, size, size))
        assert out.shape == (batch, 16), out.shape
        print(f"  input {(batch, 1, size, size)} -> {tuple(out.shape)}")


def test_parameter_count():
    model = ConvEncoder()
    n = count_parameters(model)
    expected = (1 * 8 * 9 + 8) + (8 + 8) + (8 * 16 * 9 + 16) + (64 * 16 + 16)
    assert n == expected, (n, expected)
    model.head.requires_grad_(False)
    print("  total", count_parameters(model, False), "trainable", count_parameters(model))
    for name, p in model.named_parameters():
        print(f"  {name:<18} {str(tuple(p.shape)):<16} {p.numel():>5} {p.requires_grad}")


def test_gradient_flow():
    model = ConvEncoder()
    out = model(torch.randn(2, 1, 12, 12))
    out.pow(2).mean().backward()
    for name, p in model.named_parameters():
        assert p.grad is not None, f"{name} has no grad"
        assert p.grad.abs().sum() > 0, f"{name} has zero grad"
        assert torch.isfinite(p.grad).all()
    print("  all", len(list(model.parameters())), "parameters receive gradient")
    # a frozen sub-module gets none
    model.zero_grad(set_to_none=True)
    for p in model.body[0].parameters():
        p.requires_grad_(False)
    model(torch.randn(2, 1, 12, 12)).sum().backward()
    print("  frozen grads:", [p.grad for p in model.body[0].parameters()])
    print("  set_to_none head grad is None before?", model.head.weight.grad is None)


def test_determinism():
    def run(seed):
        torch.manual_seed(seed)
        m = ConvEncoder()
        x = torch.randn(3, 1, 10, 10)
        return m(x)

    a, b, c = run(0), run(0), run(1)
    assert torch.equal(a, b)
    assert not torch.allclose(a, c)
    print("  same seed equal:", torch.equal(a, b), "different seed equal:", torch.equal(a, c))
    state = torch.get_rng_state()
    r1 = torch.rand(3)
    torch.set_rng_state(state)
    r2 = torch.rand(3)
    assert_close(r1, r2, rtol=0, atol=0)
    print("  rng state restore ok", r1.shape, state.dtype, state.shape)


def test_overfit_one_batch():
    torch.manual_seed(0)
    model = ConvEncoder(out_dim=4)
    x = torch.randn(8, 1, 8, 8)
    y = torch.tensor([0, 1, 2, 3, 0, 1, 2, 3])
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    for step in range(200):
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        if loss.item() < 0.05:
            break
    acc = (model(x).argmax(1) == y).float().mean().item()
    assert loss.item() < 0.05 and acc == 1.0
    print(f"  overfit reached loss<0.05: {loss.item() < 0.05} acc {acc:.2f}")


def test_assert_close_messages():
    a = torch.tensor([1.0, 2.0, 3.0])
    assert_close(a, a + 1e-7)
    assert_close(a, a * (1 + 1e-4), rtol=1e-3, atol=0)
    for kwargs in [dict(), dict(rtol=0, atol=1e-3)]:
        try:
            assert_close(a, torch.tensor([1.0, 2.5, 3.0]), **kwargs)
        except AssertionError as e:
            print("  " + str(e).replace("\n", "\n  "))
    try:
        assert_close(a, a.double())
    except AssertionError as e:
        print("  dtype:", str(e).splitlines()[0])
    try:
        assert_close(a, a[:2])
    except AssertionError as e:
        print("  shape:", str(e).splitlines()[0])
    assert_close(a, a.double(), check_dtype=False)
    assert_close(torch.tensor(float("nan")), torch.tensor(float("nan")), equal_nan=True)
    print("  check_dtype=False and equal_nan ok")


class ScaledTanh(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, scale):
        y = torch.tanh(x * scale)
        ctx.save_for_backward(y, scale)
        return y

    @staticmethod
    def backward(ctx, grad_out):
        y, scale = ctx.saved_tensors
        dy = 1 - y * y
        return grad_out * dy * scale, (grad_out * dy * ctx.saved_tensors[0].new_ones(1) * 0
                                       + grad_out * dy * torch.atanh(y) / scale).sum().view(1)


def test_gradcheck_custom_layer():
    x = torch.randn(5, dtype=torch.double, requires_grad=True)
    s = torch.tensor([0.7], dtype=torch.double, requires_grad=True)
    ok = gradcheck(ScaledTanh.apply, (x, s), eps=1e-6, atol=1e-4)
    print("  gradcheck:", ok)
    lin = nn.Linear(3, 2).double()
    ok2 = gradcheck(lambda inp: F.softplus(lin(inp)), (torch.randn(4, 3, dtype=torch.double,
                                                                   requires_grad=True),))
    print("  gradcheck module:", ok2)
    bad = lambda t: BadGrad.apply(t)
    try:
        gradcheck(bad, (torch.randn(3, dtype=torch.double, requires_grad=True),))
    except Exception as e:
        print("  bad gradient caught:", type(e).__name__, str(e).splitlines()[0])
    print("  raise_exception=False ->",
          gradcheck(bad, (torch.randn(3, dtype=torch.double, requires_grad=True),),
                    raise_exception=False))


class BadGrad(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x ** 2

    @staticmethod
    def backward(ctx, g):
        return g * 3.0


tests = [v for k, v in list(globals().items()) if k.startswith("test_")]
torch.manual_seed(1234)
passed = 0
for t in tests:
    print(t.__name__)
    t()
    passed += 1
print(f"{passed} passed, {len(tests) - passed} failed")
