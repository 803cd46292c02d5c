// Mixture cohorts (docs/model.md "Mixture cohorts") through the real binary: a randomized stage of
// a mixture stratified by its component (`run`, ADSL COHORT), a mixture of weight 1 giving the same
// bytes as its component (`cohort`), `scenarios cohorts --json` listing the mixture, and
// `trajectory --typical` refusing one.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli_runner.hpp"

namespace il2sim {
namespace {

using testing::read_text;
using testing::run_il2sim;

std::string temp_dir(const std::string& name) {
  const std::string p = testing::temp_path("mixture", name);
  std::filesystem::remove_all(p);
  return p;
}

const std::string kCohorts = R"(
[cohorts.nhl-indolent]
description = "indolent histology"
disease = "nhl"
setting = "autologous"
p_no_disease = 0.6

[cohorts.nhl-aggressive]
description = "aggressive histology"
disease = "nhl"
setting = "autologous"
p_no_disease = 0.2

[cohorts.nhl-mixed]
description = "NHL after autologous SCT: 40 % indolent, 60 % aggressive histology"
mix = { nhl-indolent = 0.4, nhl-aggressive = 0.6 }

[cohorts.only-aggressive]
mix = { nhl-aggressive = 1.0 }
)";

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

/// The built-in phase III with both arms on the mixture, stratified by component, 120 registrants.
std::string mixed_phase3(const std::string& dir) {
  const auto shown = run_il2sim("scenarios show phase3-autosct-nhl");
  EXPECT_EQ(shown.exit_code, 0) << shown.err;
  std::string text =
      replace_all(shown.out, "cohort = \"adult-auto-nhl\"", "cohort = \"nhl-mixed\"");
  text = replace_all(text, "strata = [\"age\"]", "strata = [\"cohort\"]");
  text = replace_all(text, "registered = 394", "registered = 120");
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/mixed.toml";
  std::ofstream(path) << text << kCohorts;
  return path;
}

/// The values of one column of a CSV file (no quoted commas in the columns read here).
std::vector<std::string> column(const std::string& csv, const std::string& name) {
  std::stringstream in(csv);
  std::string line;
  std::getline(in, line);
  const auto cells = [](const std::string& l) {
    std::vector<std::string> out;
    std::stringstream s(l);
    for (std::string c; std::getline(s, c, ',');) out.push_back(c);
    if (!l.empty() && l.back() == ',') out.emplace_back();
    return out;
  };
  const auto header = cells(line);
  const auto at =
      static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  EXPECT_LT(at, header.size()) << name;
  std::vector<std::string> values;
  while (std::getline(in, line)) values.push_back(cells(line).at(at));
  return values;
}

}  // namespace

TEST(CliMixture, RandomizedStageOfAMixtureStratifiedByCohort) {
  const auto dir = temp_dir("run");
  const auto file = mixed_phase3(dir);
  auto r = run_il2sim("run " + file + " --replicates 1 --out " + dir + "/out");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto cohorts = column(read_text(dir + "/out/adsl.csv"), "COHORT");
  EXPECT_EQ(std::set<std::string>(cohorts.begin(), cohorts.end()),
            (std::set<std::string>{"nhl-aggressive", "nhl-indolent"}));
  // The resolved scenario writes the mixture back and reproduces the run.
  const auto resolved = read_text(dir + "/out/scenario.toml");
  EXPECT_NE(resolved.find("mix = { \"nhl-aggressive\" = 0.6, \"nhl-indolent\" = 0.4 }"),
            std::string::npos)
      << resolved;
  EXPECT_NE(resolved.find("strata = [\"cohort\"]"), std::string::npos);
  r = run_il2sim("run " + dir + "/out/scenario.toml --replicates 1 --out " + dir + "/again");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_text(dir + "/out/adsl.csv"), read_text(dir + "/again/adsl.csv"));
  EXPECT_EQ(read_text(dir + "/out/summary.json"), read_text(dir + "/again/summary.json"));
  // `scenarios cohorts --json` lists the mixture with its components and weights.
  r = run_il2sim("scenarios cohorts " + file + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  bool listed = false;
  for (const auto& c : doc.at("cohorts")) {
    if (c.at("name") != "nhl-mixed") continue;
    listed = true;
    EXPECT_FALSE(c.at("builtin").get<bool>());
    ASSERT_EQ(c.at("mix").size(), 2U);
    EXPECT_EQ(c.at("mix")[0].at("cohort"), "nhl-aggressive");
    EXPECT_EQ(c.at("mix")[0].at("weight"), 0.6);
    EXPECT_EQ(c.at("mix")[1].at("cohort"), "nhl-indolent");
    EXPECT_EQ(c.at("mix")[1].at("weight"), 0.4);
  }
  EXPECT_TRUE(listed) << r.out;
  r = run_il2sim("scenarios cohorts " + file);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("mixture of nhl-aggressive 0.6, nhl-indolent 0.4"), std::string::npos)
      << r.out;
  std::filesystem::remove_all(dir);
}

TEST(CliMixture, WeightOneGivesTheComponentsBytesAndTypicalRefuses) {
  const auto dir = temp_dir("cohort");
  const auto file = mixed_phase3(dir);
  // Two scenarios alike but for the cohort of arm "x": the component, or a mixture of weight 1 on
  // it. Every CSV view of `cohort` is the same bytes (ADSL COHORT names the component in both).
  for (const char* cohort : {"nhl-aggressive", "only-aggressive"}) {
    const std::string path = dir + "/" + cohort + ".toml";
    std::filesystem::copy_file(file, path);
    std::ofstream(path, std::ios::app)
        << "\n[[arms]]\nname = \"x\"\ncohort = \"" << cohort << "\"\nregimen = \"chiron\"\n";
    const auto r = run_il2sim("cohort " + path + " --arm x --patients 12 --days 400 --out " + dir +
                              "/" + cohort);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  for (const char* view : {"adsl.csv", "adtte.csv", "adlb.csv", "adae.csv", "ex.csv"}) {
    const auto a = read_text(dir + "/nhl-aggressive/" + view);
    EXPECT_FALSE(a.empty()) << view;
    EXPECT_EQ(a, read_text(dir + "/only-aggressive/" + view)) << view;
  }
  // summary.json names the arm's cohort; every other byte is the same.
  EXPECT_EQ(read_text(dir + "/nhl-aggressive/summary.json"),
            replace_all(read_text(dir + "/only-aggressive/summary.json"),
                        "\"cohort\": \"only-aggressive\"", "\"cohort\": \"nhl-aggressive\""));
  for (const auto& c : column(read_text(dir + "/only-aggressive/adsl.csv"), "COHORT"))
    EXPECT_EQ(c, "nhl-aggressive");
  // The typical patient needs one disease and setting: refused for a mixture; --patient K works.
  const auto r = run_il2sim("trajectory " + file + " --arm il2 --typical --out " + dir + "/t.csv");
  EXPECT_EQ(r.exit_code, 2);
  for (const char* n : {"--arm", "nhl-mixed", "mixture", "--patient K"})
    EXPECT_NE(r.err.find(n), std::string::npos) << n << "\n" << r.err;
  const auto p =
      run_il2sim("trajectory " + file + " --arm il2 --patient 3 --days 60 --out " + dir + "/p.csv");
  EXPECT_EQ(p.exit_code, 0) << p.err;
  std::filesystem::remove_all(dir);
}

}  // namespace il2sim
