"""Mirrors `torch._dynamo.config`: programs set `suppress_errors`, `cache_size_limit` and the
like before compiling. ember never compiles, so the values are only recorded. Setting any
name is accepted (torch refuses names it does not know; settings of other torch versions are
accepted here instead of breaking the program); reading an unset unknown name raises
AttributeError as torch does. `patch` works as in torch (context manager or decorator)."""

from ..compiler._config_patch import make_patch

suppress_errors = False
verbose = False
cache_size_limit = 8
recompile_limit = 8
accumulated_cache_size_limit = 256
accumulated_recompile_limit = 256
fail_on_cache_limit_hit = False
automatic_dynamic_shapes = True
assume_static_by_default = True
dynamic_shapes = True
capture_scalar_outputs = False
capture_dynamic_output_shape_ops = False
optimize_ddp = True
inline_inbuilt_nn_modules = True
specialize_int = False
specialize_float = False
guard_nn_modules = True
force_parameter_static_shapes = True
force_nn_module_property_static_shapes = True
error_on_recompile = False
raise_on_ctx_manager_usage = True
replay_record_enabled = False
skip_nnmodule_hook_guards = True
compiled_autograd = False
log_compilation_metrics = True
prefer_deferred_runtime_asserts_over_guards = False
allow_unspec_int_on_nn_module = False
debug_dir_root = "/tmp/torch_compile_debug"
repro_after = None
repro_level = 2


def __getattr__(name):
    raise AttributeError(f"torch._dynamo.config.{name} does not exist")


patch = make_patch(__name__)
