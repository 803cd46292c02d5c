#pragma once
/// @file schoenfeld.hpp
/// Events needed by the log-rank test (Schoenfeld 1981, Biometrika 68:316-319; 1983, Biometrics
/// 39:499-503): with allocation fraction pi = ratio / (1 + ratio) to the experimental arm,
///   D = (z_{1 - alpha/sides} + z_{1 - beta})^2 / (pi (1 - pi) (ln HR)^2),
/// and the power with D events, Phi(sqrt(D pi (1 - pi)) |ln HR| - z_{1 - alpha/sides}) (the
/// negligible opposite tail of a two-sided test is ignored, as in the formula).

namespace il2sim::design {

struct SchoenfeldSettings {
  double hazard_ratio = 0.7;  ///< HR of experimental vs control, > 0 and != 1
  double alpha = 0.05;        ///< type I error
  int sides = 2;              ///< 1 or 2: alpha is one- or two-sided
  double ratio = 1.0;         ///< allocation experimental : control, > 0
};

/// Required events (not rounded).
[[nodiscard]] double schoenfeld_events(const SchoenfeldSettings& s, double power);
/// Power with `events` events.
[[nodiscard]] double schoenfeld_power(const SchoenfeldSettings& s, double events);

}  // namespace il2sim::design
