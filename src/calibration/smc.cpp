#include "calibration/smc.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include <fmt/format.h>
#include <Eigen/Cholesky>
#include <Eigen/Core>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/random.hpp"

namespace il2sim::calibration {
namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

/// The sampler works in z-space: log θ for a log-uniform coordinate, θ otherwise, where the prior
/// is uniform on a box.
struct Box {
  std::vector<double> lower, upper;
  explicit Box(const std::vector<PriorRange>& prior) {
    for (const auto& p : prior) {
      lower.push_back(p.log_scale ? std::log(p.lower) : p.lower);
      upper.push_back(p.log_scale ? std::log(p.upper) : p.upper);
    }
  }
  [[nodiscard]] bool inside(const std::vector<double>& z) const {
    for (std::size_t j = 0; j < z.size(); ++j) {
      if (!(z[j] >= lower[j] && z[j] <= upper[j])) return false;
    }
    return true;
  }
};

std::vector<double> natural(const std::vector<PriorRange>& prior, const std::vector<double>& z) {
  std::vector<double> theta(z.size());
  for (std::size_t j = 0; j < z.size(); ++j) theta[j] = prior[j].log_scale ? std::exp(z[j]) : z[j];
  return theta;
}

std::vector<double> to_z(const std::vector<PriorRange>& prior, const std::vector<double>& theta) {
  std::vector<double> z(theta.size());
  for (std::size_t j = 0; j < z.size(); ++j)
    z[j] = prior[j].log_scale ? std::log(theta[j]) : theta[j];
  return z;
}

double finite_or_neg_inf(double x) {
  return std::isnan(x) ? kNegInf : x;
}

/// Particle i's draws in step t: the stream (seed, t, i + 1, kPosterior); patient 0 of each step is
/// the resampling's.
RandomStream particle_stream(std::uint64_t seed, int step, std::size_t i) {
  return {seed, static_cast<std::uint32_t>(step), static_cast<std::uint32_t>(i + 1),
          Purpose::kPosterior};
}

std::vector<LikelihoodDraw> evaluate_all(const std::vector<PriorRange>& prior,
                                         const std::vector<std::vector<double>>& z,
                                         const std::vector<char>& wanted,
                                         const LogLikelihood& log_likelihood, unsigned threads) {
  std::vector<LikelihoodDraw> out(z.size());
  core::ordered_parallel_for<LikelihoodDraw>(
      z.size(), threads,
      [&](std::size_t i) {
        if (!wanted[i]) return LikelihoodDraw{kNegInf, {}};
        auto d = log_likelihood(natural(prior, z[i]));
        d.log_likelihood = finite_or_neg_inf(d.log_likelihood);
        return d;
      },
      [&](std::size_t i, LikelihoodDraw& d) { out[i] = std::move(d); });
  return out;
}

/// Normalised weights exp(delta · ℓ_i) (0 for ℓ = -inf) and their ESS; `log_mean` gets log of the
/// mean of exp(delta · ℓ_i) over all particles (the evidence increment).
double reweight(const std::vector<LikelihoodDraw>& draws, double delta, std::vector<double>& w,
                double* log_mean = nullptr) {
  double top = kNegInf;
  for (const auto& d : draws) top = std::max(top, delta * d.log_likelihood);
  w.assign(draws.size(), 0.0);
  double sum = 0.0, sum2 = 0.0;
  for (std::size_t i = 0; i < draws.size(); ++i) {
    if (draws[i].log_likelihood == kNegInf) continue;
    w[i] = std::exp(delta * draws[i].log_likelihood - top);
    sum += w[i];
  }
  for (auto& x : w) {
    x /= sum;
    sum2 += x * x;
  }
  if (log_mean) *log_mean = top + std::log(sum / static_cast<double>(draws.size()));
  return 1.0 / sum2;
}

/// The next temperature increment: the largest delta <= room whose ESS is at least `target`
/// (bisection on the monotone ESS(delta)).
double next_increment(const std::vector<LikelihoodDraw>& draws, double room, double target) {
  std::vector<double> w;
  if (reweight(draws, room, w) >= target) return room;
  double lo = 0.0, hi = room;
  for (int it = 0; it < 100 && hi - lo > 1e-12 * room; ++it) {
    const double mid = 0.5 * (lo + hi);
    (reweight(draws, mid, w) >= target ? lo : hi) = mid;
  }
  return std::max(lo, 1e-12 * room);
}

/// Systematic resampling (Kitagawa 1996) with one uniform from (seed, step, 0).
std::vector<std::size_t> systematic(const std::vector<double>& w, std::uint64_t seed, int step) {
  RandomStream rs(seed, static_cast<std::uint32_t>(step), 0, Purpose::kPosterior);
  const std::size_t n = w.size();
  const double u0 = rs.uniform() / static_cast<double>(n);
  std::vector<std::size_t> idx(n);
  double cum = w[0];
  std::size_t k = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double u = u0 + static_cast<double>(i) / static_cast<double>(n);
    while (u > cum && k + 1 < n) cum += w[++k];
    idx[i] = k;
  }
  return idx;
}

