"""Mirrors `torch.nn.grad`: the gradients of conv1d/2d/3d with respect to their input and
weight, given the gradient of the output. Each runs ember's convolution backward through
autograd; the result keeps a graph when weight / input or grad_output require grad (so it
can be differentiated again)."""

__all__ = ["conv1d_input", "conv1d_weight", "conv2d_input", "conv2d_weight", "conv3d_input",
           "conv3d_weight"]


def _conv(n):
    from . import functional as F

    return (F.conv1d, F.conv2d, F.conv3d)[n - 1]


def _input_grad(n, input_size, weight, grad_output, stride, padding, dilation, groups):
    import ember

    x = ember.zeros(tuple(input_size), dtype=grad_output.dtype, device=grad_output.device,
                    requires_grad=True)
    with ember.enable_grad():
        out = _conv(n)(x, weight, None, stride, padding, dilation, groups)
        keep = weight.requires_grad or grad_output.requires_grad
        return ember.autograd.grad(out, x, grad_output, create_graph=keep)[0]


def _weight_grad(n, input, weight_size, grad_output, stride, padding, dilation, groups):
    import ember

    w = ember.zeros(tuple(weight_size), dtype=grad_output.dtype, device=grad_output.device,
                    requires_grad=True)
    with ember.enable_grad():
        out = _conv(n)(input, w, None, stride, padding, dilation, groups)
        keep = input.requires_grad or grad_output.requires_grad
        return ember.autograd.grad(out, w, grad_output, create_graph=keep)[0]


def conv1d_input(input_size, weight, grad_output, stride=1, padding=0, dilation=1, groups=1):
    """Mirrors `torch.nn.grad.conv1d_input`."""
    return _input_grad(1, input_size, weight, grad_output, stride, padding, dilation, groups)


def conv1d_weight(input, weight_size, grad_output, stride=1, padding=0, dilation=1, groups=1):
    """Mirrors `torch.nn.grad.conv1d_weight`."""
    return _weight_grad(1, input, weight_size, grad_output, stride, padding, dilation, groups)


def conv2d_input(input_size, weight, grad_output, stride=1, padding=0, dilation=1, groups=1):
    """Mirrors `torch.nn.grad.conv2d_input`."""
    return _input_grad(2, input_size, weight, grad_output, stride, padding, dilation, groups)


def conv2d_weight(input, weight_size, grad_output, stride=1, padding=0, dilation=1, groups=1):
    """Mirrors `torch.nn.grad.conv2d_weight`."""
    return _weight_grad(2, input, weight_size, grad_output, stride, padding, dilation, groups)


def conv3d_input(input_size, weight, grad_output, stride=1, padding=0, dilation=1, groups=1):
    """Mirrors `torch.nn.grad.conv3d_input`."""
    return _input_grad(3, input_size, weight, grad_output, stride, padding, dilation, groups)


def conv3d_weight(input, weight_size, grad_output, stride=1, padding=0, dilation=1, groups=1):
    """Mirrors `torch.nn.grad.conv3d_weight`."""
    return _weight_grad(3, input, weight_size, grad_output, stride, padding, dilation, groups)
