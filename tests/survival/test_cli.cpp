// `il2sim survival ...` end to end: user errors exit 2 with one clear message, --json is strict
// JSON (interfaces.md, "il2sim subcommands" and "JSON shapes").
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

struct Run {
  int code = -1;
  std::string out;
};

Run il2sim(const std::string& args, bool merge_stderr = true) {
  const std::string cmd = std::string(IL2SIM_BINARY_DIR) + "/il2sim " + args +
                          (merge_stderr ? " 2>&1" : " 2>/dev/null");
  Run r;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  std::size_t n = 0;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string write_temp(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / ("il2sim_test_survival_" + name);
  std::ofstream(path) << text;
  return path.string();
}

const std::string kAml = "--data tests/survival/fixtures/aml.csv ";

TEST(SurvivalCli, MissingColumn) {
  const auto r = il2sim("survival km " + kAml + "--time tme --event status");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("no column named 'tme' (did you mean 'time'?)"), std::string::npos) << r.out;
}

TEST(SurvivalCli, NegativeTime) {
  const auto f = write_temp("neg.csv", "t,e\n1,1\n-2,0\n");
  const auto r = il2sim("survival km --data " + f + " --time t --event e");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find(":3:1: t: time -2 is negative"), std::string::npos) << r.out;
}

TEST(SurvivalCli, BadEventCode) {
  const auto f = write_temp("code.csv", "t,e,g\n1,1,a\n2,yes,b\n");
  const auto r = il2sim("survival logrank --data " + f + " --time t --event e --group g");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find(":3:2: e: event code 'yes' is not allowed"), std::string::npos) << r.out;
}

TEST(SurvivalCli, EmptyFileAndBadFlags) {
  const auto f = write_temp("empty.csv", "");
  EXPECT_EQ(il2sim("survival km --data " + f + " --time t --event e").code, 2);
  EXPECT_EQ(il2sim("survival km " + kAml + "--time time --event status --conf-type logit").code, 2);
  EXPECT_EQ(il2sim("survival km " + kAml + "--time time --event status --conf-level 1.5").code, 2);
  EXPECT_EQ(
      il2sim("survival cox " + kAml + "--time time --event status --covariates x --ties exact")
          .code,
      2);
}

TEST(SurvivalCli, JsonIsStrictAndHasTheContractKeys) {
  // lung has S(t) = 0 in no group, but the NA confidence limits past the last event of a log-log
  // curve and the upper median limit of aml are R NAs: they must be null, never NaN.
  const auto km = il2sim(
      "survival km " + kAml + "--time time --event status --group x --rmean 40 --json", false);
  ASSERT_EQ(km.code, 0);
  const auto j = nlohmann::json::parse(km.out);  // throws on NaN / Infinity
  ASSERT_EQ(j["curves"].size(), 2U);
  for (const char* key :
       {"group", "time", "n_risk", "n_event", "n_censor", "surv", "std_err", "lower", "upper",
        "median", "median_lower", "median_upper", "rmean", "rmean_se", "rmean_tau"}) {
    EXPECT_TRUE(j["curves"][0].contains(key)) << key;
  }
  EXPECT_TRUE(j["curves"][0]["median_upper"].is_null());    // R: NA (aml, Maintained)
  EXPECT_TRUE(j["curves"][1]["std_err"].back().is_null());  // S = 0 at t = 45 (Nonmaintained)

  const auto lr =
      il2sim("survival logrank " + kAml + "--time time --event status --group x --json", false);
  const auto jl = nlohmann::json::parse(lr.out);
  for (const char* key : {"chisq", "df", "p", "groups"}) EXPECT_TRUE(jl.contains(key)) << key;

  const auto cox = il2sim(
      "survival cox --data tests/survival/fixtures/lung.csv --time time --event status "
      "--covariates age,sex --json",
      false);
  const auto jc = nlohmann::json::parse(cox.out);
  EXPECT_EQ(jc["coefficients"][1]["term"], "sexmale");
  EXPECT_EQ(jc["n_dropped"], 0);
  for (const char* key :
       {"loglik", "lr_test", "wald_test", "score_test", "n", "n_event", "iterations"}) {
    EXPECT_TRUE(jc.contains(key)) << key;
  }

  const auto ci = il2sim(
      "survival cuminc --data tests/survival/fixtures/competing.csv --time time --status status "
      "--group group --json",
      false);
  const auto ji = nlohmann::json::parse(ci.out);
  EXPECT_EQ(ji["n_dropped"], 3);  // two NA statuses and one NA time (make_fixtures.R)
  EXPECT_EQ(ji["curves"].size(), 6U);
  EXPECT_EQ(ji["gray_test"].size(), 2U);
}