/// The Cholesky factor of the particles' covariance scaled by 2.38² / d (Roberts, Gelman & Gilks
/// 1997), with a small ridge so that a collapsed coordinate still moves.
Eigen::MatrixXd proposal_factor(const std::vector<std::vector<double>>& z, const Box& box) {
  const auto d = static_cast<Eigen::Index>(box.lower.size());
  const auto n = static_cast<double>(z.size());
  Eigen::VectorXd mean = Eigen::VectorXd::Zero(d);
  for (const auto& p : z) mean += Eigen::Map<const Eigen::VectorXd>(p.data(), d);
  mean /= n;
  Eigen::MatrixXd cov = Eigen::MatrixXd::Zero(d, d);
  for (const auto& p : z) {
    const Eigen::VectorXd c = Eigen::Map<const Eigen::VectorXd>(p.data(), d) - mean;
    cov += c * c.transpose();
  }
  cov /= std::max(1.0, n - 1.0);
  for (Eigen::Index j = 0; j < d; ++j) {
    const double width =
        box.upper[static_cast<std::size_t>(j)] - box.lower[static_cast<std::size_t>(j)];
    cov(j, j) += 1e-8 * width * width;
  }
  cov *= 2.38 * 2.38 / static_cast<double>(d);
  return Eigen::LLT<Eigen::MatrixXd>(cov).matrixL();
}

struct Population {
  std::vector<std::vector<double>> z;
  std::vector<LikelihoodDraw> draws;
};

/// One random-walk Metropolis move of every particle at temperature phi; returns the accepted count
/// and adds the log-likelihood calls to `evaluations`.
std::size_t move_once(Population& pop, const std::vector<PriorRange>& prior, const Box& box,
                      const Eigen::MatrixXd& factor, double phi, std::vector<RandomStream>& streams,
                      const LogLikelihood& log_likelihood, unsigned threads, long& evaluations) {
  const std::size_t n = pop.z.size(), d = box.lower.size();
  std::vector<std::vector<double>> proposal(n, std::vector<double>(d));
  std::vector<char> inside(n);
  std::vector<double> log_u(n);
  for (std::size_t i = 0; i < n; ++i) {
    Eigen::VectorXd xi(static_cast<Eigen::Index>(d));
    for (auto& x : xi) x = streams[i].normal();
    const Eigen::VectorXd step = factor * xi;
    for (std::size_t j = 0; j < d; ++j)
      proposal[i][j] = pop.z[i][j] + step(static_cast<Eigen::Index>(j));
    log_u[i] = std::log(streams[i].uniform());
    inside[i] = box.inside(proposal[i]) ? 1 : 0;
    evaluations += inside[i];
  }
  auto draws = evaluate_all(prior, proposal, inside, log_likelihood, threads);
  std::size_t accepted = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!inside[i] || draws[i].log_likelihood == kNegInf) continue;
    if (log_u[i] < phi * (draws[i].log_likelihood - pop.draws[i].log_likelihood)) {
      pop.z[i] = std::move(proposal[i]);
      pop.draws[i] = std::move(draws[i]);
      ++accepted;
    }
  }
  return accepted;
}

std::size_t count_unique(const std::vector<std::vector<double>>& z) {
  return std::set<std::vector<double>>(z.begin(), z.end()).size();
}

void check_options(const std::vector<PriorRange>& prior, const SmcOptions& o) {
  IL2SIM_ASSERT(!prior.empty(), "a prior with at least one coordinate");
  for (const auto& p : prior) {
    IL2SIM_ASSERT(p.lower < p.upper && std::isfinite(p.lower) && std::isfinite(p.upper),
                  "a prior range with finite lower < upper");
    IL2SIM_ASSERT(!p.log_scale || p.lower > 0.0, "a log-uniform range above 0");
  }
  IL2SIM_ASSERT(o.particles >= 2, "at least two particles");
  IL2SIM_ASSERT(o.ess_fraction > 0.0 && o.ess_fraction < 1.0, "0 < ess_fraction < 1");
  IL2SIM_ASSERT(o.max_moves >= 1 && o.move_probability > 0.0 && o.move_probability < 1.0,
                "max_moves >= 1 and 0 < move_probability < 1");
}

