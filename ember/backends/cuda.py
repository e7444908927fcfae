"""Mirrors `torch.backends.cuda`: matmul precision flags (stored, unused)."""


class _MatmulFlags:
    def __init__(self):
        self.allow_fp16_reduced_precision_reduction = True
        self.allow_bf16_reduced_precision_reduction = True
        self.fp32_precision = "none"

    # allow_tf32 is another view of torch.set_float32_matmul_precision, as in PyTorch
    @property
    def allow_tf32(self):
        from .._runtime import get_float32_matmul_precision

        return get_float32_matmul_precision() != "highest"

    @allow_tf32.setter
    def allow_tf32(self, value):
        from .._runtime import set_float32_matmul_precision

        set_float32_matmul_precision("high" if value else "highest")


matmul = _MatmulFlags()


def is_built():
    """Whether CUDA support is present: for ember, whether CuPy imports and sees a GPU."""
    from ..cuda import is_available

    return is_available()


def flash_sdp_enabled():
    return False


def enable_flash_sdp(enabled):
    return None


def mem_efficient_sdp_enabled():
    return False


def enable_mem_efficient_sdp(enabled):
    return None


def math_sdp_enabled():
    return True


def enable_math_sdp(enabled):
    return None
