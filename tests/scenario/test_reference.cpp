// The scenario reference and the version upgrade (reference.hpp, upgrade.hpp).
#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <sstream>
#include <string>

#include <toml++/toml.h>

#include "core/error.hpp"
#include "scenario/reference.hpp"
#include "scenario/scenario.hpp"
#include "scenario/upgrade.hpp"

namespace il2sim::scenario {
namespace {

/// Every key path of a TOML document ("a.b", "stages[0].looks", "regimens.r.phases[1].dose").
void key_paths(const toml::node& node, const std::string& path, std::set<std::string>& out) {
  if (const auto* t = node.as_table()) {
    for (const auto& [k, v] : *t)
      key_paths(v, path.empty() ? std::string(k.str()) : path + "." + std::string(k.str()), out);
    return;
  }
  if (const auto* a = node.as_array()) {
    if (!a->empty() && (*a)[0].is_table()) {
      for (std::size_t i = 0; i < a->size(); ++i)
        key_paths((*a)[i], path + "[" + std::to_string(i) + "]", out);
      return;
    }
  }
  out.insert(path);
}

std::set<std::string> documented() {
  std::set<std::string> paths;
  for (const auto& r : scenario_reference()) paths.insert(r.path);
  return paths;
}

// Optional keys the built-ins do not set: a CRM stage with a skeleton, rtol, a futility bound.
const std::string kOptional = R"(format_version = 1
name = "optional"
description = "every optional key"
[solver]
rtol = 1e-6
[protocol]
early_stop_per_month = 0.1
[cohorts.older]
disease = "aml"
setting = "chemotherapy"
age_min = 50
nrm_1y = 0.05
salvage_fraction = 0.2
salvage_median_months = 24
[cohorts.mixed]
description = "a mixture"
mix = { older = 0.3, adult-auto-nhl = 0.7 }
[products.newco]
chiron_iu_per_unit = 2
[regimens.r]
phases = [ { name = "induction", dose = 3e6, days = 5 } ]
[regimens.cyc]
product = "newco"
phases = [ { name = "rest", days = 10 }, { name = "course", dose = 1e6, days = 2 } ]
repeat = [ { phases = ["rest", "course"], times = 4, cycle_doses = [1e6, 1e6, 2e6, 2e6] } ]
[regimens.cyc.rules]
max_holds = 0
on_hold = "delay"
[[arms]]
name = "il2"
cohort = "adult-auto-nhl"
regimen = "r"
[[arms]]
name = "obs"
cohort = "adult-auto-nhl"
[[arms]]
name = "old"
cohort = "older"
regimen = "cyc"
[[arms]]
name = "old-obs"
cohort = "older"
[[stages]]
name = "itt"
type = "randomized"
arms = ["old", "old-obs"]
strata = ["cohort", "sex"]
randomize_at = "registration"
registration_lead_days = 20
never_start_probability = 0.2
population = "treated"
registered = 0
randomized = 100
analysis = "calendar"
analysis_months = [24, 48]
landmark_years = [1, 3]
[[stages]]
name = "crm"
type = "dose_escalation"
method = "crm"
cohort = "adult-auto-nhl"
regimen = "r"
levels = [1e6, { dose = 3e6, days = 4 }]
skeleton = [0.1, 0.3]
[[stages]]
name = "p3"
type = "randomized"
arms = ["il2", "obs"]
dose_from = "crm"
futility = "obf"
looks = [0.5, 1]
)";

TEST(ScenarioReference, DocumentsEveryKeyTheWriterWrites) {
  const auto docs = documented();
  std::vector<std::string> texts{kOptional};
  for (const auto& b : builtin_scenarios()) texts.emplace_back(b.toml);
  for (const auto& text : texts) {
    const auto resolved = to_toml(parse_scenario(text, "s.toml"));
    std::set<std::string> paths;
    key_paths(toml::parse(resolved), "", paths);
    for (const auto& p : paths) {
      EXPECT_TRUE(docs.count(reference_path(p)) == 1)
          << p << " (as " << reference_path(p) << ") is written but not in the reference";
    }
  }
}

TEST(ScenarioReference, DefaultsAreWhatARunUses) {
  // A minimal scenario resolves every plain-section key to its default: the reference must print
  // exactly that value (the table is the one source of both).
  const auto resolved = toml::parse(to_toml(parse_scenario(R"(format_version = 1
name = "minimal"
[[arms]]
name = "a"
cohort = "adult-auto-nhl"
)",
                                                           "s.toml")));
  int compared = 0;
  for (const auto& r : scenario_reference()) {
    if (r.path.find('[') != std::string::npos || r.path.find("NAME") != std::string::npos) continue;
    const auto* node = resolved.at_path(r.path).node();
    if (node == nullptr || node->is_table() || r.default_value.empty() ||
        r.default_value.rfind('(', 0) == 0)
      continue;
    // Both through one formatter, so that only the values are compared.
    const auto as_text = [](const toml::node& n) {
      std::ostringstream text;
      text << toml::toml_formatter(toml::table{{"v", n}});
      return text.str();
    };
    const auto expected = toml::parse("v = " + r.default_value);
    EXPECT_EQ(as_text(*node), as_text(*expected.get("v"))) << r.path;
    ++compared;
  }
  EXPECT_GT(compared, 50);  // the plain sections: solver 5, population 15, protocol 23, ...
}

TEST(ScenarioReference, PathsOfResolvedKeys) {
  EXPECT_EQ(reference_path("regimens.chiron.phases[2].dose"), "regimens.NAME.phases[].dose");
  EXPECT_EQ(reference_path("stages[0].looks"), "stages[].looks");
  EXPECT_EQ(reference_path("parameters.kN"), "parameters.NAME");
  EXPECT_EQ(reference_path("protocol.max_holds"), "protocol.max_holds");
  EXPECT_EQ(reference_path("cohorts.mixed.mix.adult-auto-nhl"), "cohorts.NAME.mix");
}

TEST(ScenarioUpgrade, KeepsCommentsAndMeaning) {
  const std::string v1 = R"(# my trial
format_version = 1  # old
name = "u"
[[arms]]
name = "a"
cohort = "adult-auto-nhl"  # keep me
)";
  const std::string v2 = upgrade_scenario_text(v1, "u.toml");
  EXPECT_NE(v2.find("format_version = 2  # old"), std::string::npos) << v2;
  EXPECT_NE(v2.find("# my trial"), std::string::npos);
  EXPECT_NE(v2.find("# keep me"), std::string::npos);
  EXPECT_EQ(parse_scenario(v2, "u2.toml").format_version, 2);
  // Idempotent: a version-2 file is returned as it is.
  EXPECT_EQ(upgrade_scenario_text(v2, "u2.toml"), v2);
}

TEST(ScenarioUpgrade, RefusesAVersionLineItCannotRewrite) {
  const std::string odd =
      "format_version = 0x1\nname = \"u\"\n[[arms]]\nname = \"a\"\n"
      "cohort = \"adult-auto-nhl\"\n";
  try {
    (void)upgrade_scenario_text(odd, "odd.toml");
    FAIL() << "no error";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("odd.toml"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("--resolved"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace il2sim::scenario