/// The moves of one step: one move of every particle, then as many more as the first one's
/// acceptance rate asks for (SmcOptions::move_probability), at most max_moves in all.
void move_step(Population& pop, const std::vector<PriorRange>& prior, const Box& box, double phi,
               int step, const LogLikelihood& log_likelihood, const SmcOptions& o, SmcStep& s) {
  const Eigen::MatrixXd factor = proposal_factor(pop.z, box);
  std::vector<RandomStream> streams;
  for (std::size_t i = 0; i < pop.z.size(); ++i)
    streams.push_back(particle_stream(o.seed, step, i));
  const auto n = static_cast<double>(pop.z.size());
  std::size_t accepted =
      move_once(pop, prior, box, factor, phi, streams, log_likelihood, o.threads, s.evaluations);
  const double first = static_cast<double>(accepted) / n;
  int moves = o.max_moves;
  if (first >= 1.0) {
    moves = 1;
  } else if (first > 0.0) {
    moves = static_cast<int>(std::ceil(std::log(1.0 - o.move_probability) / std::log(1.0 - first)));
  }
  moves = std::clamp(moves, 1, o.max_moves);
  for (int m = 1; m < moves; ++m) {
    accepted +=
        move_once(pop, prior, box, factor, phi, streams, log_likelihood, o.threads, s.evaluations);
  }
  s.moves = moves;
  s.acceptance = static_cast<double>(accepted) / (n * moves);
  s.unique = count_unique(pop.z);
}

}  // namespace

std::vector<std::vector<double>> sample_prior(const std::vector<PriorRange>& prior,
                                              std::size_t particles, std::uint64_t seed) {
  const Box box(prior);
  std::vector<std::vector<double>> out;
  for (std::size_t i = 0; i < particles; ++i) {
    RandomStream rs = particle_stream(seed, 0, i);
    std::vector<double> z(prior.size());
    for (std::size_t j = 0; j < z.size(); ++j)
      z[j] = box.lower[j] + rs.uniform() * (box.upper[j] - box.lower[j]);
    out.push_back(natural(prior, z));
  }
  return out;
}

SmcResult prior_predictive(const std::vector<PriorRange>& prior,
                           const LogLikelihood& log_likelihood, std::size_t particles,
                           std::uint64_t seed, unsigned threads) {
  SmcResult result;
  result.prior = prior;
  result.particles = sample_prior(prior, particles, seed);
  std::vector<std::vector<double>> z;
  for (const auto& theta : result.particles) z.push_back(to_z(prior, theta));
  result.draws = evaluate_all(prior, z, std::vector<char>(particles, 1), log_likelihood, threads);
  result.evaluations = static_cast<long>(particles);
  return result;
}

SmcResult abc_smc(const std::vector<PriorRange>& prior, const LogLikelihood& log_likelihood,
                  const SmcOptions& o, const std::function<void(const SmcStep&)>& on_step) {
  check_options(prior, o);
  const Box box(prior);
  SmcResult result;
  result.prior = prior;
  Population pop;
  for (const auto& theta : sample_prior(prior, o.particles, o.seed))
    pop.z.push_back(to_z(prior, theta));
  pop.draws =
      evaluate_all(prior, pop.z, std::vector<char>(o.particles, 1), log_likelihood, o.threads);
  result.evaluations = static_cast<long>(o.particles);
  std::size_t finite = 0;
  for (const auto& d : pop.draws) finite += d.log_likelihood > kNegInf ? 1 : 0;
  if (finite == 0) {
    throw UserError(fmt::format(
        "abc-smc: every one of the {} prior draws has likelihood 0 (a failed simulation or an "
        "impossible statistic); narrow the prior (--prior NAME=LO:HI)",
        o.particles));
  }
  double phi = 0.0;
  for (int step = 1; phi < 1.0; ++step) {
    if (step > o.max_steps) {
      throw UserError(fmt::format(
          "abc-smc: the tempering needed more than {} steps (at φ = {:.3g})", o.max_steps, phi));
    }
    SmcStep s;
    s.step = step;
    const double target = o.ess_fraction * static_cast<double>(finite);
    const double delta = next_increment(pop.draws, 1.0 - phi, target);
    std::vector<double> w;
    s.ess = reweight(pop.draws, delta, w, &s.log_evidence_increment);
    phi = delta >= 1.0 - phi ? 1.0 : phi + delta;
    s.temperature = phi;
    const auto idx = systematic(w, o.seed, step);
    Population next;
    for (const auto k : idx) {
      next.z.push_back(pop.z[k]);
      next.draws.push_back(pop.draws[k]);
    }
    pop = std::move(next);
    move_step(pop, prior, box, phi, step, log_likelihood, o, s);
    finite = pop.z.size();
    result.evaluations += s.evaluations;
    result.log_evidence += s.log_evidence_increment;
    result.steps.push_back(s);
    if (on_step) on_step(s);
  }
  for (const auto& z : pop.z) result.particles.push_back(natural(prior, z));
  result.draws = std::move(pop.draws);
  return result;
}

}  // namespace il2sim::calibration