// --where COL=VALUE keeps the rows that hold VALUE (AND over repeats); --censor reads an ADaM
// censoring flag (0 = event, a positive whole number = censored). Closed form: the two-row file
// below, filtered to group a, is the one-row file with the event column written out.
TEST(SurvivalCli, WhereAndCensorReadAdamColumns) {
  const auto adam =
      write_temp("adam.csv", "PARAMCD,AVAL,CNSR,ARM\nPFS,5,0,a\nPFS,7,2,a\nOS,9,1,a\nPFS,3,0,b\n");
  const auto plain = write_temp("plain.csv", "t,e\n5,1\n7,0\n");
  const auto a = il2sim("survival km --data " + adam +
                            " --time AVAL --censor CNSR --where PARAMCD=PFS --where ARM=a --json",
                        false);
  const auto b = il2sim("survival km --data " + plain + " --time t --event e --json", false);
  ASSERT_EQ(a.code, 0) << a.out;
  EXPECT_EQ(a.out, b.out);
  const auto lr = il2sim("survival logrank --data " + adam +
                         " --time AVAL --censor CNSR --where PARAMCD=PFS --group ARM --json");
  EXPECT_EQ(lr.code, 0) << lr.out;
  // cuminc filters the same way: the OS row alone is one censored time (status 1 = censoring
  // code here), so no cause is left.
  const auto ci = il2sim("survival cuminc --data " + adam +
                         " --time AVAL --status CNSR --censor-code 1 --where PARAMCD=OS");
  EXPECT_EQ(ci.code, 2);
  EXPECT_NE(ci.out.find("no event of any cause"), std::string::npos) << ci.out;
}

TEST(SurvivalCli, WhereAndCensorRefuseWhatTheyCannotHonour) {
  const auto adam = write_temp("adam2.csv", "PARAMCD,AVAL,CNSR\nPFS,5,0\nOS,7,1\n");
  const std::string base = "survival km --data " + adam + " --time AVAL ";
  const auto unknown = il2sim(base + "--censor CNSR --where PARAMC=PFS");
  EXPECT_EQ(unknown.code, 2);
  EXPECT_NE(unknown.out.find("no column named 'PARAMC' (did you mean 'PARAMCD'?)"),
            std::string::npos)
      << unknown.out;
  const auto absent = il2sim(base + "--censor CNSR --where PARAMCD=EFS");
  EXPECT_EQ(absent.code, 2);
  EXPECT_NE(absent.out.find("--where PARAMCD=EFS: no row has PARAMCD = 'EFS'"), std::string::npos)
      << absent.out;
  EXPECT_NE(absent.out.find("OS, PFS"), std::string::npos) << absent.out;
  const auto none = il2sim(base + "--censor CNSR --where PARAMCD=PFS --where CNSR=1");
  EXPECT_EQ(none.code, 2);
  EXPECT_NE(none.out.find("no row meets every condition"), std::string::npos) << none.out;
  const auto no_eq = il2sim(base + "--censor CNSR --where PARAMCD");
  EXPECT_EQ(no_eq.code, 2);
  EXPECT_NE(no_eq.out.find("not COL=VALUE"), std::string::npos) << no_eq.out;
  const auto both = il2sim(base + "--censor CNSR --event CNSR");
  EXPECT_EQ(both.code, 2);
  EXPECT_NE(both.out.find("both --event and --censor"), std::string::npos) << both.out;
  const auto neither = il2sim(base);
  EXPECT_EQ(neither.code, 2);
  EXPECT_NE(neither.out.find("no event column"), std::string::npos) << neither.out;
  const auto bad = write_temp("adam3.csv", "AVAL,CNSR\n5,0\n7,0.5\n");
  const auto flag = il2sim("survival km --data " + bad + " --time AVAL --censor CNSR");
  EXPECT_EQ(flag.code, 2);
  EXPECT_NE(flag.out.find(":3:2: CNSR: censoring flag '0.5' is not allowed"), std::string::npos)
      << flag.out;
}

}  // namespace
