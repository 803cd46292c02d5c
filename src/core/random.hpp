#pragma once
/// @file random.hpp
/// Counter-based random streams (Philox4x32-10, Salmon et al., SC'11 "Parallel random numbers: as
/// easy as 1, 2, 3"). A stream is a pure function of (seed, replicate, patient, purpose): no global
/// state, no dependence on thread or rank, and adding a patient, an arm or a purpose never shifts
/// anyone's draws.

#include <array>
#include <cmath>
#include <cstdint>

namespace il2sim {

/// What a stream's draws are for. Each purpose has its own stream, so that e.g. extra tumour draws
/// in one arm never change the covariates or the protocol draws of the same patient (common random
/// numbers).
enum class Purpose : std::uint32_t {
  kCovariates = 1,        ///< age, sex, height, weight
  kParameters = 2,        ///< inter-individual variability of model parameters
  kDisease = 3,           ///< disease at transplant (residual disease or not, L0)
  kTumourBirthDeath = 4,  ///< the birth-death regime of small tumours
  // 5 and 6 (the former shared protocol and clinical-event streams) are retired, not reused.
  kAssay = 7,            ///< measurement error of labs and assays
  kTrial = 8,            ///< randomization, accrual, dropout (patient = 0 or a trial-level key)
  kSchedulingDelay = 9,  ///< whole days between eligibility and the start of IL-2
  kRefusal = 10,         ///< refusal of IL-2
  kOtherAttrition = 11,  ///< not starting for a reason the model does not simulate
  kLakDose = 12,         ///< the patient's LAK cell dose
  kNrm = 13,             ///< non-relapse mortality (Exp(1) cumulative-hazard draw)
  kAcuteGvhd = 14,       ///< acute GVHD onset (Exp(1) draw)
  kChronicGvhd = 15,     ///< chronic GVHD onset (Exp(1) draw)
  kPostRelapse = 16,     ///< survival after relapse (normal deviate)
  kToxicDeath = 17,      ///< death from IL-2 toxicity at each grade-4 onset
  kNeverStart = 18,      ///< a randomized patient of the experimental arm who never starts IL-2
  kEarlyStop = 20,  ///< stopping IL-2 early at a constant hazard (protocol.early_stop_per_month)
  kSalvage = 22,    ///< salvage transplant after relapse (cohort salvage_fraction)
  kMixture = 23,    ///< the component cohort of a patient of a mixture cohort (cohort `mix`)
  kSensitivityMorris = 24,     ///< `sensitivity --method morris`: trajectories' start and order
  kSensitivityBootstrap = 25,  ///< `sensitivity`: bootstrap resamples of the indices' intervals
  kEnsembleSet = 26,           ///< `run --ensemble`: the parameter set of a replicate (patient = 0)
  kPosterior = 27,             ///< `calibrate --posterior`: draws, resampling, moves (step)
  kTest = 99                   ///< tests and benchmarks
};

/// Philox4x32 with 10 rounds: maps (counter, key) to four 32-bit words.
[[nodiscard]] std::array<std::uint32_t, 4> philox4x32_10(std::array<std::uint32_t, 4> counter,
                                                         std::array<std::uint32_t, 2> key);

/// One stream of random numbers. Cheap to construct; draws are deterministic given the
/// constructor's arguments and the sequence of calls.
class RandomStream {
 public:
  RandomStream(std::uint64_t seed, std::uint32_t replicate, std::uint32_t patient, Purpose purpose);

  /// Uniform on the open interval (0, 1), 53 random bits.
  double uniform() {
    // 53 bits, shifted by half an ulp so that 0 and 1 are never returned.
    return (static_cast<double>(next_u64() >> 11U) + 0.5) * 0x1.0p-53;
  }
  /// Standard normal (Box-Muller; the second variate is kept for the next call).
  double normal();
  /// Exponential with rate 1.
  double exponential() { return -std::log(uniform()); }
  /// Poisson with the given mean (>= 0): inversion below 10, PTRS (Hormann 1993) above.
  std::uint64_t poisson(double mean);
  /// True with probability p.
  bool bernoulli(double p) { return uniform() < p; }
  /// Uniform integer in [0, n), n > 0 (Lemire's unbiased method on 64-bit words).
  std::uint64_t below(std::uint64_t n);

 private:
  std::uint64_t next_u64() {
    if (used_ >= 4) refill();
    const std::uint64_t hi = block_[static_cast<std::size_t>(used_)];
    const std::uint64_t lo = block_[static_cast<std::size_t>(used_ + 1)];
    used_ += 2;
    return (hi << 32U) | lo;
  }
  /// The next block of four words; advances the counter.
  void refill();

  std::array<std::uint32_t, 2> key_;
  std::array<std::uint32_t, 4> counter_;
  std::array<std::uint32_t, 4> block_{};
  int used_ = 4;  ///< 32-bit words of block_ already consumed
  bool has_spare_normal_ = false;
  double spare_normal_ = 0.0;
};

}  // namespace il2sim
