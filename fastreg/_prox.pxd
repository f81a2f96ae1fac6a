# Penalty maths of the elastic net, shared by every coordinate-descent kernel.
#
# Objective, in SUM scale (the estimators convert from scikit-learn's 1/(2n) scale):
#
#     P(w) = 1/2 ||R||^2 + alpha ||w||_1 + beta/2 ||w||^2,    R = y - X w
#
# The coordinate maps are fused over `floating`; the duality-gap terms take and return double,
# because they combine a handful of already-reduced scalars whose cancellation (primal - dual)
# is the one place where float32 rounding would otherwise show.
#
# Duality gap, following the usual augmented-design view of the elastic net
# (X~ = [X; sqrt(beta) I], y~ = [y; 0], R~ = [R; -sqrt(beta) w], so X~^T R~ = X^T R - beta w):
#   * alpha > 0 ("formulation A"): theta = scale * R~ with scale = min(1, alpha / ||X~^T R~||_inf)
#     is dual feasible and
#         gap = 1/2 (R2 + beta L2) + alpha L1 - [ -1/2 scale^2 (R2 + beta L2) + scale Ry ];
#   * alpha == 0 < beta ("formulation B", ridge): theta = R and
#         gap = 1/2 (R2 + beta L2) - [ -1/2 R2 + Ry - 1/(2 beta) ||X^T R||^2 ];
#   * alpha == beta == 0: no dual; the squared norm of the (projected) gradient is returned.
# with R2 = ||R||^2, Ry = R . y, L1 = ||w||_1, L2 = ||w||^2.  With positive=True the l1 norm's
# dual constraint is one-sided (X~_j^T theta <= alpha) and ||X^T R||^2 becomes ||max(X^T R, 0)||^2.
from cython cimport floating
from libc.math cimport fabs


cdef inline floating fsign(floating x) noexcept nogil:
    """sign(x), with fsign(0) = 0."""
    if x > 0:
        return 1
    if x < 0:
        return -1
    return 0


cdef inline floating fmax(floating x, floating y) noexcept nogil:
    return x if x > y else y


cdef inline floating fmin(floating x, floating y) noexcept nogil:
    return x if x < y else y


cdef inline floating soft_threshold(floating z, floating t) noexcept nogil:
    """sign(z) max(|z| - t, 0): the prox of t |.| at z (t >= 0)."""
    if z > t:
        return z - t
    if z < -t:
        return z + t
    return 0


cdef inline floating enet_coordinate(floating z, floating alpha, floating denom,
                                     bint positive) noexcept nogil:
    """Exact minimiser over w_j of 1/2 denom w_j^2 - z w_j + alpha |w_j| (+ w_j >= 0 if positive).

    With z = X_j . R + ||X_j||^2 w_j (the partial residual correlation) and
    denom = ||X_j||^2 + beta, this is the coordinate-descent update of the elastic net.
    denom must be > 0.
    """
    if positive:
        return fmax(z - alpha, <floating>0) / denom
    return soft_threshold(z, alpha) / denom


cdef inline double dual_scale(double dual_norm, double alpha) noexcept nogil:
    """min(1, alpha / dual_norm): rescaling of the residual onto the dual feasible set."""
    if dual_norm > alpha:
        return alpha / dual_norm
    return 1.0


cdef inline double gap_l1(double R2, double Ry, double L1, double L2,
                          double alpha, double beta, double scale) noexcept nogil:
    """Duality gap, formulation A (alpha > 0), at the dual point scale * R~."""
    cdef double quad = R2 + beta * L2
    cdef double primal = 0.5 * quad + alpha * L1
    cdef double dual = -0.5 * scale * scale * quad + scale * Ry
    return primal - dual


cdef inline double gap_ridge(double R2, double Ry, double L2, double beta,
                             double g2) noexcept nogil:
    """Duality gap, formulation B (alpha == 0 < beta), at the dual point R.

    g2 = ||X^T R||^2 (positive: ||max(X^T R, 0)||^2).
    """
    cdef double primal = 0.5 * R2 + 0.5 * beta * L2
    cdef double dual = -0.5 * R2 + Ry - g2 / (2.0 * beta)
    return primal - dual


cdef inline bint provably_zero(double xta, double scale, double alpha, double radius,
                               double col_norm, bint positive) noexcept nogil:
    """Gap Safe sphere test: True when w_j = 0 at every optimum.

    xta = X~_j^T R~ (= X_j^T R - beta w_j), scale * xta / alpha = X~_j^T theta for the rescaled
    dual point theta, radius = sqrt(2 gap) / alpha bounds ||theta - theta*||, and
    col_norm = ||X~_j|| = sqrt(||X_j||^2 + beta).  Then |X~_j^T theta*| < 1 (positive: the
    one-sided X~_j^T theta* < 1) and the optimality conditions force w_j = 0.
    """
    if not positive:
        xta = fabs(xta)
    return xta * scale / alpha + radius * col_norm < 1.0
