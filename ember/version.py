"""Mirrors `torch.version`: the version programs compare, and what the build was made with
(ember: no CUDA or ROCm build)."""

import re

# ember's own release (the package's version in pyproject.toml)
ember = "0.1.0"
# the PyTorch API level ember mirrors
api = "2.13.0"


class TorchVersion(str):
    """A version string that compares as a version with strings and tuples, like torch's
    (`torch.__version__ >= "2.0"`, `torch.__version__ > (1, 12)`)."""

    @staticmethod
    def _key(v):
        if isinstance(v, tuple):
            return tuple(int(x) for x in v)
        release = re.match(r"\d+(\.\d+)*", str(v))
        if release is None:
            raise ValueError(f"{v!r} is not a version")
        return tuple(int(x) for x in release.group(0).split("."))

    def _cmp(self, other):
        a = self._key(self)
        b = self._key(other)
        # "2.13" equals "2.13.0": compare with trailing zeros filled in
        n = max(len(a), len(b))
        # a local label ("+cpu") sorts after the plain release, as in PEP 440
        a = a + (0,) * (n - len(a)) + (int("+" in str(self)),)
        b = b + (0,) * (n - len(b)) + (int(not isinstance(other, tuple) and "+" in other),)
        return (a > b) - (a < b)

    def __lt__(self, other):
        return self._cmp(other) < 0

    def __le__(self, other):
        return self._cmp(other) <= 0

    def __gt__(self, other):
        return self._cmp(other) > 0

    def __ge__(self, other):
        return self._cmp(other) >= 0

    def __eq__(self, other):
        if isinstance(other, (str, tuple)):
            try:
                return self._cmp(other) == 0
            except ValueError:
                return False
        return NotImplemented

    def __ne__(self, other):
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    __hash__ = str.__hash__


# programs choose code paths by `torch.__version__` ("torch >= 2.0"): it reports the API level
# ember mirrors, with ember's release as the local label (as torch's own "2.13.0+cpu")
__version__ = TorchVersion(f"{api}+ember{ember}")

cuda = None
hip = None
xpu = None
debug = False
git_version = "unknown"
