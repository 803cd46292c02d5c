// `il2sim calibrate --posterior abc-smc|prior` end to end (docs/posterior.md): refusals (exit 2,
// nothing written), the same posterior bytes for any thread count, the posterior read back by
// `run --ensemble`, and the prior ensemble's law.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "../cli/cli_runner.hpp"

namespace il2sim::testing {
namespace {

std::string out_dir(const std::string& name) {
  return std::string(IL2SIM_BINARY_DIR) + "/tests/posterior-" + name;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(CliPosterior, SettingsItCannotHonourAreRefused) {
  const std::string never = out_dir("never");
  std::filesystem::remove_all(never);
  const std::vector<std::pair<std::string, std::string>> cases{
      {"--posterior mcmc", "'mcmc' is not a method; allowed: abc-smc, prior"},
      {"--posterior abc-smc --particles 1", "--particles: 1: allowed 2 to 100000"},
      {"--posterior abc-smc --parameters kN --prior kN=1:2",
       "--prior: kN=1:2: outside the parameter table's bounds"},
      {"--posterior abc-smc --parameters kN --prior kE=1e-5:2e-5",
       "--prior: kE=1e-5:2e-5: the parameter is not sampled"},
      {"--posterior abc-smc --parameters kN --prior kN=3e-5:1e-5", "LO >= HI"},
      {"--posterior abc-smc --parameters kN --prior kN=abc:1e-5", "'abc' is not a number"},
      {"--posterior abc-smc --prior-factor 1", "--prior-factor: 1: allowed > 1"},
      {"--posterior abc-smc --optimizer bobyqa", "--optimizer: a setting of NLopt fits"},
      {"--posterior abc-smc --max-evals 5", "--max-evals: a setting of NLopt fits"},
      {"--posterior abc-smc --check", "--check: not with --posterior"},
      {"--posterior prior --max-moves 3", "--max-moves: a setting of --posterior abc-smc"},
      {"--posterior abc-smc --max-moves 0", "--max-moves: 0: allowed 1 to 100"},
      {"--particles 10", "--particles: only with --posterior"},
      {"--posterior prior --likelihood poisson",
       "--likelihood: poisson: unknown likelihood 'poisson' (allowed: range, binomial)"},
      {"--likelihood binomial", "--likelihood: only with --posterior or --profile"},
      {"--check --likelihood binomial", "--likelihood: only with --posterior or --profile"},
      {"--posterior prior --parameters kN --only DZ99", "no target 'DZ99'"},
      {"--posterior prior --parameters kWW", "kWW: unknown parameter; did you mean 'kW'?"},
      {"--posterior prior --parameters V1",
       "no fit of the plan calibration/plan.toml fits these parameters"},
  };
  for (const auto& [args, message] : cases) {
    const auto r = run_il2sim("calibrate " + args + " --out " + never);
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.err;
    EXPECT_NE(r.err.find(message), std::string::npos) << args << "\n" << r.err;
    EXPECT_FALSE(std::filesystem::exists(never)) << args;
  }
}

// A small posterior (two parameters, two targets, a tenth of the patients): the same bytes for one
// thread and two; the file is an ensemble that `run --ensemble` reads; the report's keys.
TEST(CliPosterior, SameBytesForAnyThreadCountAndReadByRunEnsemble) {
  const std::string args =
      "calibrate --posterior abc-smc --parameters kN,r_nhl --only DZ1_median,DZ2_pfs4 "
      "--particles 12 --max-moves 2 --patients-scale 0.1 --seed 5 --force --out ";
  std::string first;
  for (const char* threads : {"1", "2"}) {
    const std::string dir = out_dir(std::string("t") + threads);
    const auto r = run_il2sim(args + dir + " --threads " + threads);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto text = slurp(dir + "/posterior.toml");
    if (first.empty()) {
      first = text;
    } else {
      EXPECT_EQ(text, first);
    }
  }
  const std::string dir = out_dir("t1");
  const auto report = nlohmann::json::parse(slurp(dir + "/posterior-report.json"));
  EXPECT_EQ(report["method"], "abc-smc");
  EXPECT_EQ(report["steps"].back()["temperature"], 1.0);
  ASSERT_EQ(report["parameters"].size(), 2U);
  EXPECT_EQ(report["parameters"][0]["name"], "kN");
  ASSERT_EQ(report["checks"].size(), 2U);
  for (const auto& p : report["parameters"]) {
    EXPECT_LE(p["prior_lower"].get<double>(), p["q05"].get<double>());
    EXPECT_LE(p["q95"].get<double>(), p["prior_upper"].get<double>());
  }
  const auto run = run_il2sim("run phase3-autosct-nhl --replicates 2 --ensemble " + dir +
                              "/posterior.toml --force --out " + out_dir("run"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto summary = nlohmann::json::parse(slurp(out_dir("run") + "/summary.json"));
  EXPECT_TRUE(summary["stages"][0].contains("assurance"));
}

// `--likelihood binomial` (docs/posterior.md "The binomial likelihood") is used and recorded: the
// posterior file and report name it, the posterior differs from the range model's at the same seed
// (DZ2_pfs4 carries the S9438 evidence 0.34 of 376), and `ensemble mix` refuses to weigh the two
// by their evidence (their likelihoods differ).
TEST(CliPosterior, BinomialLikelihoodIsUsedAndRecorded) {
  const std::string args =
      "calibrate --posterior abc-smc --parameters kN --only DZ2_pfs4 --particles 12 --max-moves 2 "
      "--patients-scale 0.1 --seed 5 --force --out ";
  for (const char* l : {"range", "binomial"}) {
    const auto r = run_il2sim(args + out_dir(l) + " --likelihood " + l);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  const auto binomial = slurp(out_dir("binomial") + "/posterior.toml");
  const auto range = slurp(out_dir("range") + "/posterior.toml");
  EXPECT_NE(binomial.find("likelihood = \"binomial: "), std::string::npos);
  EXPECT_NE(range.find("likelihood = \"range error model"), std::string::npos);
  const auto sets = [](const std::string& t) { return t.substr(t.find("[[sets]]")); };
  EXPECT_NE(sets(binomial), sets(range));
  const auto report = nlohmann::json::parse(slurp(out_dir("binomial") + "/posterior-report.json"));
  EXPECT_EQ(report["likelihood"], "binomial");
  const auto mix = run_il2sim("ensemble mix " + out_dir("range") + "/posterior.toml " +
                              out_dir("binomial") + "/posterior.toml --out " + out_dir("mix.toml"));
  EXPECT_EQ(mix.exit_code, 2) << mix.err;
  EXPECT_NE(mix.err.find("its evidence is not comparable"), std::string::npos) << mix.err;
}

// The prior ensemble: kN's default prior is log-uniform over the plan's prior value 4e-5 ×/÷ 4
// (calibration/plan.toml, docs/posterior.md), so log10 kN ~ U(log10 1e-5, log10 1.6e-4): median
// log10 4e-5. With 200 sets the median's SE is sqrt(0.25 / 200) × 1.204 = 0.043 log10 units:
// tolerance 0.13 (3 SEs). No tempering steps; the prior predictive check has the target.
TEST(CliPosterior, PriorEnsembleFollowsThePrior) {
  const std::string dir = out_dir("prior");
  const auto r = run_il2sim(
      "calibrate --posterior prior --parameters kN --only DZ2_pfs4 --particles 200 "
      "--patients-scale 0.05 --threads 2 --force --out " +
      dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto report = nlohmann::json::parse(slurp(dir + "/posterior-report.json"));
  EXPECT_TRUE(report["steps"].empty());
  EXPECT_DOUBLE_EQ(report["parameters"][0]["prior_lower"].get<double>(), 1e-5);
  EXPECT_DOUBLE_EQ(report["parameters"][0]["prior_upper"].get<double>(), 1.6e-4);
  EXPECT_NEAR(std::log10(report["parameters"][0]["median"].get<double>()), std::log10(4e-5), 0.13);
  EXPECT_EQ(report["checks"][0]["id"], "DZ2_pfs4");
  const auto toml = slurp(dir + "/prior.toml");
  EXPECT_NE(toml.find("method = \"prior\""), std::string::npos);
  EXPECT_EQ(toml.find("max_moves"), std::string::npos);  // no sampler settings in a prior ensemble
  std::size_t sets = 0;
  for (std::size_t at = toml.find("[[sets]]"); at != std::string::npos;
       at = toml.find("[[sets]]", at + 1))
    ++sets;
  EXPECT_EQ(sets, 200U);
}

// A sampled parameter whose value is 0 in the scenario (and has no plan prior) has no default
// prior ×/÷ a factor: refused naming it and --prior; with --prior it runs.
TEST(CliPosterior, AZeroValueNeedsAnExplicitPrior) {
  const std::string scenario = out_dir("zero.toml");
  std::filesystem::create_directories(std::filesystem::path(scenario).parent_path());
  std::ofstream(scenario) << slurp(std::string(IL2SIM_SOURCE_DIR) +
                                   "/scenarios/phase3-autosct-nhl.toml")
                          << "\n[parameters]\npN = 0.0\n";
  const std::string dir = out_dir("zero");
  std::filesystem::remove_all(dir);
  const std::string args = "calibrate " + scenario +
                           " --posterior prior --parameters pN --only DZ6_nhl --particles 5 "
                           "--patients-scale 0.02 --out " +
                           dir;
  auto r = run_il2sim(args);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--parameters: pN: no default prior around the value 0"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("--prior pN=LO:HI"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir));
  r = run_il2sim(args + " --prior pN=0.1:1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(slurp(dir + "/prior.toml").find("pN = { lower = 0.1, upper = 1, scale = \"uniform\" }"),
            std::string::npos);
}

}  // namespace
}  // namespace il2sim::testing

namespace il2sim::testing {

// calibrate --profile on a target with a closed form: the doubling time ln 2 / r_nhl against the
// range [20, 30] days, where −log L = ½·(1.96·d)² with d the distance outside the range over its
// half-width 5 (docs/posterior.md), so the deviance 2·(−log L) reaches χ²₁(0.95) = 3.8415 at
// d = 1.0000 (1.959964 / 1.96): doubling times 15 and 35 days, r_nhl = ln 2 / 35 = 0.019804 and
// ln 2 / 15 = 0.046210. On 101 grid values (step 0.0009) the interpolated crossing is within 1e-4.
TEST(CliProfile, DoublingTimeProfileHasItsClosedFormInterval) {
  const std::string dir = out_dir("profile");
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/dt.toml")
      << "format_version = 1\nseed = 1\n\n[experiments.typical-nhl]\nkind = \"typical\"\n"
         "scenario = \"chiron-regimen\"\ncohort = \"adult-auto-nhl\"\nregimen = \"none\"\n"
         "start_day = 46\ndays = 50\nstep = 1\n\n[[targets]]\nid = \"DT\"\ndescription = \"t\"\n"
         "source = \"test\"\nexperiment = \"typical-nhl\"\nstatistic = \"doubling_time\"\n"
         "parameter = \"r_nhl\"\nunit = \"days\"\ntarget = 25\nlower = 20\nupper = 30\n";
  const auto r = run_il2sim("calibrate --targets " + dir +
                            "/dt.toml --profile r_nhl --parameters "
                            "kN --only DT --profile-range 0.01:0.1 --profile-points 101 "
                            "--max-evals 5 --json --out " +
                            dir + "/out");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_NEAR(j["ci_lower"].get<double>(), std::log(2.0) / 35.0, 1e-4);
  EXPECT_NEAR(j["ci_upper"].get<double>(), std::log(2.0) / 15.0, 1e-4);
  EXPECT_FALSE(j["lower_open"].get<bool>());
  EXPECT_EQ(j["points"].size(), 101U);
  EXPECT_EQ(nlohmann::json::parse(slurp(dir + "/out/profile-report.json")), j);
  const auto csv = slurp(dir + "/out/profile.csv");
  EXPECT_EQ(csv.rfind("r_nhl,neg_log_likelihood,deviance,met,counted,evaluations,stop,kN\n", 0),
            0U);
  std::filesystem::remove_all(dir);
}

TEST(CliProfile, SettingsItCannotHonourAreRefused) {
  const std::string never = out_dir("profile-never");
  std::filesystem::remove_all(never);
  const std::vector<std::pair<std::string, std::string>> cases{
      {"--profile kN --profile-points 2", "--profile-points 2: out of range (allowed: 3 to 101)"},
      {"--profile-points 5", "--profile-points: only with --profile NAME"},
      {"--profile kN --check", "--check: not with --profile"},
      {"--profile kN --posterior abc-smc", "--posterior: not with --profile"},
      {"--profile kN --parameters kN,kE", "--parameters kN: is the profiled parameter"},
      {"--profile kill_max", "kill_max: the calibration's model does not read it"},
      {"--profile kN --profile-range 1:2", "outside the parameter table's bounds"},
      {"--profile kNN", "unknown parameter"},
      {"--profile kN --likelihood flat", "unknown likelihood 'flat'"},
  };
  for (const auto& [args, message] : cases) {
    const auto r = run_il2sim("calibrate " + args + " --out " + never);
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.err;
    EXPECT_NE(r.err.find(message), std::string::npos) << args << "\n" << r.err;
    EXPECT_FALSE(std::filesystem::exists(never)) << args;
  }
}

}  // namespace il2sim::testing
