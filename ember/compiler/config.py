"""Mirrors `torch.compiler.config`: the settings programs set before compiling. ember never
compiles, so they are only recorded; reading a name torch does not have raises
AttributeError, as torch's config module does."""

from ._config_patch import make_patch

job_id = None
cache_key_tag = ""
force_disable_caches = False
dynamic_shapes = True
assume_static_by_default = True
automatic_dynamic_shapes = True
recompile_limit = 8
accumulated_recompile_limit = 256
verbose = False
capture_scalar_outputs = False
capture_dynamic_output_shape_ops = False
log_file_name = None
fail_on_recompile_limit_hit = False
allow_unspec_int_on_nn_module = False
force_cudagraph_gc = False


def __getattr__(name):
    raise AttributeError(f"torch.compiler.config.{name} does not exist")


patch = make_patch(__name__)
