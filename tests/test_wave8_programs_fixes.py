"""Fixes found by the wave-8 programs (tests/programs/p460-p479): each case runs the same code
on real torch and on ember and compares what a program would print."""

import io
import os

import pytest
import torch

import ember


def _make_net(m):
    """A module class on either framework, at module level (jit.load needs it importable)."""
    class Net(m.nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = m.nn.Linear(3, 2)
            self.register_buffer("scale", m.tensor(2.0))

        def forward(self, x):
            return self.lin(x) * self.scale

    return Net


_TorchNet = _make_net(torch)
_EmberNet = _make_net(ember)
_TorchNet.__qualname__ = _TorchNet.__name__ = "_TorchNet"
_EmberNet.__qualname__ = _EmberNet.__name__ = "_EmberNet"


@pytest.mark.parametrize("to_path", [False, True])
def test_jit_save_load_round_trip_of_a_scripted_module(tmp_path, to_path):
    def run(m, cls):
        m.manual_seed(0)
        net = m.jit.script(cls())
        net.eval()
        f = str(tmp_path / f"{m.__name__}.pt") if to_path else io.BytesIO()
        m.jit.save(net, f)
        if not to_path:
            f.seek(0)
        back = m.jit.load(f, map_location="cpu")
        x = m.arange(6.0).view(2, 3)
        with m.no_grad():
            return (m.equal(back(x), net(x)), back.training,
                    sorted(back.state_dict().keys()), back(x).round(decimals=4).tolist())

    assert run(ember, _EmberNet) == run(torch, _TorchNet)


def test_jit_load_of_a_missing_file():
    for m in (torch, ember):
        with pytest.raises(ValueError, match="does not exist"):
            m.jit.load(os.path.join("/nonexistent_dir", "model.pt"))


@pytest.mark.parametrize("case", [
    ([1, 3, 3, 2, 3], 2, -1, True),
    ([3, 3, 3, 3, 3], 3, -1, False),
    ([[2, 0, 2, 1, 2], [1, 1, 1, 1, 1]], 3, 1, True),
    ([[5.0, float("nan"), 5.0, float("nan")], [0.0, -0.0, 0.0, 1.0]], 2, 1, True),
    ([[5.0, float("nan"), 5.0, float("nan")], [0.0, -0.0, 0.0, 1.0]], 3, 1, False),
    ([[1, 1], [1, 1], [2, 1]], 2, 0, True),
])
def test_topk_returns_tied_indices_in_torchs_order(case):
    # torch's CPU topk selects with std::nth_element / std::partial_sort (not stable): the
    # indices of equal values come out in that order, and programs print them
    data, k, dim, largest = case

    def run(m):
        r = m.tensor(data).topk(k, dim=dim, largest=largest)
        return repr(r.values), r.indices.tolist()

    assert run(ember) == run(torch)


def test_topk_tie_order_over_sizes_and_paths():
    # n small (insertion sort), n > 16 (introsort), k * 64 <= n (the heap path), many rows
    g = torch.Generator().manual_seed(0)
    for n, k in [(5, 2), (17, 9), (40, 39), (130, 2), (300, 4), (1000, 15), (64, 1)]:
        for dtype in (torch.int64, torch.float32, torch.float16):
            x = torch.randint(0, 3, (3, n), generator=g).to(dtype)
            for largest in (True, False):
                want = x.topk(k, dim=1, largest=largest)
                got = ember.tensor(x.float().numpy()).to(getattr(ember, str(dtype)[6:])).topk(
                    k, dim=1, largest=largest)
                assert got.indices.tolist() == want.indices.tolist(), (n, k, dtype, largest)
                assert got.values.float().tolist() == want.values.float().tolist()


def test_topk_ties_keep_autograd():
    def run(m):
        x = m.tensor([1.0, 2.0, 2.0, 0.5, 2.0], requires_grad=True)
        v, i = x.topk(2)
        (v * m.tensor([1.0, 10.0])).sum().backward()
        return i.tolist(), x.grad.tolist()

    assert run(ember) == run(torch)


@pytest.mark.parametrize("n,k,largest", [(5, 3, True), (50, 10, True), (50, 10, False),
                                         (17, 16, True), (300, 2, True), (64, 1, False)])
def test_topk_sorted_false_gives_torchs_selection_order(n, k, largest):
    # sorted=False: torch returns the order std::nth_element leaves (unsorted), which a
    # program printing the indices sees
    g = torch.Generator().manual_seed(n + k)
    x = torch.randn(2, n, generator=g)
    x[0, ::3] = x[0, 1]

    def run(m, t):
        r = t.topk(k, dim=1, largest=largest, sorted=False)
        return r.indices.tolist(), r.values.tolist()

    assert run(ember, ember.tensor(x.numpy())) == run(torch, x)
