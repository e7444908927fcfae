"""Bindings: public functions (`ember.add`) and Tensor methods (`x.add`) from one definition."""

FUNCTIONS = {}


def public(*names, method=True, function=True):
    """Export `fn` as `ember.<name>` and/or `Tensor.<name>` for each name."""

    def deco(fn):
        from .._tensor import Tensor

        for name in names:
            if function:
                FUNCTIONS[name] = fn
            if method:
                setattr(Tensor, name, fn)
        return fn

    return deco


def method(*names):
    return public(*names, function=False)
