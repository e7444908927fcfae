"""save/load against torch.save/torch.load, refusal of code-running pickles, corrupt files."""

import collections
import fractions
import io
import os
import pickle
import zipfile

import numpy as np
import pytest
import torch

import ember


def _eq(a, b):
    assert str(a.dtype) == str(b.dtype)
    assert tuple(a.shape) == tuple(b.shape)
    np.testing.assert_array_equal(np.asarray(a.detach().cpu().numpy()),
                                  np.asarray(b.detach().cpu().numpy()))


DTYPES = ["float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8", "bool",
          "complex64", "complex128"]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(), (0,), (3,), (2, 3), (2, 0, 4)])
def test_ember_save_torch_load(tmp_path, dtype, shape):
    rng = np.random.default_rng(0)
    arr = (rng.standard_normal(shape) * 10).astype(dtype)
    path = tmp_path / "t.pt"
    ember.save({"x": ember.tensor(arr)}, path)
    got = torch.load(path, weights_only=True)["x"]
    _eq(got, torch.tensor(arr))


@pytest.mark.parametrize("dtype", DTYPES)
def test_torch_save_ember_load(tmp_path, dtype):
    arr = (np.arange(12).reshape(3, 4) - 4).astype(dtype)
    path = tmp_path / "t.pt"
    t = torch.tensor(arr)
    torch.save({"x": t, "view": t[1:, ::2], "T": t.T}, path)
    got = ember.load(path)
    _eq(got["x"], t)
    _eq(got["view"], t[1:, ::2])
    _eq(got["T"], t.T)


def test_state_dict_and_nested_containers_round_trip(tmp_path):
    tm = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    opt = torch.optim.Adam(tm.parameters(), lr=0.01)
    tm(torch.ones(5, 3)).sum().backward()
    opt.step()
    ck = {"model": tm.state_dict(), "opt": opt.state_dict(), "epoch": 3, "loss": 0.25,
          "names": ["a", "b"], "t": (1, 2.0, None), "p": torch.nn.Parameter(torch.ones(2)),
          "dtype": torch.float64, "device": torch.device("cpu")}
    path = tmp_path / "ck.pt"
    torch.save(ck, path)
    got = ember.load(path)
    assert isinstance(got["model"], collections.OrderedDict)
    assert list(got["model"]) == list(tm.state_dict())
    for k, v in tm.state_dict().items():
        _eq(got["model"][k], v)
    assert got["epoch"] == 3 and got["loss"] == 0.25 and got["names"] == ["a", "b"]
    assert got["t"] == (1, 2.0, None)
    assert got["dtype"] is ember.float64
    assert got["device"] == ember.device("cpu")
    assert got["p"].requires_grad
    st = got["opt"]["state"]
    for i, s in opt.state_dict()["state"].items():
        for k, v in s.items():
            _eq(st[i][k], v)
    assert got["opt"]["param_groups"] == opt.state_dict()["param_groups"]
    # and back: ember writes, torch reads the same things
    path2 = tmp_path / "ck2.pt"
    ember.save(got, path2)
    back = torch.load(path2, weights_only=True)
    for k, v in tm.state_dict().items():
        _eq(back["model"][k], v)
    assert back["dtype"] is torch.float64 and back["device"] == torch.device("cpu")
    assert isinstance(back["p"], torch.nn.Parameter)
    tm2 = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    tm2.load_state_dict(back["model"])
    opt2 = torch.optim.Adam(tm2.parameters(), lr=0.01)
    opt2.load_state_dict(back["opt"])


def test_file_objects_and_requires_grad(tmp_path):
    buf = io.BytesIO()
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    ember.save(x, buf)
    buf.seek(0)
    t = torch.load(buf, weights_only=True)
    assert t.requires_grad
    buf.seek(0)
    y = ember.load(buf)
    assert y.requires_grad and y.is_leaf
    _eq(y, x)


class _Evil:
    def __reduce__(self):
        return (os.system, ("echo pwned > " + _MARK,))


_MARK = "/tmp/ember_pwned_marker"


def _evil_checkpoint(path):
    # a torch-format checkpoint whose data.pkl calls os.system when unpickled unsafely
    torch.save({"x": torch.ones(2)}, path)
    with zipfile.ZipFile(path) as z:
        entries = {n: z.read(n) for n in z.namelist()}
    name = [n for n in entries if n.endswith("data.pkl")][0]
    entries[name] = pickle.dumps({"x": _Evil()}, protocol=2)
    with zipfile.ZipFile(path, "w") as z:
        for n, d in entries.items():
            z.writestr(n, d)


def test_code_running_pickle_is_refused_and_nothing_runs(tmp_path):
    if os.path.exists(_MARK):
        os.remove(_MARK)
    path = tmp_path / "evil.pt"
    _evil_checkpoint(path)
    with pytest.raises(pickle.UnpicklingError, match="Unsupported global: GLOBAL posix.system"):
        ember.load(path)
    assert not os.path.exists(_MARK)
    # weights_only=False still never runs code from the file: the same allowlist refuses it
    with pytest.raises(pickle.UnpicklingError, match="posix.system"):
        ember.load(path, weights_only=False)
    assert not os.path.exists(_MARK)


