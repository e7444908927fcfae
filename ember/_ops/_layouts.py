"""Result layouts that NumPy does not give on its own (loaded after every op module).

NumPy lays out an elementwise result like its inputs, as torch does, except (1) kernels that
compute on flat or masked copies write C-ordered results, and (2) where operands' layouts
conflict NumPy picks C order and torch the first operand's. Both matter only for inputs that
are not C-ordered (channels-last, transposed), and cost C-ordered inputs one flag read.
"""

from .._memory_format import keep_layout
from ._registry import ELEMENTWISE_OPS, OPS

# unary kernels that flatten their input (erf and erfc keep layout in math._erf_array)
_FLAT_KERNELS = (
    "erfinv", "digamma", "lgamma", "polygamma", "i0", "special_i0e",
    "special_i1", "special_i1e", "special_airy_ai", "special_bessel_j0", "special_bessel_j1",
    "special_bessel_y0", "special_bessel_y1", "special_modified_bessel_k0",
    "special_modified_bessel_k1", "special_scaled_modified_bessel_k0",
    "special_scaled_modified_bessel_k1", "special_spherical_bessel_j0",
    "special_modified_bessel_i0", "special_modified_bessel_i1", "special_erfcx",
)

# ops of several operands, in torch's operand order, computed elementwise (not where: its
# condition, torch's first operand, comes last here)
_ELEMENTWISE = (
    "add", "sub", "mul", "div", "floor_divide", "trunc_divide", "remainder", "fmod", "pow",
    "maximum", "minimum", "fmax", "fmin", "eq", "ne", "lt", "le", "gt", "ge", "atan2", "hypot",
    "copysign", "xlogy", "xlog1py", "logaddexp", "logaddexp2", "logical_and", "logical_or",
    "logical_xor", "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_left_shift",
    "bitwise_right_shift", "igamma", "igammac", "lerp", "addcmul", "addcdiv", "clamp_tensor",
    "special_zeta",
)


def _register():
    for name in _FLAT_KERNELS:
        OPS[name].fwd = keep_layout(OPS[name].fwd)
    for name in OPS:
        if name in _ELEMENTWISE or "_polynomial_" in name:
            ELEMENTWISE_OPS.add(name)


_register()
