"""Randomised low-rank SVD and PCA (Halko, Martinsson and Tropp, 2009), as `torch._lowrank`.

The steps and the random draws are torch's own (one `randn(n, q)` from the global generator,
then QR-orthonormalised power iterations), so a seeded program gets torch's numbers.
"""

__all__ = ["pca_lowrank", "svd_lowrank"]


def _floating_dtype(A):
    import ember

    return A.dtype if A.dtype.is_floating_point else ember.float32


def _dense(A):
    # torch multiplies sparse inputs without densifying them; here a dense copy does the work
    return A.to_dense() if A.layout is not _strided() else A


def _strided():
    import ember

    return ember.strided


def get_approximate_basis(A, q, niter=2, M=None):
    """Mirrors `torch._lowrank.get_approximate_basis`: Q with q orthonormal columns such that
    Q Q^H (A - M) approximates A - M."""
    import ember

    niter = 2 if niter is None else niter
    dtype = _floating_dtype(A) if not A.is_complex() else A.dtype
    R = ember.randn(A.shape[-1], q, dtype=dtype, device=A.device)
    X = A @ R
    if M is not None:
        X = X - M @ R
    Q = ember.linalg.qr(X).Q
    for _ in range(niter):
        X = A.mH @ Q
        if M is not None:
            X = X - M.mH @ Q
        Q = ember.linalg.qr(X).Q
        X = A @ Q
        if M is not None:
            X = X - M @ Q
        Q = ember.linalg.qr(X).Q
    return Q


def svd_lowrank(A, q=6, niter=2, M=None):
    """Mirrors `torch.svd_lowrank`: (U, S, V) with A - M ~= U diag(S) V^H. Sparse inputs are
    densified."""
    import ember

    q = 6 if q is None else q
    A = _dense(A)
    m, n = A.shape[-2:]
    if M is not None:
        M = _dense(M).broadcast_to(A.size())
    if m < n:
        # work on the tall matrix: the sketch is then n x q, the smaller side
        A = A.mH
        if M is not None:
            M = M.mH
    Q = get_approximate_basis(A, q, niter=niter, M=M)
    B = Q.mH @ A
    if M is not None:
        B = B - Q.mH @ M
    U, S, Vh = ember.linalg.svd(B, full_matrices=False)
    V = Vh.mH
    U = Q @ U
    if m < n:
        U, V = V, U
    return U, S, V


def pca_lowrank(A, q=None, center=True, niter=2):
    """Mirrors `torch.pca_lowrank`: the low-rank SVD of the column-centred A. Sparse inputs
    are densified."""
    A = _dense(A)
    m, n = A.shape[-2:]
    if q is None:
        q = min(6, m, n)
    elif not (q >= 0 and q <= min(m, n)):
        raise ValueError(
            f"q(={q}) must be non-negative integer and not greater than min(m, n)={min(m, n)}"
        )
    if not (niter >= 0):
        raise ValueError(f"niter(={niter}) must be non-negative integer")
    if not center:
        return svd_lowrank(A, q, niter=niter, M=None)
    C = A.mean(dim=(-2,), keepdim=True)
    return svd_lowrank(A - C, q, niter=niter, M=None)