def test_add_safe_globals_allows_a_trusted_class(tmp_path):
    path = tmp_path / "c.pt"
    torch.save({"f": fractions.Fraction(1, 3)}, path)
    # outside torch's weights-only allowlist: refused by both
    with pytest.raises(pickle.UnpicklingError, match="fractions.Fraction"):
        torch.load(path, weights_only=True)
    with pytest.raises(pickle.UnpicklingError, match="fractions.Fraction"):
        ember.load(path)
    ember.serialization.add_safe_globals([fractions.Fraction])
    try:
        assert ember.load(path)["f"] == fractions.Fraction(1, 3)
    finally:
        ember.serialization.clear_safe_globals()


def test_counter_and_protocol2_bytes_load_as_in_torch(tmp_path):
    # collections.Counter (MultiStepLR's milestones) and bytes under pickle protocol 2 are in
    # torch's weights-only allowlist
    path = tmp_path / "c.pt"
    obj = {"c": collections.Counter(a=2), "b": b"\x00\xffab"}
    torch.save(obj, path, pickle_protocol=2)
    assert torch.load(path, weights_only=True) == obj
    assert ember.load(path) == obj


@pytest.mark.parametrize("cut", [10, 100, 0.5, -30])
def test_truncated_file_gives_clear_error(tmp_path, cut):
    path = tmp_path / "t.pt"
    ember.save({"x": ember.ones(100), "y": ember.zeros(3)}, path)
    data = path.read_bytes()
    n = int(len(data) * cut) if isinstance(cut, float) else cut
    path.write_bytes(data[:n])
    with pytest.raises(RuntimeError, match="PytorchStreamReader|corrupt|truncated"):
        ember.load(path)


def test_corrupted_pickle_gives_clear_error(tmp_path):
    path = tmp_path / "t.pt"
    ember.save({"x": ember.ones(3)}, path)
    with zipfile.ZipFile(path) as z:
        entries = {n: z.read(n) for n in z.namelist()}
    name = [n for n in entries if n.endswith("data.pkl")][0]
    entries[name] = entries[name][: len(entries[name]) // 2]
    with zipfile.ZipFile(path, "w") as z:
        for n, d in entries.items():
            z.writestr(n, d)
    with pytest.raises(RuntimeError, match="corrupt"):
        ember.load(path)


def test_not_a_checkpoint(tmp_path):
    path = tmp_path / "x.pt"
    path.write_bytes(b"hello world, not a zip file at all")
    with pytest.raises(RuntimeError, match="PytorchStreamReader"):
        ember.load(path)


def test_safetensors_round_trip_and_format(tmp_path):
    path = tmp_path / "w.safetensors"
    tensors = {"w": ember.tensor(np.arange(6, dtype=np.float32).reshape(2, 3)),
               "b": ember.tensor([1, 2, 3]), "h": ember.ones(2, dtype=ember.float16)}
    ember.serialization.save_file(tensors, path, metadata={"format": "pt"})
    got = ember.serialization.load_file(path)
    assert sorted(got) == sorted(tensors)
    for k in tensors:
        _eq(got[k], tensors[k])
    # the header is the documented format: u64 length, JSON, raw little-endian data
    raw = path.read_bytes()
    import json
    import struct

    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    assert header["w"]["dtype"] == "F32" and header["w"]["shape"] == [2, 3]
    start, end = header["w"]["data_offsets"]
    body = raw[8 + n:]
    np.testing.assert_array_equal(np.frombuffer(body[start:end], "<f4"), np.arange(6))
    assert header["__metadata__"] == {"format": "pt"}
    path.write_bytes(raw[: 8 + n + 5])
    with pytest.raises(RuntimeError, match="truncated"):
        ember.serialization.load_file(path)


def test_pickle_and_deepcopy_of_tensors():
    import copy

    x = ember.tensor([[1.0, 2.0]], requires_grad=True)
    y = pickle.loads(pickle.dumps(x))
    _eq(y, x)
    assert y.requires_grad
    z = copy.deepcopy(x)
    _eq(z, x)
    z.data.add_(1) if hasattr(z.data, "add_") else None
    assert float(x.detach().cpu().numpy()[0, 0]) == 1.0


def test_size_round_trips_under_weights_only():
    # torch writes torch.Size as the global `torch.Size`; its weights-only loader accepts that
    for save_m, load_m in ((ember, ember), (ember, torch), (torch, ember)):
        f = io.BytesIO()
        save_m.save({"shape": save_m.Size([2, 3]), "x": save_m.zeros(1)}, f)
        f.seek(0)
        got = load_m.load(f, weights_only=True)["shape"]
        assert type(got) is load_m.Size and tuple(got) == (2, 3)


def test_views_share_storage_after_a_round_trip():
    # a tensor and a view of it are one storage in the file, as torch writes them
    for save_m, load_m in ((ember, ember), (ember, torch), (torch, ember)):
        a = save_m.arange(6.0)
        f = io.BytesIO()
        save_m.save({"a": a, "view": a[2:4], "col": a.view(2, 3)[:, 1]}, f)
        f.seek(0)
        d = load_m.load(f, weights_only=True)
        d["view"][0] = 100.0
        d["col"][1] = -1.0
        assert d["a"].tolist() == [0.0, 1.0, 100.0, 3.0, -1.0, 5.0]
        assert d["col"].tolist() == [1.0, -1.0]
