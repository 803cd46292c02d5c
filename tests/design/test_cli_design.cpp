// End-to-end checks of `il2sim design ...` against the contract in interfaces.md: JSON keys exist,
// the JSON is strict, values agree with the library tests' sources, and bad flags exit 2.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

struct Run {
  int exit_code;
  std::string out;
};

Run run(const std::string& args) {
  const std::string cmd = std::string(IL2SIM_BINARY_DIR) + "/il2sim " + args + " 2>/dev/null";
  FILE* pipe = popen(cmd.c_str(), "r");
  EXPECT_NE(pipe, nullptr);
  std::string out;
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), buf.size(), pipe) != nullptr) out += buf.data();
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

nlohmann::json run_json(const std::string& args) {
  const Run r = run(args);
  EXPECT_EQ(r.exit_code, 0) << args;
  return nlohmann::json::parse(r.out);  // throws on NaN/Infinity or trailing text
}

// interfaces.md: simon {"optimal":{"r1","n1","r","n","en_p0","pet_p0"},"minimax":{...}};
// values: Simon (1989) Table 1, p0 = 0.1, p1 = 0.3.
TEST(DesignCli, SimonJson) {
  const auto j = run_json("design simon --p0 0.1 --p1 0.3 --alpha 0.05 --beta 0.2 --json");
  for (const char* design : {"optimal", "minimax"}) {
    for (const char* key : {"r1", "n1", "r", "n", "en_p0", "pet_p0"}) {
      EXPECT_TRUE(j.at(design).contains(key)) << design << "." << key;
    }
  }
  EXPECT_EQ(j["optimal"]["n"], 29);
  EXPECT_EQ(j["minimax"]["n"], 25);
}

// interfaces.md: boin {"lambda_e","lambda_d","elimination":[{"n","eliminate_if_dlt_at_least"}]};
// values: Liu & Yuan (2015) Table 1 and tools/reference/design/boin.R (n = 3 -> 3, n = 6 -> 4).
TEST(DesignCli, BoinJson) {
  const auto j = run_json("design boin --target 0.3 --json");
  EXPECT_NEAR(j["lambda_e"].get<double>(), 0.236, 1e-3);
  EXPECT_NEAR(j["lambda_d"].get<double>(), 0.358, 1e-3);
  bool seen3 = false, seen6 = false;
  for (const auto& row : j["elimination"]) {
    if (row["n"] == 3) seen3 = row["eliminate_if_dlt_at_least"] == 3;
    if (row["n"] == 6) seen6 = row["eliminate_if_dlt_at_least"] == 4;
  }
  EXPECT_TRUE(seen3);
  EXPECT_TRUE(seen6);
}

// interfaces.md: gsd {"looks":[{"info","efficacy_z","cumulative_alpha","futility_z"}]};
// values: rpact (tools/reference/design/gsd.R): 3.7103, 2.5114, 1.9930 and futility
// -0.2361, 1.1704.
TEST(DesignCli, GsdJson) {
  const auto j = run_json(
      "design gsd --looks 3 --alpha 0.025 --beta 0.2 --spending obf --futility-spending obf "
      "--json");
  ASSERT_EQ(j["looks"].size(), 3U);
  const double expected_z[] = {3.7103, 2.5114, 1.9930};
  for (std::size_t k = 0; k < 3; ++k) {
    const auto& look = j["looks"][k];
    for (const char* key : {"info", "efficacy_z", "cumulative_alpha", "futility_z"}) {
      EXPECT_TRUE(look.contains(key)) << key;
    }
    EXPECT_NEAR(look["efficacy_z"].get<double>(), expected_z[k], 1e-3);
  }
  EXPECT_NEAR(j["looks"][0]["futility_z"].get<double>(), -0.2361, 1e-3);
  EXPECT_NEAR(j["looks"][1]["futility_z"].get<double>(), 1.1704, 1e-3);
  EXPECT_TRUE(j["looks"][2]["futility_z"].is_null());
}

// interfaces.md: three-plus-three {"doses":[{"p_dlt","p_select_as_mtd","expected_patients"}],
// "p_select_none","expected_total"}; one dose p = 0.2: P(MTD) = P(Bin(6, 0.2) <= 1) = 0.65536
// (derivation in test_three_plus_three.cpp).
TEST(DesignCli, ThreePlusThreeJson) {
  const auto j = run_json("design three-plus-three --p 0.2 --json");
  ASSERT_EQ(j["doses"].size(), 1U);
  for (const char* key : {"p_dlt", "p_select_as_mtd", "expected_patients"}) {
    EXPECT_TRUE(j["doses"][0].contains(key)) << key;
  }
  EXPECT_NEAR(j["doses"][0]["p_select_as_mtd"].get<double>(), 0.65536, 1e-12);
  EXPECT_NEAR(j["p_select_none"].get<double>(), 0.34464, 1e-12);
  EXPECT_NEAR(j["expected_total"].get<double>(), 5.688, 1e-12);
}

// Schoenfeld closed form: HR 0.7, two-sided 0.05, power 0.8, 1:1 -> 247 events.
TEST(DesignCli, SchoenfeldJson) {
  const auto j = run_json("design schoenfeld --hr 0.7 --alpha 0.05 --power 0.8 --json");
  EXPECT_EQ(j["events"].get<double>(), 247.0);
}

// interfaces.md: user errors exit 2 (here: p0 >= p1, p outside (0, 1), looks < 1, info not
// increasing or not ending at 1, unknown spending, futility without beta).
TEST(DesignCli, BadFlagsExitTwo) {
  for (const char* args :
       {"design simon --p0 0.3 --p1 0.2", "design simon --p0 0 --p1 0.2",
        "design gsd --looks 0 --alpha 0.025", "design gsd --looks 3 --alpha 0.025 --info 0.5,0.4,1",
        "design gsd --looks 2 --alpha 0.025 --info 0.5,0.9",
        "design gsd --looks 2 --alpha 0.025 --spending linear",
        "design gsd --looks 2 --alpha 0.025 --futility-spending obf",
        "design three-plus-three --p 0.1,1.2", "design boin --target 1.3"}) {
    EXPECT_EQ(run(args).exit_code, 2) << args;
  }
}

}  // namespace
