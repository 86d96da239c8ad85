// The standard normal distribution's quantile and tail, as the churn models need them for
// confidence intervals (Kaplan-Meier, Cox) and Wald p-values.
#pragma once

namespace cxkit::churn {

/// Standard normal quantile: the z with Phi(z) = p, to about 1 ulp (Acklam's rational
/// approximation refined by one Halley step on erfc). Equals scipy.stats.norm.ppf, which
/// lifelines uses for its intervals (normal_quantile(0.975) = 1.959963984540054).
/// Pre: 0 < p < 1, else throws cxkit::InputError. O(1).
double normal_quantile(double p);

/// Two-sided p-value of a Wald statistic z: 2 * (1 - Phi(|z|)) = erfc(|z| / sqrt 2), which
/// equals lifelines' chi2.sf(z^2, 1). NaN in, NaN out. O(1), noexcept.
double two_sided_p_value(double z) noexcept;

}  // namespace cxkit::churn
