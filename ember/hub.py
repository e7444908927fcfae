"""Mirrors `torch.hub`'s names. ember never downloads anything, so `load`, `list`, `help`,
`load_state_dict_from_url` and `download_url_to_file` raise RuntimeError saying so (load a
local checkpoint with `ember.load` instead); `get_dir` / `set_dir` work as in torch."""

import os

ENV_TORCH_HOME = "TORCH_HOME"
ENV_XDG_CACHE_HOME = "XDG_CACHE_HOME"
DEFAULT_CACHE_DIR = "~/.cache"
MODULE_HUBCONF = "hubconf.py"
VAR_DEPENDENCY = "dependencies"

_HUB_DIR = [None]


def _no_download(what):
    raise RuntimeError(
        f"torch.hub.{what}: ember never downloads (no network access). Download the file "
        "with PyTorch or another tool and load it with ember.load(path).")


def get_dir():
    """Mirrors `torch.hub.get_dir`: set_dir's directory, else $TORCH_HOME/hub, else
    $XDG_CACHE_HOME/torch/hub, else ~/.cache/torch/hub."""
    if os.getenv("TORCH_HUB"):
        import warnings

        warnings.warn("TORCH_HUB is deprecated, please use env TORCH_HOME instead",
                      stacklevel=2)
    if _HUB_DIR[0] is not None:
        return _HUB_DIR[0]
    return os.path.join(_get_torch_home(), "hub")


def _get_torch_home():
    return os.path.expanduser(os.getenv(
        ENV_TORCH_HOME,
        os.path.join(os.getenv(ENV_XDG_CACHE_HOME, DEFAULT_CACHE_DIR), "torch")))


def set_dir(d):
    """Mirrors `torch.hub.set_dir`."""
    _HUB_DIR[0] = os.path.expanduser(d)


def list(github, force_reload=False, skip_validation=False, trust_repo="check", verbose=True):
    """Mirrors `torch.hub.list`: raises (ember never downloads)."""
    _no_download("list")


def help(github, model, force_reload=False, skip_validation=False, trust_repo="check"):
    """Mirrors `torch.hub.help`: raises (ember never downloads)."""
    _no_download("help")


def load(repo_or_dir, model, *args, source="github", trust_repo="check", force_reload=False,
         verbose=True, skip_validation=False, **kwargs):
    """Mirrors `torch.hub.load`: raises (ember never downloads or runs hubconf code)."""
    _no_download("load")


def load_state_dict_from_url(url, model_dir=None, map_location=None, progress=True,
                             check_hash=False, file_name=None, weights_only=False):
    """Mirrors `torch.hub.load_state_dict_from_url`: raises (ember never downloads)."""
    _no_download("load_state_dict_from_url")


def download_url_to_file(url, dst, hash_prefix=None, progress=True):
    """Mirrors `torch.hub.download_url_to_file`: raises (ember never downloads)."""
    _no_download("download_url_to_file")
