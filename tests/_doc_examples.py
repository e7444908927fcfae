"""Run PyTorch's own docstring examples under torch and under ember, and compare transcripts.

A *block* is the list of `>>>` examples of one docstring; they share one namespace, as in
doctest. Running a block gives a *transcript*: for each example, what doctest would show (the
repr of an expression statement's value and anything printed), or the exception's type when the
example raises. PyTorch is the specification, so a block is usable only when real torch runs it
cleanly and reproducibly; ember must then produce the same transcript.
"""

import builtins
import contextlib
import doctest
import importlib
import io
import math
import re
import sys
import warnings

import numpy
import torch

import ember

# (label prefix, torch object, ember object, what to collect): "module" collects the public
# callables of a namespace, "class" the methods of one class.
NAMESPACES = [
    ("torch", "torch", "module"),
    ("Tensor", "torch.Tensor", "class"),
    ("nn", "torch.nn", "module"),
    ("F", "torch.nn.functional", "module"),
    ("linalg", "torch.linalg", "module"),
    ("special", "torch.special", "module"),
    ("fft", "torch.fft", "module"),
    ("distributions", "torch.distributions", "module"),
    ("optim", "torch.optim", "module"),
    ("lr_scheduler", "torch.optim.lr_scheduler", "module"),
]


def _resolve(dotted, root):
    """`torch.nn.functional` -> the object under `root` (torch or ember)."""
    obj = root
    for part in dotted.split(".")[1:]:
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def _members(obj, kind):
    names = sorted(dir(obj))
    for name in names:
        if name.startswith("_"):
            continue
        try:
            yield name, getattr(obj, name)
        except Exception:  # noqa: BLE001, S112 - a property that fails on the class itself
            continue


def _examples(doc):
    try:
        return [ex for ex in doctest.DocTestParser().get_examples(doc)]
    except ValueError:  # a malformed docstring (bad indentation): doctest rejects it too
        return []


class Block:
    """The examples of one docstring, and the module whose names they may use unqualified (as
    doctest runs them in that module's globals: `Normal(...)` in torch.distributions)."""

    def __init__(self, module, examples):
        self.module = module
        self.examples = examples


def collect_blocks():
    """{label: Block} for every documented object present in torch and ember.

    Aliases share one docstring (torch.Tensor.add_ and friends): each docstring is run once,
    under the first label that reaches it.
    """
    blocks, seen_docs = {}, set()
    for prefix, dotted, kind in NAMESPACES:
        t_obj, e_obj = _resolve(dotted, torch), _resolve(dotted, ember)
        if t_obj is None or e_obj is None:
            continue
        for name, t_member in _members(t_obj, kind):
            if kind == "module" and isinstance(t_member, type(sys)):
                continue  # submodules are collected under their own prefix
            if not hasattr(e_obj, name):
                continue
            doc = getattr(t_member, "__doc__", None)
            if not isinstance(doc, str) or ">>>" not in doc or doc in seen_docs:
                continue
            seen_docs.add(doc)
            examples = _examples(doc)
            if examples:
                blocks[f"{prefix}.{name}"] = Block(dotted if kind == "module" else "torch",
                                                   examples)
    return blocks


# ---------------------------------------------------------------------------------------------
# running a block


def _importer(target):
    """An `__import__` that sends `torch` and `torch.*` to `target` ("torch" or "ember").

    Examples say `import torch.nn as nn` or `from torch.distributions import Normal`; under ember
    those must load ember's modules, without touching sys.modules for the rest of the process.
    """
    real_import = builtins.__import__

    def hook(name, globals=None, locals=None, fromlist=(), level=0):
        if level == 0 and (name == "torch" or name.startswith("torch.")):
            name = target + name[len("torch") :]
        return real_import(name, globals, locals, fromlist, level)

    return hook


def _namespace(target, module):
    lib = importlib.import_module(target)
    bi = dict(vars(builtins))
    bi["__import__"] = _importer(target)
    ns = {}
    if module != "torch":
        home = _resolve(module, lib)
        ns.update((k, v) for k, v in vars(home).items() if not k.startswith("_"))
    ns.update({
        "__builtins__": bi,
        "__name__": "__doc_example__",
        "torch": lib,
        "nn": lib.nn,
        "F": lib.nn.functional,
        "optim": lib.optim,
        "math": math,
        "np": numpy,
        "numpy": numpy,
    })
    return ns


@contextlib.contextmanager
def _preserved_state(lib):
    """Undo what an example may change globally: default dtype and device, grad mode, print
    options, deterministic mode, denormal flushing."""
    dtype = lib.get_default_dtype()
    grad = lib.is_grad_enabled()
    device = lib.get_default_device()  # set_default_device's example moves it to cuda
    deterministic = lib.are_deterministic_algorithms_enabled()
    warn_only = lib.is_deterministic_algorithms_warn_only_enabled()
    printing = _get_printoptions(lib)
    try:
        yield
    finally:
        lib.set_default_dtype(dtype)
        lib.set_grad_enabled(grad)
        # None, not "cpu": torch keeps a TorchFunctionMode installed for any device set, and
        # some Python methods (Tensor.dim_order) behave differently under it. (No
        # get_default_device() here: with "cuda" set and no GPU, torch raises there.)
        lib.set_default_device(None if device.type == "cpu" else device)
        lib.use_deterministic_algorithms(deterministic, warn_only=warn_only)
        lib.set_flush_denormal(False)
        lib.set_printoptions(**printing)


