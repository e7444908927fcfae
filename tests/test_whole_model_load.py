"""`torch.save(model)` / `torch.load(path, weights_only=False)`: whole pickled models load when
their classes are nn.Module subclasses the program already has; nothing else named by the
file is resolved, imported or run."""

import io
import os
import pickle
import sys
import types
import zipfile

import numpy as np
import pytest
import torch

import ember

_SOURCE = '''
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 2, 3)
        self.bn = nn.BatchNorm2d(2)
        self.fc = nn.Linear(8, 3)
        self.rnn = nn.LSTM(3, 4, batch_first=True)
        self.head = nn.Sequential(nn.ReLU(), nn.Linear(4, 2))
        self.cfg = {"hidden": 4, "name": "net"}

    def forward(self, x):
        h = self.bn(self.conv(x)).flatten(1)[:, :8]
        out, _ = self.rnn(self.fc(h).unsqueeze(1))
        return self.head(out)
'''


def _models_module(m, name):
    """A module `name` defining Net with framework `m`, registered in sys.modules (as a program's
    own module would be when it loads its checkpoint)."""
    mod = types.ModuleType(name)
    mod.nn = m.nn
    exec(_SOURCE, mod.__dict__)  # noqa: S102  (the test's own source)
    mod.Net.__module__ = name
    sys.modules[name] = mod
    return mod


@pytest.fixture
def models_name():
    name = "_ember_test_whole_model"
    yield name
    sys.modules.pop(name, None)


def _run(m, net):
    x = m.arange(32.0).reshape(2, 1, 4, 4) / 10
    return net(x).detach().cpu().numpy()


def test_torch_saved_model_loads_in_ember(models_name):
    tmod = _models_module(torch, models_name)
    torch.manual_seed(0)
    tnet = tmod.Net()
    tnet.bn.running_mean += 0.5
    tnet.eval()
    buf = io.BytesIO()
    torch.save(tnet, buf)
    want = _run(torch, tnet)
    # the loading program has its own (ember) definition of the class
    _models_module(ember, models_name)
    buf.seek(0)
    enet = ember.load(buf, weights_only=False)
    assert type(enet).__name__ == "Net" and isinstance(enet, ember.nn.Module)
    assert enet.training is False
    assert enet.cfg == {"hidden": 4, "name": "net"}
    assert list(enet.state_dict()) == list(tnet.state_dict())
    np.testing.assert_allclose(_run(ember, enet), want, rtol=1e-5, atol=1e-6)


def test_ember_round_trip_of_a_whole_model(models_name):
    emod = _models_module(ember, models_name)
    ember.manual_seed(0)
    net = emod.Net()
    buf = io.BytesIO()
    ember.save(net, buf)
    buf.seek(0)
    back = ember.load(buf, weights_only=False)
    np.testing.assert_array_equal(_run(ember, back), _run(ember, net))
    back.fc.weight.data.zero_()
    # a new object, not the original
    assert float(net.fc.weight.abs().sum()) > 0


def test_the_default_still_refuses_a_whole_model(models_name):
    emod = _models_module(ember, models_name)
    buf = io.BytesIO()
    ember.save(emod.Net(), buf)
    buf.seek(0)
    with pytest.raises(pickle.UnpicklingError, match="Weights only load failed"):
        ember.load(buf)


class _RunsCode:
    def __reduce__(self):
        return (os.system, ("echo pwned",))


def _checkpoint_with(obj):
    """A zip checkpoint whose data.pkl is pickle.dumps(obj)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("archive/data.pkl", pickle.dumps(obj, protocol=2))
        z.writestr("archive/version", "3\n")
    out.seek(0)
    return out


def test_weights_only_false_still_never_runs_a_function_from_the_file():
    with pytest.raises(pickle.UnpicklingError, match="os|posix|system"):
        ember.load(_checkpoint_with(_RunsCode()), weights_only=False)


def test_weights_only_false_refuses_classes_that_are_not_modules():
    # an importable, already imported class that is not an nn.Module
    with pytest.raises(pickle.UnpicklingError, match="Fraction"):
        ember.load(_checkpoint_with(__import__("fractions").Fraction(1, 3)),
                   weights_only=False)


def test_weights_only_false_imports_nothing_for_the_file(models_name):
    emod = _models_module(ember, models_name)
    buf = io.BytesIO()
    ember.save(emod.Net(), buf)
    data = buf.getvalue()
    # the loading program never imported the module the file names
    del sys.modules[models_name]
    with pytest.raises(pickle.UnpicklingError, match=models_name):
        ember.load(io.BytesIO(data), weights_only=False)
    assert models_name not in sys.modules
