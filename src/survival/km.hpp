#pragma once
/// @file km.hpp
/// Kaplan-Meier estimation as R's `survfit(Surv(time, event) ~ group)`: Greenwood variance,
/// pointwise confidence intervals (log, log-log, plain), the median and its confidence interval as
/// `print.survfit` computes them, and the restricted mean as `print(fit, rmean = tau)`.
/// A value R reports as NA is a quiet NaN here (see is_na).

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "survival/data.hpp"

namespace il2sim::survival {

/// Transformation of S(t) under which the pointwise interval is symmetric (R's `conf.type`).
enum class ConfType { kLog, kLogLog, kPlain };

/// "log", "log-log" or "plain". @throws UserError for anything else.
[[nodiscard]] ConfType parse_conf_type(std::string_view text);
[[nodiscard]] std::string_view to_string(ConfType type);

struct KmOptions {
  ConfType conf_type = ConfType::kLog;
  double conf_level = 0.95;         ///< in (0, 1)
  std::optional<double> rmean_tau;  ///< restricted mean up to this time, if set
};

/// One Kaplan-Meier curve, with one entry per distinct time (event or censoring).
struct KmCurve {
  std::string group;
  std::vector<double> time;
  std::vector<long> n_risk, n_event, n_censor;
  std::vector<double> surv;
  std::vector<double> std_err;    ///< SE of S(t) (Greenwood), as summary.survfit prints it
  std::vector<double> cumhaz_se;  ///< SE of -log S(t), survfit's `std.err`
  std::vector<double> lower, upper;
  long n = 0;  ///< observations in the curve
  long events = 0;
  double median = 0, median_lower = 0, median_upper = 0;  ///< NaN when not reached
  std::optional<double> rmean, rmean_se, rmean_tau;
};

/// True for R's NA (stored as NaN).
[[nodiscard]] inline bool is_na(double x) {
  return x != x;
}

/// One curve from unsorted data. `event[i]` is 1 for an event, 0 for censoring.
[[nodiscard]] KmCurve kaplan_meier(std::span<const double> time, std::span<const int> event,
                                   const KmOptions& options, std::string group = "all");

/// One curve per level of `group`, in level order (levels with no observation are skipped).
[[nodiscard]] std::vector<KmCurve> kaplan_meier(std::span<const double> time,
                                                std::span<const int> event, const Factor& group,
                                                const KmOptions& options);

/// S(t) of a curve: the estimate at the last time <= t (1 before the first); NaN (NA) beyond the
/// curve's last time, where the estimate is undefined.
[[nodiscard]] double survival_at(const KmCurve& curve, double t);

/// R's rule for the median (and its CI limits) from a curve: the first time the curve is <= 1/2;
/// if it equals 1/2 (within sqrt(machine epsilon)) over a flat stretch, the midpoint of that
/// stretch.
[[nodiscard]] double survival_median(std::span<const double> time, std::span<const double> curve);

}  // namespace il2sim::survival
