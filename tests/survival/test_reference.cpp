// Fixture-driven agreement with R: every expected number comes from
// tools/reference/survival/make_fixtures.R (see reference.hpp), matched to 1e-6.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "reference.hpp"
#include "survival/cox.hpp"
#include "survival/cuminc.hpp"
#include "survival/km.hpp"
#include "survival/logrank.hpp"

namespace il2sim::survival::testing {
namespace {

struct KmCase {
  std::string name, file, time, event, group;
  ConfType conf_type;
  double conf_level, tau;
};

class KmReference : public ::testing::TestWithParam<KmCase> {};

TEST_P(KmReference, MatchesSurvfit) {
  const KmCase& c = GetParam();
  const Frame f(c.file, {c.time, c.event, c.group});
  KmOptions opt;
  opt.conf_type = c.conf_type;
  opt.conf_level = c.conf_level;
  opt.rmean_tau = c.tau;
  const auto curves = kaplan_meier(f.times(c.time), f.events(c.event), f.factor(c.group), opt);
  const auto& e = Expected::get();
  ASSERT_FALSE(curves.empty());
  for (const auto& k : curves) {
    SCOPED_TRACE(c.name + "/" + k.group);
    expect_all(k.time, e.at(c.name, k.group, "time"), "time");
    expect_all(k.n_risk, e.at(c.name, k.group, "n_risk"), "n_risk");
    expect_all(k.n_event, e.at(c.name, k.group, "n_event"), "n_event");
    expect_all(k.n_censor, e.at(c.name, k.group, "n_censor"), "n_censor");
    expect_all(k.surv, e.at(c.name, k.group, "surv"), "surv");
    expect_all(k.std_err, e.at(c.name, k.group, "std_err"), "std_err");
    expect_all(k.lower, e.at(c.name, k.group, "lower"), "lower");
    expect_all(k.upper, e.at(c.name, k.group, "upper"), "upper");
    EXPECT_TRUE(agrees(k.median, e.scalar(c.name, k.group, "median"))) << "median";
    EXPECT_TRUE(agrees(k.median_lower, e.scalar(c.name, k.group, "median_lower"))) << "LCL";
    EXPECT_TRUE(agrees(k.median_upper, e.scalar(c.name, k.group, "median_upper"))) << "UCL";
    EXPECT_TRUE(agrees(*k.rmean, e.scalar(c.name, k.group, "rmean"))) << "rmean";
    EXPECT_TRUE(agrees(*k.rmean_se, e.scalar(c.name, k.group, "rmean_se"))) << "rmean_se";
  }
}

// Arguments as in the km_case() calls of make_fixtures.R.
INSTANTIATE_TEST_SUITE_P(Survfit, KmReference,
                         ::testing::Values(KmCase{"km_aml", "aml.csv", "time", "status", "x",
                                                  ConfType::kLog, 0.95, 40},
                                           KmCase{"km_lung_sex_loglog", "lung.csv", "time",
                                                  "status", "sex", ConfType::kLogLog, 0.9, 500},
                                           KmCase{"km_ovarian_plain", "ovarian.csv", "futime",
                                                  "fustat", "", ConfType::kPlain, 0.95, 1000},
                                           KmCase{"km_veteran_celltype", "veteran.csv", "time",
                                                  "status", "celltype", ConfType::kLog, 0.95, 200},
                                           KmCase{"km_lung_ecog", "lung.csv", "time", "status",
                                                  "ph.ecog", ConfType::kLog, 0.95, 365}),
                         [](const auto& p) { return p.param.name; });

struct LogrankCase {
  std::string name, file, time, event, group, strata;
  double rho;
};

class LogrankReference : public ::testing::TestWithParam<LogrankCase> {};

TEST_P(LogrankReference, MatchesSurvdiff) {
  const LogrankCase& c = GetParam();
  const Frame f(c.file, {c.time, c.event, c.group, c.strata});
  const auto r =
      logrank(f.times(c.time), f.events(c.event), f.factor(c.group), f.factor(c.strata), c.rho);
  const auto& e = Expected::get();
  EXPECT_TRUE(agrees(r.chisq, e.scalar(c.name, "", "chisq"))) << "chisq";
  EXPECT_EQ(r.df, static_cast<int>(e.scalar(c.name, "", "df")));
  EXPECT_TRUE(agrees(r.p, e.scalar(c.name, "", "p"))) << "p";
  for (const auto& g : r.groups) {
    SCOPED_TRACE(g.group);
    EXPECT_EQ(g.n, static_cast<long>(e.scalar(c.name, g.group, "n")));
    EXPECT_TRUE(agrees(g.observed, e.scalar(c.name, g.group, "observed")));
    EXPECT_TRUE(agrees(g.expected, e.scalar(c.name, g.group, "expected")));
  }
}

// Arguments as in the lr_case() calls of make_fixtures.R.
INSTANTIATE_TEST_SUITE_P(
    Survdiff, LogrankReference,
    ::testing::Values(
        LogrankCase{"lr_aml", "aml.csv", "time", "status", "x", "", 0},
        LogrankCase{"lr_aml_rho1", "aml.csv", "time", "status", "x", "", 1},
        LogrankCase{"lr_veteran_celltype_strata", "veteran.csv", "time", "status", "celltype",
                    "prior", 0},
        LogrankCase{"lr_lung_ecog_strata_rho1", "lung.csv", "time", "status", "ph.ecog", "sex", 1},
        LogrankCase{"lr_ovarian_rx_rho05", "ovarian.csv", "futime", "fustat", "rx", "", 0.5}),
    [](const auto& p) { return p.param.name; });

struct CoxCase {
  std::string name, file, time, event;
  std::vector<std::string> covariates;
  std::string strata;
  Ties ties;
};

class CoxReference : public ::testing::TestWithParam<CoxCase> {};

TEST_P(CoxReference, MatchesCoxph) {
  const CoxCase& c = GetParam();
  std::vector<std::string> cols{c.time, c.event, c.strata};
  cols.insert(cols.end(), c.covariates.begin(), c.covariates.end());
  const Frame f(c.file, cols);
  std::vector<std::size_t> cov;
  for (const auto& name : c.covariates) cov.push_back(f.table.column(name));
  const Design d = build_design(f.table, cov, f.rows.rows);
  CoxOptions opt;
  opt.ties = c.ties;
  const auto r = cox_fit(f.times(c.time), f.events(c.event), d, f.factor(c.strata), opt);
  const auto& e = Expected::get();
  for (const auto& t : r.terms) {
    SCOPED_TRACE(t.term);
    EXPECT_TRUE(agrees(t.coef, e.scalar(c.name, t.term, "coef"))) << "coef";
    EXPECT_TRUE(agrees(t.se, e.scalar(c.name, t.term, "se"))) << "se";
    EXPECT_TRUE(agrees(t.z, e.scalar(c.name, t.term, "z"))) << "z";
    EXPECT_TRUE(agrees(t.p, e.scalar(c.name, t.term, "p"))) << "p";
    EXPECT_TRUE(agrees(t.hr, e.scalar(c.name, t.term, "hr"))) << "hr";
    EXPECT_TRUE(agrees(t.hr_lower, e.scalar(c.name, t.term, "hr_lower"))) << "hr_lower";
    EXPECT_TRUE(agrees(t.hr_upper, e.scalar(c.name, t.term, "hr_upper"))) << "hr_upper";
  }
  EXPECT_TRUE(agrees(r.loglik_null, e.scalar(c.name, "", "loglik", 0)));
  EXPECT_TRUE(agrees(r.loglik, e.scalar(c.name, "", "loglik", 1)));
  const std::vector<std::pair<const char*, const CoxTest*>> tests{
      {"lr", &r.lr}, {"wald", &r.wald}, {"score", &r.score}};
  for (const auto& [key, t] : tests) {
    EXPECT_TRUE(agrees(t->chisq, e.scalar(c.name, "", key, 0))) << key;
    EXPECT_EQ(t->df, static_cast<int>(e.scalar(c.name, "", key, 1))) << key;
    EXPECT_TRUE(agrees(t->p, e.scalar(c.name, "", key, 2))) << key;
  }
  EXPECT_EQ(r.n, static_cast<long>(e.scalar(c.name, "", "n")));
  EXPECT_EQ(r.n_event, static_cast<long>(e.scalar(c.name, "", "n_event")));
  EXPECT_EQ(static_cast<long>(f.rows.n_dropped),
            static_cast<long>(e.scalar(c.name, "", "n_dropped")));
  EXPECT_EQ(r.iterations, static_cast<int>(e.scalar(c.name, "", "iterations")));
  EXPECT_TRUE(r.converged);
  EXPECT_TRUE(r.warnings.empty());
}

// Arguments as in the cox_case() calls of make_fixtures.R.
INSTANTIATE_TEST_SUITE_P(
    Coxph, CoxReference,
    ::testing::Values(
        CoxCase{"cox_aml_efron", "aml.csv", "time", "status", {"x"}, "", Ties::kEfron},
        CoxCase{"cox_aml_breslow", "aml.csv", "time", "status", {"x"}, "", Ties::kBreslow},
        CoxCase{"cox_lung_efron",
                "lung.csv",
                "time",
                "status",
                {"age", "sex", "ph.ecog", "wt.loss"},
                "",
                Ties::kEfron},
        CoxCase{"cox_lung_breslow_strata",
                "lung.csv",
                "time",
                "status",
                {"age", "wt.loss"},
                "sex",
                Ties::kBreslow},
        CoxCase{"cox_veteran_efron",
                "veteran.csv",
                "time",
                "status",
                {"celltype", "karno", "diagtime", "age"},
                "",
                Ties::kEfron},
        CoxCase{"cox_veteran_breslow_strata",
                "veteran.csv",
                "time",
                "status",
                {"celltype", "karno"},
                "prior",
                Ties::kBreslow},
        CoxCase{"cox_ovarian_efron",
                "ovarian.csv",
                "futime",
                "fustat",
                {"age", "ecog.ps", "rx"},
                "",
                Ties::kEfron}),
    [](const auto& p) { return p.param.name; });

struct CumincCase {
  std::string name, group, strata;
  double rho;
};

class CumincReference : public ::testing::TestWithParam<CumincCase> {};

TEST_P(CumincReference, MatchesCmprsk) {
  const CumincCase& c = GetParam();
  const Frame f("competing.csv", {"time", "status", c.group, c.strata});
  const auto labels = read_labels(f.table, f.table.column("status"), f.rows.rows);
  std::vector<std::string> cause_labels;
  for (const auto& l : labels) {
    if (l != "0") cause_labels.push_back(l);
  }
  const Factor causes = make_factor(cause_labels);
  std::vector<int> status;
  for (std::size_t i = 0, k = 0; i < labels.size(); ++i) {
    status.push_back(labels[i] == "0" ? -1 : causes.codes[k++]);
  }
  const auto r = cuminc(f.times("time"), status, causes.levels, f.factor(c.group, "1"),
                        f.factor(c.strata), c.rho);
  const auto& e = Expected::get();
  ASSERT_EQ(r.curves.size(), c.group.empty() ? 2U : 6U);
  for (const auto& k : r.curves) {
    const std::string curve = k.group + " " + k.cause;  // cuminc's list names
    SCOPED_TRACE(curve);
    expect_all(k.time, e.at(c.name, curve, "time"), "time");
    expect_all(k.estimate, e.at(c.name, curve, "estimate"), "estimate");
    expect_all(k.variance, e.at(c.name, curve, "variance"), "variance");
  }
  ASSERT_EQ(r.tests.size(), c.group.empty() ? 0U : 2U);
  for (const auto& t : r.tests) {
    ASSERT_TRUE(t.stat.has_value());
    EXPECT_TRUE(agrees(*t.stat, e.scalar(c.name, t.cause, "stat"))) << t.cause;
    EXPECT_TRUE(agrees(*t.p, e.scalar(c.name, t.cause, "p"))) << t.cause;
    EXPECT_EQ(t.df, static_cast<int>(e.scalar(c.name, t.cause, "df")));
  }
}

// Arguments as in the ci_case() calls of make_fixtures.R.
INSTANTIATE_TEST_SUITE_P(Cuminc, CumincReference,
                         ::testing::Values(CumincCase{"ci_group", "group", "", 0},
                                           CumincCase{"ci_nogroup", "", "", 0},
                                           CumincCase{"ci_group_strata", "group", "stratum", 0},
                                           CumincCase{"ci_group_rho1", "group", "", 1}),
                         [](const auto& p) { return p.param.name; });

}  // namespace
}  // namespace il2sim::survival::testing
