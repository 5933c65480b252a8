#!/usr/bin/env python3
"""Golden values for tests/unit/test_lsh.c, computed apart from lib/lsh.c.

datasketch's _optimal_param (datasketch/lsh.py) picks bands b and rows r with
b * r <= num_perm minimising
    w_fp * int_0^t P(s) ds + w_fn * int_t^1 (1 - P(s)) ds,   P(s) = 1 - (1 - s^r)^b,
integrating with scipy.integrate.quad.  P is a polynomial,
    P(s) = sum_{j=1..b} (-1)^(j+1) C(b, j) s^(r j),
so both areas have a closed form; here they are computed exactly with
rationals, which also tells how close the runner-up is (a near tie could go
either way under any numerical quadrature, and is then not pinned).

Run once by hand (python3 tests/unit/gen_lsh_golden.py); the tests do not.
"""
from fractions import Fraction as F
from math import comb


def prim(b, r, x):
    """int_0^x P(s) ds."""
    return sum((-1) ** (j + 1) * comb(b, j) * x ** (r * j + 1) / (r * j + 1)
               for j in range(1, b + 1))


def optimal(t, k, wfp, wfn):
    t = F(t)
    wfp, wfn = F(wfp), F(wfn)
    errs = []
    for b in range(1, k + 1):
        for r in range(1, k // b + 1):
            a_t = prim(b, r, t)
            a_1 = prim(b, r, F(1))
            fp = a_t
            fn = (1 - t) - (a_1 - a_t)
            errs.append((wfp * fp + wfn * fn, b, r))
    errs.sort()
    best, second = errs[0], errs[1]
    rel = float((second[0] - best[0]) / best[0])
    return best[1], best[2], float(best[0]), rel


if __name__ == "__main__":
    cases = []
    for k in (16, 64, 128, 256):
        for t in ("0.5", "0.7", "0.8", "0.9"):
            for w in (("0.5", "0.5"), ("0.1", "0.9"), ("0.02", "0.98"), ("0.9", "0.1")):
                if k == 256 and w[0] not in ("0.5", "0.02"):
                    continue
                b, r, err, rel = optimal(t, k, *w)
                cases.append((t, k, w, b, r, err, rel))
                print(f"    {{ {t}, {k}, {w[0]}, {w[1]}, {b}, {r} }}, /* error {err:.6g}, runner-up +{rel:.2%} */",
                      flush=True)
