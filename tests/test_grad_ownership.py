"""`.grad` arrays: backward hands a leaf the rule's own fresh array without copying it (see
autograd/_engine._owned). These check that no `.grad` ever shares memory with another tensor or
with the user's `gradient=`, and that accumulation still matches torch."""

import numpy as np
import pytest
import torch

import ember


def _grads(m, build):
    leaves, out, grad = build(m)
    if grad is None:
        out.backward()
    else:
        out.backward(grad)
    return leaves, grad


CASES = {
    "shared by two leaves": lambda m: (
        (a := m.ones(3, requires_grad=True), b := m.ones(3, requires_grad=True)),
        (a + b).sum(), None),
    "same leaf twice": lambda m: (
        (a := m.ones(3, requires_grad=True),), (a + a).sum(), None),
    "user gradient passed through": lambda m: (
        (a := m.ones(3, requires_grad=True),), a + 0, m.full((3,), 2.0)),
    "linear": lambda m: (
        (lin := m.nn.Linear(4, 2),) and (lin.weight, lin.bias),
        lin(m.arange(8.0).reshape(2, 4)).sum(), None),
    "matmul": lambda m: (
        (w := m.ones(2, 3, requires_grad=True),), (m.ones(4, 2) @ w).sum(), None),
    "broadcast": lambda m: (
        (b := m.zeros(3, requires_grad=True),), (m.ones(4, 3) * 2 + b).sum(), None),
}


@pytest.mark.parametrize("name", list(CASES))
def test_grads_own_their_memory_and_match_torch(name):
    t_leaves, _ = _grads(torch, CASES[name])
    e_leaves, e_grad = _grads(ember, CASES[name])
    arrays = [leaf.grad.cpu().numpy() for leaf in e_leaves]
    for x, y in zip(t_leaves, e_leaves):
        np.testing.assert_allclose(y.grad.cpu().numpy(), x.grad.cpu().numpy(), rtol=1e-6)
    others = [leaf.detach().cpu().numpy() for leaf in e_leaves]
    if e_grad is not None:
        others.append(e_grad.cpu().numpy())
    for i, g in enumerate(arrays):
        for j, h in enumerate(arrays):
            if i != j:
                assert not np.shares_memory(g, h)
        for o in others:
            assert not np.shares_memory(g, o)
    # writing into one .grad changes nothing else
    arrays[0][...] = 123.0
    for leaf in e_leaves[1:]:
        assert not (leaf.grad.cpu().numpy() == 123.0).all()
    if e_grad is not None:
        assert (e_grad.cpu().numpy() == 2.0).all()


def test_second_backward_accumulates_into_an_owned_grad():
    results = []
    for m in (torch, ember):
        w = m.ones(2, 3, requires_grad=True)
        out = (m.arange(8.0).reshape(4, 2) @ w).sum()
        out.backward(retain_graph=True)
        first = w.grad
        out.backward()
        # accumulation is in place, into the same .grad tensor
        assert w.grad is first
        results.append(w.grad.cpu().numpy().copy())
    np.testing.assert_array_equal(results[1], results[0])


def test_optimizer_steps_with_owned_grads_match_torch():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((16, 5)).astype(np.float32)
    sd = None
    finals = []
    for m in (torch, ember):
        m.manual_seed(0)
        model = m.nn.Sequential(m.nn.Linear(5, 4), m.nn.ReLU(), m.nn.Linear(4, 1))
        if sd is None:
            sd = {k: v.detach().cpu().numpy().copy() for k, v in model.state_dict().items()}
        model.load_state_dict({k: m.tensor(v) for k, v in sd.items()})
        opt = m.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        for _ in range(5):
            opt.zero_grad()
            model(m.tensor(x)).pow(2).mean().backward()
            opt.step()
        finals.append([p.detach().cpu().numpy().copy() for p in model.parameters()])
    for a, b in zip(finals[0], finals[1]):
        np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6)