def _get_printoptions(lib):
    if lib is torch:
        return {k: getattr(torch._tensor_str.PRINT_OPTS, k)
                for k in ("precision", "threshold", "edgeitems", "linewidth", "sci_mode")}
    return importlib.import_module("ember._printing").get_printoptions()


ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
# torch's functions are C builtins, ember's Python functions: the repr says which, by design
BUILTIN = re.compile(r"<built-in (?:method|function) (\w+)(?: of type object)? at 0x\?>")


def _normalise(shown):
    return BUILTIN.sub(r"<function \1 at 0x?>", ADDRESS.sub(" at 0x?", shown))


def run_block(block, target, stop=None):
    """Transcript of `block` (its first `stop` examples) run under `target`: a list of
    (source, shown) pairs.

    `shown` is what doctest would print for the example, or `raises <Type>`; the run goes on after
    an exception, as doctest does.
    """
    lib = importlib.import_module(target)
    ns = _namespace(target, block.module)
    transcript = []
    with _preserved_state(lib), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lib.manual_seed(0)
        for ex in block.examples[:stop]:
            out = io.StringIO()
            hook, sys.displayhook = sys.displayhook, sys.__displayhook__
            try:
                with contextlib.redirect_stdout(out):
                    exec(compile(ex.source, "<doc example>", "single"), ns)  # noqa: S102
                shown = out.getvalue()
            except Exception as exc:  # noqa: BLE001 - the type is the result
                shown = out.getvalue() + f"raises {type(exc).__name__}"
            finally:
                sys.displayhook = hook
            transcript.append((ex.source.rstrip(), _normalise(shown)))
    return transcript


def usable_prefix(block, transcript):
    """How many leading examples torch runs as documented: up to the first that raises where
    the docstring shows no traceback (doctest's `exc_msg`). What follows may depend on it."""
    for i, (ex, (_, shown)) in enumerate(zip(block.examples, transcript)):
        if RAISED.search(shown) and ex.exc_msg is None:
            return i
    return len(transcript)


RAISED = re.compile(r"raises \w+$")


# ---------------------------------------------------------------------------------------------
# comparing transcripts
#
# The text must match exactly, with two allowances for floating-point round-off, which depends
# on the summation order of the BLAS/LAPACK/oneDNN kernel and not on the op's definition:
# - a printed float may differ from torch's by round-off: 1e-3 relative, or 1e-5 of the largest
#   number the example prints (cancellation in a long float32 sum); its text may then differ too
#   (`1.0000` against `1.`), but everything that is not a float (dtypes, shapes, ints, names,
#   the sign of a printed zero) must still match;
# - a residual (`torch.dist(A, U @ S @ Vh)`, an example that calls dist/norm and prints a 0-d
#   tensor below 1e-3) is round-off itself: ember's must be a residual of the same dtype too.

FLOAT = re.compile(r"[-+]?(?:\d+\.\d*(?:e[-+]?\d+)?|\d+e[-+]?\d+|inf|nan)")
RESIDUAL = re.compile(r"^tensor\((\S+?)(, dtype=torch\.\w+)?\)\n$")


def same_shown(source, t_shown, e_shown):
    if t_shown == e_shown:
        return True
    if _is_residual(source, t_shown):
        return _is_residual(source, e_shown) and (
            RESIDUAL.match(t_shown).group(2) == RESIDUAL.match(e_shown).group(2)
        )
    return _same_up_to_roundoff(t_shown, e_shown)


def _is_residual(source, shown):
    m = RESIDUAL.match(shown)
    if not m or not re.search(r"\b(dist|norm)\(", source):
        return False
    try:
        return abs(float(m.group(1))) < 1e-3
    except ValueError:
        return False


def _skeleton(text):
    return re.sub(r"\s+", "", FLOAT.sub("#", text))


def _same_up_to_roundoff(t_shown, e_shown):
    if _skeleton(t_shown) != _skeleton(e_shown):
        return False
    t_nums = [float(x) for x in FLOAT.findall(t_shown)]
    e_nums = [float(x) for x in FLOAT.findall(e_shown)]
    finite = [abs(x) for x in t_nums if math.isfinite(x)]
    scale = max(finite, default=0.0)
    for a, b in zip(t_nums, e_nums):
        if not (math.isfinite(a) and math.isfinite(b)):
            if not (a == b or (math.isnan(a) and math.isnan(b))):
                return False
            continue
        if a == 0 and b == 0 and math.copysign(1, a) != math.copysign(1, b):
            return False  # 0. against -0.: a sign, not round-off
        if abs(a - b) > 1e-3 * abs(a) + 1e-5 * scale:
            return False
    return True


def same_transcript(t_transcript, e_transcript):
    return len(t_transcript) == len(e_transcript) and all(
        same_shown(src, t, e) for (src, t), (_, e) in zip(t_transcript, e_transcript)
    )


def format_diff(t_transcript, e_transcript):
    lines = []
    for (src, t_shown), (_, e_shown) in zip(t_transcript, e_transcript):
        same = same_shown(src, t_shown, e_shown)
        lines.append(f"{'  ' if same else '!!'} >>> {src}")
        if same:
            lines.append(_indent(t_shown))
        else:
            lines.append("   torch:\n" + _indent(t_shown, 6))
            lines.append("   ember:\n" + _indent(e_shown, 6))
    return "\n".join(lines)


def _indent(text, n=4):
    return "\n".join(" " * n + line for line in text.rstrip("\n").splitlines())
