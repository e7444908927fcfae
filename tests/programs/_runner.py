"""Runs PyTorch programs with real torch or with ember standing in for it.

Usage: python _runner.py torch|ember OUT.json PROGRAM.py ...

The framework is imported once; each program then runs in a forked child (its own process
state, so one program cannot disturb the next) with stdout and stderr sent to files. In
`ember` mode every `import torch...` resolves to the matching `ember...` module, so the
programs run unmodified. The result is a JSON object {program: [exit code, stdout, stderr]}.
"""

import importlib
import importlib.abc
import importlib.util
import json
import os
import runpy
import signal
import sys
import tempfile
import traceback

TIMEOUT_S = 60


class _TorchAlias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Resolves `torch` and `torch.x.y` to the already importable `ember` and `ember.x.y`."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != "torch" and not fullname.startswith("torch."):
            return None
        target_name = "ember" + fullname[len("torch"):]
        try:
            importlib.import_module(target_name)
        except ModuleNotFoundError:
            # never fall through to the real torch: a missing module is a missing module
            raise ModuleNotFoundError(f"No module named '{fullname}' (ember has no "
                                      f"'{target_name}')", name=fullname) from None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec):
        return sys.modules["ember" + spec.name[len("torch"):]]

    def exec_module(self, module):
        # the ember module is already executed; nothing to do
        return None


def _setup(mode):
    if mode == "ember":
        # the repository root, so that the ember being tested is the one imported
        sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(
            os.path.abspath(__file__)))))
        sys.meta_path.insert(0, _TorchAlias())
    import torch  # (imported once, shared by every forked child)

    expected = "ember" if mode == "ember" else "torch"
    if torch.__name__ != expected:
        raise SystemExit(f"`import torch` gave {torch.__name__}, not {expected}")
    if mode == "torch":
        _warm_up(torch)


def _warm_up(torch):
    """Load what PyTorch loads lazily on first use, once, before the children fork: each
    program would otherwise pay for it again (seconds in all). Nothing here touches state a
    program can observe (the random stream is reseeded at the end)."""
    import torch.nn.functional as F
    import torch.utils.data  # noqa: F401

    seed = torch.initial_seed()
    x = torch.ones(2, 1, 4, 4, requires_grad=True)
    y = F.conv2d(x, torch.ones(1, 1, 3, 3), padding=1)
    y = F.max_pool2d(F.relu(y), 2)
    lin = torch.nn.Linear(4, 2)
    lstm = torch.nn.LSTM(2, 2, batch_first=True)
    out, _ = lstm(lin(y.view(2, 4)).unsqueeze(1))
    loss = F.cross_entropy(out.squeeze(1), torch.tensor([0, 1]))
    loss.backward()
    torch.optim.Adam(lin.parameters()).step()
    try:
        import torch._dynamo  # noqa: F401  (torch.compile's first call imports it)
    except ImportError:
        pass
    torch.manual_seed(seed)


def _child(path, out_fd, err_fd):
    os.dup2(out_fd, 1)
    os.dup2(err_fd, 2)
    signal.alarm(TIMEOUT_S)
    sys.argv = [path]
    code = 0
    try:
        runpy.run_path(path, run_name="__main__")
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 1
    except BaseException:  # noqa: BLE001  (report any failure of the program)
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _run_one(path, workdir):
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            os.chdir(workdir)
            _child(path, out.fileno(), err.fileno())
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return [code, out.read().decode(errors="replace"), err.read().decode(errors="replace")]


def main(argv):
    mode, out_path, programs = argv[0], argv[1], argv[2:]
    _setup(mode)
    results = {}
    with tempfile.TemporaryDirectory() as workdir:
        for path in programs:
            results[os.path.basename(path)] = _run_one(os.path.abspath(path), workdir)
    with open(out_path, "w") as f:
        json.dump(results, f)


if __name__ == "__main__":
    main(sys.argv[1:])
