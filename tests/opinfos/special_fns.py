"""OpInfos of the gamma-family and modified Bessel functions (ember/_ops/special_fns.py):
lgamma, digamma, polygamma, mvlgamma, i0 and torch.special's i0e, i1, i1e; of the
differentiable ops of ember/_ops/special_more.py (erfcx, zeta in its second argument); and
of linalg.ldl_factor (its node only raises in backward, as PyTorch's)."""

from hypothesis import strategies as st

from tests.opinfo import OpInfo, fixed_shapes

POS = (0.05, 6.0)
# between the poles at -3 and -2, away from them (finite differences near a pole are noise)
NEG = (-2.8, -2.2)
BESSEL = (-30.0, 30.0)  # both sides of the switch from the power series to the asymptotic one


def _order(draw, shapes):
    return {"n": draw(st.sampled_from([0, 1, 2, 3]))}


def _dim(draw, shapes):
    return {"p": draw(st.sampled_from([1, 2, 3]))}


OPINFOS = [
    OpInfo("lgamma", lambda m, a: m.lgamma(a), domain=POS),
    OpInfo("lgamma_negative", lambda m, a: a.lgamma(), ops=("lgamma",), domain=NEG),
    OpInfo("lgamma_large", lambda m, a: m.lgamma(a), ops=("lgamma",), domain=(8.0, 40.0)),
    OpInfo("special_gammaln", lambda m, a: m.special.gammaln(a), ops=("lgamma",), domain=POS),
    OpInfo("digamma", lambda m, a: m.digamma(a), domain=POS),
    OpInfo("sinc", lambda m, a: m.sinc(a), domain=(-3.0, 3.0)),
    # (torch's second derivative at 0 is nan; ember's rule gives 0 there)
    OpInfo("sinc_at_zero", lambda m, a: m.special.sinc(a * 0), ops=("sinc",), gradgrad=False),
    OpInfo("digamma_negative", lambda m, a: a.digamma(), ops=("digamma",), domain=NEG),
    OpInfo("special_psi", lambda m, a: m.special.psi(a), ops=("digamma",), domain=(0.5, 20.0)),
    OpInfo("polygamma", lambda m, a, n: m.polygamma(n, a), domain=POS, kwargs=_order),
    OpInfo("polygamma_method", lambda m, a, n: a.polygamma(n), ops=("polygamma",),
           domain=(0.5, 30.0), kwargs=_order),
    OpInfo("polygamma_negative", lambda m, a, n: m.special.polygamma(n, a), ops=("polygamma",),
           domain=NEG, kwargs=_order),
    OpInfo("mvlgamma", lambda m, a, p: m.mvlgamma(a, p), ops=("lgamma",), domain=(1.2, 5.0),
           kwargs=_dim),
    OpInfo("special_multigammaln", lambda m, a, p: m.special.multigammaln(a, p),
           ops=("lgamma",), domain=(1.2, 5.0), kwargs=_dim),
    OpInfo("i0", lambda m, a: m.i0(a), domain=BESSEL),
    OpInfo("i0_small", lambda m, a: a.i0(), ops=("i0",), domain=(-2.0, 2.0)),
    OpInfo("special_i0", lambda m, a: m.special.i0(a), ops=("i0",), domain=BESSEL),
    OpInfo("special_i0e", lambda m, a: m.special.i0e(a), domain=BESSEL),
    OpInfo("special_i1", lambda m, a: m.special.i1(a), domain=BESSEL),
    OpInfo("special_i1_small", lambda m, a: m.special.i1(a), ops=("special_i1",),
           domain=(-2.0, 2.0)),
    OpInfo("special_i1e", lambda m, a: m.special.i1e(a), domain=BESSEL),
    # torch differentiates the incomplete gamma functions in x only
    OpInfo("igamma", lambda m, a, x: m.igamma(a, x), nargs=2, domain=(0.2, 6.0),
           grad_args=(1,)),
    OpInfo("igammac", lambda m, a, x: a.igammac(x), nargs=2, domain=(0.2, 6.0),
           grad_args=(1,)),
    OpInfo("special_gammainc", lambda m, a, x: m.special.gammainc(a, x), ops=("igamma",),
           nargs=2, domain=(0.5, 30.0), grad_args=(1,)),
    OpInfo("special_gammaincc", lambda m, a, x: m.special.gammaincc(a, x), ops=("igammac",),
           nargs=2, domain=(0.5, 30.0), grad_args=(1,)),
    # erfcx on both sides of its series / continued-fraction switches (1 and 2)
    OpInfo("special_erfcx", lambda m, a: m.special.erfcx(a), domain=(-3.0, 4.0)),
    # torch differentiates zeta in q only (in x: "the derivative for 'zeta' is not implemented")
    OpInfo("special_zeta", lambda m, x, q: m.special.zeta(x, q), nargs=2, domain=(1.5, 6.0),
           grad_args=(1,)),
    OpInfo("special_zeta_number_x", lambda m, q: m.special.zeta(2.5, q), ops=("special_zeta",),
           domain=(0.5, 6.0)),
    OpInfo("linalg_ldl_factor_ex", lambda m, a: m.linalg.ldl_factor(a + a.mT).LD,
           shapes=fixed_shapes(((3, 3),), ((2, 4, 4),), ((1, 1),)), grad=False),
]
