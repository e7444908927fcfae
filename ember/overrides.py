"""Mirrors `torch.overrides`: the `__torch_function__` helpers that library code calls.
ember's own functions do not dispatch to `__torch_function__`, but code that checks
`has_torch_function(...)` and forwards through `handle_torch_function` (as torch's own
Python functions do) works with objects that define it."""

import functools

__all__ = [
    "get_ignored_functions",
    "get_overridable_functions",
    "get_testing_overrides",
    "handle_torch_function",
    "has_torch_function",
    "has_torch_function_unary",
    "has_torch_function_variadic",
    "is_tensor_like",
    "is_tensor_method_or_property",
    "resolve_name",
    "wrap_torch_function",
]


def _overrides(obj):
    # an object takes part when its type defines __torch_function__ (ember's Tensor does not)
    return getattr(type(obj), "__torch_function__", None) is not None


def has_torch_function(relevant_args):
    """Mirrors `torch.overrides.has_torch_function`."""
    return any(_overrides(a) for a in relevant_args)


def has_torch_function_unary(obj):
    """Mirrors `torch.overrides.has_torch_function_unary`."""
    return _overrides(obj)


def has_torch_function_variadic(*args):
    """Mirrors `torch.overrides.has_torch_function_variadic`."""
    return any(_overrides(a) for a in args)


def is_tensor_like(inp):
    """Mirrors `torch.overrides.is_tensor_like`: a Tensor or anything whose type defines
    `__torch_function__`."""
    from ._tensor import Tensor

    return isinstance(inp, Tensor) or hasattr(inp, "__torch_function__")


def _overloaded_args(relevant_args):
    """Types defining __torch_function__, each once, subclasses before their bases (torch's
    order: left to right otherwise)."""
    args = []
    types = []
    for a in relevant_args:
        t = type(a)
        if t in types or not _overrides(a):
            continue
        index = len(args)
        for i, other in enumerate(args):
            if issubclass(t, type(other)):
                index = i
                break
        args.insert(index, a)
        types.insert(index, t)
    return args


def handle_torch_function(public_api, relevant_args, *args, **kwargs):
    """Mirrors `torch.overrides.handle_torch_function`: calls `__torch_function__` of the
    overloaded arguments until one returns something other than NotImplemented."""
    overloaded = _overloaded_args(relevant_args)
    types = tuple(type(a) for a in overloaded)
    for a in overloaded:
        result = type(a).__torch_function__(public_api, types, args, kwargs)
        if result is not NotImplemented:
            return result
    name = f"{public_api.__module__}.{public_api.__name__}"
    raise TypeError(
        f"no implementation found for '{name}' on types that implement __torch_function__: "
        f"{list(types)}")


def wrap_torch_function(dispatcher):
    """Mirrors `torch.overrides.wrap_torch_function`: dispatcher(*args, **kwargs) names the
    relevant arguments."""

    def inner(func):
        @functools.wraps(func)
        def wrapped(*args, **kwargs):
            relevant = dispatcher(*args, **kwargs)
            if has_torch_function(relevant):
                return handle_torch_function(wrapped, relevant, *args, **kwargs)
            return func(*args, **kwargs)

        return wrapped

    return inner


def get_ignored_functions():
    """Mirrors `torch.overrides.get_ignored_functions`: the public ember functions that take
    no tensors (creation functions, global switches), a subset of torch's set."""
    import ember

    names = ("typename", "is_tensor", "is_storage", "set_default_tensor_type",
             "set_default_dtype", "get_default_dtype", "set_rng_state", "get_rng_state",
             "manual_seed", "initial_seed", "seed", "set_printoptions", "compile",
             "set_grad_enabled", "is_grad_enabled", "no_grad", "enable_grad", "inference_mode",
             "is_inference_mode_enabled", "zeros", "ones", "empty", "full", "arange", "range",
             "linspace", "logspace", "eye", "rand", "randn", "randint", "randperm", "tensor",
             "as_tensor", "from_numpy", "frombuffer", "empty_strided", "hann_window",
             "hamming_window", "bartlett_window", "blackman_window", "kaiser_window",
             "tril_indices", "triu_indices", "set_num_threads", "get_num_threads",
             "use_deterministic_algorithms", "are_deterministic_algorithms_enabled",
             "set_anomaly_enabled", "is_anomaly_enabled", "set_warn_always",
             "is_warn_always_enabled", "set_flush_denormal", "promote_types", "result_type",
             "can_cast", "iinfo", "finfo", "device", "save", "load")
    return {getattr(ember, n) for n in names if hasattr(ember, n)}


def get_overridable_functions():
    """Mirrors `torch.overrides.get_overridable_functions`: {namespace: [functions]} for
    ember's public functions that take tensors (those not ignored)."""
    import ember

    ignored = get_ignored_functions()
    fns = []
    for name in dir(ember):
        if name.startswith("_"):
            continue
        f = getattr(ember, name, None)
        if callable(f) and not isinstance(f, type) and f not in ignored:
            fns.append(f)
    return {ember: fns}


def get_testing_overrides():
    """Mirrors `torch.overrides.get_testing_overrides`: ember lists no dummy overrides."""
    return {}


def is_tensor_method_or_property(func):
    """Mirrors `torch.overrides.is_tensor_method_or_property`."""
    from ._tensor import Tensor

    name = getattr(func, "__name__", None)
    return name is not None and getattr(Tensor, name, None) is func


def resolve_name(f):
    """Mirrors `torch.overrides.resolve_name`: 'torch.<name>' for ember functions."""
    module = getattr(f, "__module__", None) or ""
    name = getattr(f, "__qualname__", None) or getattr(f, "__name__", None)
    if name is None:
        return None
    if module.startswith("ember"):
        module = "torch"
    return f"{module}.{name}"
