// `il2sim cohort` on a scenario file with a cycle regimen and a custom product (regimens v2): one
// EX row per SC injection on the cycle days, the product's name in EX and ADSL, its potency in the
// amounts, and the resolved scenario (`scenarios show --resolved`) holding the product and the
// cycle.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.hpp"

namespace il2sim {
namespace {

namespace fs = std::filesystem;
using testing::read_text;
using testing::run_il2sim;

/// A CSV view (no quoted commas in these columns) as rows of column -> value.
std::vector<std::map<std::string, std::string>> read_csv(const std::string& path) {
  std::istringstream in(read_text(path));
  std::vector<std::vector<std::string>> rows;
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::string cell;
    for (const char c : line) {
      if (c == ',') {
        cells.push_back(cell);
        cell.clear();
      } else if (c != '"') {
        cell += c;
      }
    }
    cells.push_back(cell);
    rows.push_back(cells);
  }
  std::vector<std::map<std::string, std::string>> out;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    std::map<std::string, std::string> row;
    for (std::size_t k = 0; k < rows[0].size() && k < rows[i].size(); ++k)
      row[rows[0][k]] = rows[i][k];
    out.push_back(row);
  }
  return out;
}

const char* const kScenario = R"(format_version = 1
name = "cycles"
[products.bio]
chiron_iu_per_unit = 2
[regimens.monthly]
product = "bio"
phases = [ { name = "cycle", role = "maintenance", route = "sc", dose = 1, unit = "MU", days = 5, interval_hours = 24, setting = "outpatient" } ]
repeat = [ { phases = ["cycle"], times = 3, every_days = 28 } ]
[[arms]]
name = "il2"
cohort = "adult-auto-aml"
regimen = "monthly"
)";

TEST(CliRegimens, CycleRegimenWithCustomProduct) {
  const std::string dir = testing::temp_path("regimens", "cycles");
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string file = dir + "/cycles.toml";
  std::ofstream(file) << kScenario;
  const auto r =
      run_il2sim("cohort " + file + " --arm il2 --patients 6 --days 200 --out " + dir + "/out");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::map<std::string, std::vector<std::map<std::string, std::string>>> ex;
  for (auto& row : read_csv(dir + "/out/ex.csv")) ex[row.at("USUBJID")].push_back(row);
  int checked = 0;
  for (const auto& adsl : read_csv(dir + "/out/adsl.csv")) {
    const auto& id = adsl.at("USUBJID");
    if (adsl.at("TREATED") != "1") continue;
    EXPECT_EQ(adsl.at("PRODUCT"), "bio") << id;
    if (!adsl.at("STOPRS").empty() || adsl.at("HOLDS") != "0") continue;
    ++checked;
    const auto& rows = ex[id];
    // Three 5-day cycles, one injection every 24 h: 15 administrations.
    ASSERT_EQ(rows.size(), 15U) << id;
    const double first = std::stod(rows[0].at("EXSTDY"));
    for (std::size_t i = 0; i < rows.size(); ++i) {
      EXPECT_EQ(rows[i].at("EXTRT"), "bio");
      EXPECT_EQ(rows[i].at("EXROUTE"), "sc");
      EXPECT_EQ(rows[i].at("EXPHASE"), "cycle");
      // EXCYCLE: cycle c (1-based) holds injections 5(c-1) .. 5c-1.
      EXPECT_EQ(rows[i].at("EXCYCLE"), std::to_string(i / 5 + 1)) << id << " row " << i;
      // 1 MU of a product of 2 Chiron IU per unit, flat: 2e6 IU per injection.
      EXPECT_DOUBLE_EQ(std::stod(rows[i].at("EXAMT")), 2e6);
      // Injection j of cycle c on day first + 28c + j.
      EXPECT_DOUBLE_EQ(std::stod(rows[i].at("EXSTDY")),
                       first + 28.0 * static_cast<double>(i / 5) + static_cast<double>(i % 5))
          << id << " row " << i;
    }
  }
  EXPECT_GT(checked, 0);
  const auto shown = run_il2sim("scenarios show " + file + " --resolved");
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  const std::string& resolved = shown.out;
  EXPECT_NE(resolved.find("[products.\"bio\"]\nchiron_iu_per_unit = 2\n"), std::string::npos);
  EXPECT_NE(resolved.find("repeat = [\n  { phases = [\"cycle\"], times = 3, every_days = 28 },"),
            std::string::npos)
      << resolved;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace il2sim
