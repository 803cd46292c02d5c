// Survival estimators at 10^4, 10^5 and 10^6 rows on synthetic data (fits on data in memory; the
// CSV reader is not timed). tools/reference/survival/bench_r.R times R on data of the same design.
#include <cmath>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "core/random.hpp"
#include "survival/cox.hpp"
#include "survival/km.hpp"
#include "survival/logrank.hpp"

namespace {

namespace sv = il2sim::survival;

/// n patients: 5 standard-normal covariates with log hazard ratios 0.5, -0.3, 0.2, 0, 0.1, two arms
/// (the first covariate > 0), exponential event times, exponential censoring (about 30% censored),
/// times rounded to 1e-4 so that there are some ties.
struct Synthetic {
  std::vector<double> time;
  std::vector<int> event;
  sv::Design design;
  sv::Factor arm;
  sv::Factor one_stratum;

  explicit Synthetic(std::size_t n) {
    il2sim::RandomStream rng(20240611, 0, 0, il2sim::Purpose::kTest);
    const double beta[5] = {0.5, -0.3, 0.2, 0.0, 0.1};
    design.x.resize(static_cast<Eigen::Index>(n), 5);
    design.terms = {"x1", "x2", "x3", "x4", "x5"};
    arm.levels = {"0", "1"};
    for (std::size_t i = 0; i < n; ++i) {
      double eta = 0;
      for (Eigen::Index j = 0; j < 5; ++j) {
        const double x = rng.normal();
        design.x(static_cast<Eigen::Index>(i), j) = x;
        eta += beta[j] * x;
      }
      const double t_event = rng.exponential() / (0.1 * std::exp(eta));
      const double t_censor = rng.exponential() / 0.04;
      time.push_back(std::round(std::min(t_event, t_censor) * 1e4) / 1e4);
      event.push_back(t_event <= t_censor ? 1 : 0);
      arm.codes.push_back(design.x(static_cast<Eigen::Index>(i), 0) > 0 ? 1 : 0);
    }
    one_stratum = sv::single_level(n, "all");
  }
};

const Synthetic& data(std::size_t n) {
  static const Synthetic d4(10'000), d5(100'000), d6(1'000'000);
  return n == 10'000 ? d4 : (n == 100'000 ? d5 : d6);
}

void BM_KaplanMeier(benchmark::State& state) {
  const auto& d = data(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    auto curves = sv::kaplan_meier(d.time, d.event, d.arm, sv::KmOptions{});
    benchmark::DoNotOptimize(curves);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_Logrank(benchmark::State& state) {
  const auto& d = data(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    auto r = sv::logrank(d.time, d.event, d.arm, d.one_stratum, 0.0);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_CoxEfron5(benchmark::State& state) {
  const auto& d = data(static_cast<std::size_t>(state.range(0)));
  int iterations = 0;
  for (auto _ : state) {
    auto r = sv::cox_fit(d.time, d.event, d.design, d.one_stratum, sv::CoxOptions{});
    iterations = r.iterations;
    benchmark::DoNotOptimize(r);
  }
  state.counters["newton_iterations"] = iterations;
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

}  // namespace

BENCHMARK(BM_KaplanMeier)->Arg(10'000)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Logrank)->Arg(10'000)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CoxEfron5)->Arg(10'000)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
