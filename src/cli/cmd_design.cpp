// `il2sim design simon|boin|gsd|three-plus-three|crm|schoenfeld`: trial-design calculators
// (design/). Flags are checked here, at the edge, with design/checks.hpp; doses are 1-based in
// output.
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/app.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "design/boin.hpp"
#include "design/checks.hpp"
#include "design/crm.hpp"
#include "design/group_sequential.hpp"
#include "design/schoenfeld.hpp"
#include "design/simon.hpp"
#include "design/three_plus_three.hpp"

namespace il2sim::cli {
namespace {

using Json = nlohmann::json;

[[noreturn]] void flag_error(const std::string& flag, std::string problem, std::string allowed) {
  InputLocation where;
  where.key = flag;
  throw UserError(std::move(where), std::move(problem), std::move(allowed));
}

void print_json(const Json& doc) {
  std::puts(doc.dump(2).c_str());
}

Json optional_number(const std::optional<double>& v) {
  return v ? Json(*v) : Json(nullptr);
}

std::string optional_text(const std::optional<double>& v, const char* spec = "{:.4f}") {
  return v ? fmt::format(fmt::runtime(spec), *v) : std::string("-");
}

// ---- simon
// ----------------------------------------------------------------------------------------

struct SimonOptions {
  double p0 = 0.0, p1 = 0.0, alpha = 0.05, beta = 0.2;
  int n_max = 100;
  bool json = false;
};

Json simon_json(const design::SimonDesign& d) {
  return {{"r1", d.r1},       {"n1", d.n1},         {"r", d.r},         {"n", d.n},
          {"en_p0", d.en_p0}, {"pet_p0", d.pet_p0}, {"alpha", d.alpha}, {"power", d.power}};
}

void run_simon(const SimonOptions& o) {
  design::check_open_unit("--p0", o.p0);
  design::check_open_unit("--p1", o.p1);
  if (!(o.p0 < o.p1)) {
    flag_error("--p1",
               fmt::format("value {} is not above --p0 {}", core::format_double(o.p1),
                           core::format_double(o.p0)),
               "p0 < p1 (p1 is the response rate worth pursuing)");
  }
  design::check_open_unit("--alpha", o.alpha);
  design::check_open_unit("--beta", o.beta);
  design::check_int_range("--nmax", o.n_max, 2, 500);
  const auto result = design::simon_designs(o.p0, o.p1, o.alpha, o.beta, o.n_max);
  if (!result) {
    flag_error("--nmax",
               fmt::format("no two-stage design with n <= {} meets alpha {} and beta {}", o.n_max,
                           core::format_double(o.alpha), core::format_double(o.beta)),
               "a larger --nmax (at most 500)");
  }
  if (o.json) {
    print_json({{"p0", o.p0},
                {"p1", o.p1},
                {"alpha", o.alpha},
                {"beta", o.beta},
                {"optimal", simon_json(result->optimal)},
                {"minimax", simon_json(result->minimax)}});
    return;
  }
  std::string out = fmt::format(
      "Simon two-stage designs: p0 = {:g}, p1 = {:g}, alpha = {:g}, beta = {:g}\n"
      "stop after stage 1 if responses <= r1 of n1; promising if > r of n\n\n",
      o.p0, o.p1, o.alpha, o.beta);
  out += fmt::format("{:<8} {:>4} {:>4} {:>4} {:>4} {:>8} {:>8} {:>8} {:>8}\n", "design", "r1",
                     "n1", "r", "n", "EN(p0)", "PET(p0)", "alpha", "power");
  for (const auto& [name, d] :
       {std::pair{"optimal", result->optimal}, std::pair{"minimax", result->minimax}}) {
    out += fmt::format("{:<8} {:>4} {:>4} {:>4} {:>4} {:>8.2f} {:>8.3f} {:>8.4f} {:>8.4f}\n", name,
                       d.r1, d.n1, d.r, d.n, d.en_p0, d.pet_p0, d.alpha, d.power);
  }
  std::fputs(out.c_str(), stdout);
}

// ---- boin
// -----------------------------------------------------------------------------------------

struct BoinOptions {
  double target = 0.0;
  std::optional<double> phi1, phi2;
  double cutoff = 0.95;
  int cohort_size = 3;
  int max_n = 30;
  bool json = false;
};

void run_boin(const BoinOptions& o) {
  design::check_open_unit("--target", o.target);
  design::BoinSettings s = design::BoinSettings::for_target(o.target);
  if (o.phi1) s.phi1 = *o.phi1;
  if (o.phi2) s.phi2 = *o.phi2;
  design::check_between("--phi1", s.phi1, 0.0, o.target);
  design::check_between("--phi2", s.phi2, o.target, 1.0);
  design::check_open_unit("--cutoff-eli", o.cutoff);
  design::check_int_range("--max-n", o.max_n, 1, 1000);
  design::check_int_range("--cohort-size", o.cohort_size, 1, o.max_n);
  s.cutoff_eli = o.cutoff;
  s.cohort_size = o.cohort_size;
  s.max_n = o.max_n;
  const design::BoinLambdas l = design::boin_lambdas(s.target, s.phi1, s.phi2);
  const auto rows = design::boin_boundaries(s, o.max_n);
  if (o.json) {
    Json elimination = Json::array(), boundaries = Json::array();
    for (const auto& r : rows) {
      if (r.eliminate_if_dlt_at_least) {
        elimination.push_back(
            {{"n", r.n}, {"eliminate_if_dlt_at_least", *r.eliminate_if_dlt_at_least}});
      }
      boundaries.push_back(
          {{"n", r.n},
           {"escalate_if_dlt_at_most", r.escalate_if_dlt_at_most},
           {"deescalate_if_dlt_at_least", r.deescalate_if_dlt_at_least},
           {"eliminate_if_dlt_at_least",
            r.eliminate_if_dlt_at_least ? Json(*r.eliminate_if_dlt_at_least) : Json(nullptr)}});
    }
    print_json({{"target", s.target},
                {"phi1", s.phi1},
                {"phi2", s.phi2},
                {"cutoff_eli", s.cutoff_eli},
                {"cohort_size", s.cohort_size},
                {"max_n", s.max_n},
                {"lambda_e", l.lambda_e},
                {"lambda_d", l.lambda_d},
                {"elimination", elimination},
                {"boundaries", boundaries}});
    return;
  }
  std::string out = fmt::format(
      "BOIN (Liu & Yuan 2015): target {:g}, phi1 {:g}, phi2 {:g}\n"
      "lambda_e = {:.4f} (escalate if DLT rate <= lambda_e), lambda_d = {:.4f} (de-escalate if >= "
      "lambda_d)\nelimination: P(p > target | data) > {:g} with a Beta(1,1) prior and n >= 3\n\n",
      s.target, s.phi1, s.phi2, l.lambda_e, l.lambda_d, s.cutoff_eli);
  out += fmt::format("{:>4} {:>16} {:>19} {:>17}\n", "n",
                     "escalate if y <=", "de-escalate if y >=", "eliminate if y >=");
  for (const auto& r : rows) {
    if (r.n % o.cohort_size != 0) continue;
    out += fmt::format(
        "{:>4} {:>16} {:>19} {:>17}\n", r.n, r.escalate_if_dlt_at_most,
        r.deescalate_if_dlt_at_least,
        r.eliminate_if_dlt_at_least ? std::to_string(*r.eliminate_if_dlt_at_least) : "-");
  }
  std::fputs(out.c_str(), stdout);
}

// ---- gsd
// ------------------------------------------------------------------------------------------

struct GsdOptions {
  int looks = 1;
  double alpha = 0.025;
  std::optional<double> beta;
  std::string spending = "obf";
  std::vector<double> info;
  std::optional<std::string> futility;
  bool json = false;
};

design::Spending spending_flag(const std::string& flag, const std::string& value) {
  const auto s = design::parse_spending(value);
  if (!s)
    flag_error(flag, fmt::format("unknown spending function '{}'", value), "obf, pocock, none");
  return *s;
}

void run_gsd(const GsdOptions& o) {
  design::check_int_range("--looks", o.looks, 1, 20);
  design::check_between("--alpha", o.alpha, 0.0, 0.5);
  design::GsdSettings s;
  s.alpha = o.alpha;
  s.spending = spending_flag("--spending", o.spending);
  if (o.info.empty()) {
    for (int k = 1; k <= o.looks; ++k) s.info.push_back(static_cast<double>(k) / o.looks);
    s.info.back() = 1.0;
  } else {
    if (static_cast<int>(o.info.size()) != o.looks) {
      flag_error("--info",
                 fmt::format("{} information fractions for --looks {}", o.info.size(), o.looks),
                 "exactly one fraction per look");
    }
    design::check_information_fractions("--info", o.info);
    s.info = o.info;
  }
  if (o.beta) {
    design::check_between("--beta", *o.beta, 0.0, 1.0 - o.alpha);
    s.beta = o.beta;
  }
  if (o.futility) {
    if (!o.beta)
      flag_error("--futility-spending", "a futility bound needs the type II error", "add --beta B");
    const design::Spending f = spending_flag("--futility-spending", *o.futility);
    if (f == design::Spending::kNone) {
      flag_error("--futility-spending", "value 'none' spends no beta",
                 "obf, pocock (or omit the flag)");
    }
    s.futility_spending = f;
  }
  const design::GsdResult r = design::group_sequential_design(s);
  if (o.json) {
    Json looks = Json::array();
    for (const auto& look : r.looks) {
      Json j = {{"info", look.info},
                {"efficacy_z", optional_number(look.efficacy_z)},
                {"cumulative_alpha", look.cumulative_alpha},
                {"futility_z", optional_number(look.futility_z)}};
      if (s.beta) j["cumulative_power"] = look.cumulative_power;
      if (s.futility_spending) j["cumulative_beta"] = look.cumulative_beta;
      looks.push_back(j);
    }
    Json doc = {{"alpha", s.alpha},
                {"sided", 1},
                {"spending", design::spending_name(s.spending)},
                {"looks", looks}};
    if (s.beta) {
      doc["beta"] = *s.beta;
      doc["drift"] = *r.drift;
      doc["inflation_factor"] = *r.inflation_factor;
    }
    if (s.futility_spending) {
      doc["futility_spending"] = design::spending_name(*s.futility_spending);
      doc["futility_binding"] = false;
    }
    print_json(doc);
    return;
  }
  std::string out = fmt::format(
      "Group-sequential design: one-sided alpha {:g}, {} looks, alpha spending {}{}\n", s.alpha,
      s.info.size(), design::spending_name(s.spending),
      s.futility_spending ? fmt::format(", non-binding futility by {} beta spending (beta {:g})",
                                        design::spending_name(*s.futility_spending), *s.beta)
                          : std::string());
  out += "reject H0 at the first look with Z >= efficacy z; '-' = no bound at that look\n\n";
  out +=
      fmt::format("{:>4} {:>8} {:>11} {:>12} {:>11}{}\n", "look", "info", "efficacy z",
                  "cum. alpha", "futility z", s.beta ? fmt::format(" {:>10}", "cum. power") : "");
  for (std::size_t k = 0; k < r.looks.size(); ++k) {
    const auto& look = r.looks[k];
    out += fmt::format("{:>4} {:>8.4f} {:>11} {:>12.6f} {:>11}{}\n", k + 1, look.info,
                       optional_text(look.efficacy_z), look.cumulative_alpha,
                       optional_text(look.futility_z),
                       s.beta ? fmt::format(" {:>10.4f}", look.cumulative_power) : "");
  }
  if (r.drift) {
    out += fmt::format(
        "\ndrift at full information {:.4f}; inflation factor {:.4f} (vs the fixed design)\n",
        *r.drift, *r.inflation_factor);
  }
  std::fputs(out.c_str(), stdout);
}

// ---- three-plus-three
// -----------------------------------------------------------------------------

struct ThreePlusThreeOptions {
  std::vector<double> p;
  bool json = false;
};

void run_three_plus_three(const ThreePlusThreeOptions& o) {
  design::check_dose_toxicity("--p", o.p);
  if (o.p.size() > 100)
    flag_error("--p", fmt::format("{} doses given", o.p.size()), "at most 100 doses");
  const design::ThreePlusThreeOc oc = design::three_plus_three_oc(o.p);
  if (o.json) {
    Json doses = Json::array();
    for (std::size_t i = 0; i < o.p.size(); ++i) {
      doses.push_back({{"dose", i + 1},
                       {"p_dlt", o.p[i]},
                       {"p_select_as_mtd", oc.p_select[i]},
                       {"expected_patients", oc.expected_patients[i]},
                       {"expected_dlts", oc.expected_dlts[i]}});
    }
    print_json({{"variant",
                 "3+3 with de-escalation; MTD = highest dose with <= 1/6 DLT below the "
                 "lowest too-toxic dose"},
                {"doses", doses},
                {"p_select_none", oc.p_select_none},
                {"expected_total", oc.expected_total}});
    return;
  }
  std::string out = "3+3 design with de-escalation: exact operating characteristics\n\n" +
                    fmt::format("{:>4} {:>8} {:>10} {:>12} {:>10}\n", "dose", "p(DLT)", "P(MTD)",
                                "E[patients]", "E[DLTs]");
  for (std::size_t i = 0; i < o.p.size(); ++i) {
    out += fmt::format("{:>4} {:>8.3f} {:>10.4f} {:>12.3f} {:>10.3f}\n", i + 1, o.p[i],
                       oc.p_select[i], oc.expected_patients[i], oc.expected_dlts[i]);
  }
  out += fmt::format("\nP(no dose selected) = {:.4f}; expected patients = {:.3f}\n",
                     oc.p_select_none, oc.expected_total);
  std::fputs(out.c_str(), stdout);
}

// ---- crm
// ------------------------------------------------------------------------------------------

struct CrmOptions {
  std::vector<double> skeleton;
  double target = 0.25;
  double prior_variance = 1.34;
  std::vector<int> patients, dlts;
  std::string estimate = "mean";
  bool allow_skipping = false;
  bool json = false;
};

void run_crm(const CrmOptions& o) {
  design::check_skeleton("--skeleton", o.skeleton);
  design::check_open_unit("--target", o.target);
  design::check_between("--prior-variance", o.prior_variance, 0.0, 100.0);
  const std::size_t k = o.skeleton.size();
  std::vector<int> n = o.patients.empty() ? std::vector<int>(k, 0) : o.patients;
  std::vector<int> y = o.dlts.empty() ? std::vector<int>(k, 0) : o.dlts;
  if (n.size() != k)
    flag_error("--patients", fmt::format("{} values for {} doses", n.size(), k),
               "one count per dose");
  if (y.size() != k)
    flag_error("--dlts", fmt::format("{} values for {} doses", y.size(), k), "one count per dose");
  for (std::size_t i = 0; i < k; ++i) {
    if (n[i] < 0)
      flag_error("--patients", fmt::format("value {} at dose {}", n[i], i + 1), "counts >= 0");
    if (y[i] < 0 || y[i] > n[i]) {
      flag_error("--dlts", fmt::format("value {} at dose {} with {} patients", y[i], i + 1, n[i]),
                 "0 <= DLTs <= patients at each dose");
    }
  }
  design::CrmSettings s;
  s.skeleton = o.skeleton;
  s.target = o.target;
  s.prior_variance = o.prior_variance;
  s.no_skipping = !o.allow_skipping;
  if (o.estimate == "mean") {
    s.estimate = design::CrmEstimate::kPosteriorMeanProbability;
  } else if (o.estimate == "plug-in") {
    s.estimate = design::CrmEstimate::kPlugIn;
  } else {
    flag_error("--estimate", fmt::format("unknown estimate '{}'", o.estimate), "mean, plug-in");
  }
  const design::CrmPosterior post = design::crm_posterior(s, n, y);
  if (o.json) {
    Json doses = Json::array();
    for (std::size_t i = 0; i < k; ++i) {
      doses.push_back({{"dose", i + 1},
                       {"skeleton", s.skeleton[i]},
                       {"patients", n[i]},
                       {"dlts", y[i]},
                       {"p_posterior_mean", post.p_mean[i]},
                       {"p_plug_in", post.p_plug_in[i]}});
    }
    print_json({{"target", s.target},
                {"prior_variance", s.prior_variance},
                {"a_posterior_mean", post.a_mean},
                {"a_posterior_sd", post.a_sd},
                {"estimate", o.estimate},
                {"no_skipping", s.no_skipping},
                {"doses", doses},
                {"recommended_dose", post.recommended + 1}});
    return;
  }
  std::string out = fmt::format(
      "CRM, power model p = skeleton^exp(a), a ~ N(0, {:g}); target {:g}\nE[a | data] = {:.4f} (SD "
      "{:.4f})\n\n",
      s.prior_variance, s.target, post.a_mean, post.a_sd);
  out += fmt::format("{:>4} {:>9} {:>4} {:>4} {:>10} {:>10}\n", "dose", "skeleton", "n", "dlt",
                     "E[p|data]", "plug-in p");
  for (std::size_t i = 0; i < k; ++i) {
    out += fmt::format("{:>4} {:>9.3f} {:>4} {:>4} {:>10.4f} {:>10.4f}\n", i + 1, s.skeleton[i],
                       n[i], y[i], post.p_mean[i], post.p_plug_in[i]);
  }
  out += fmt::format("\nrecommended dose: {}\n", post.recommended + 1);
  std::fputs(out.c_str(), stdout);
}

// ---- schoenfeld
// -----------------------------------------------------------------------------------

struct SchoenfeldOptions {
  double hr = 0.0;
  double alpha = 0.05;
  int sides = 2;
  double ratio = 1.0;
  std::optional<double> power;
  std::optional<double> events;
  bool json = false;
};

void run_schoenfeld(const SchoenfeldOptions& o) {
  design::check_between("--hr", o.hr, 0.0, 1e6);
  if (o.hr == 1.0)
    flag_error("--hr", "value 1 has no effect to detect", "a hazard ratio > 0 other than 1");
  design::check_open_unit("--alpha", o.alpha);
  design::check_int_range("--sides", o.sides, 1, 2);
  design::check_between("--ratio", o.ratio, 0.0, 1e6);
  if (o.power.has_value() == o.events.has_value()) {
    flag_error("--power", "give exactly one of --power (to get events) and --events (to get power)",
               "--power P or --events D");
  }
  const design::SchoenfeldSettings s{o.hr, o.alpha, o.sides, o.ratio};
  Json doc = {{"hr", o.hr}, {"alpha", o.alpha}, {"sides", o.sides}, {"ratio", o.ratio}};
  std::string text;
  if (o.power) {
    design::check_open_unit("--power", *o.power);
    const double d = design::schoenfeld_events(s, *o.power);
    doc["power"] = *o.power;
    doc["events_exact"] = d;
    doc["events"] = std::ceil(d - 1e-9);
    text =
        fmt::format("events needed: {:.0f} ({:.2f} before rounding up)\n", std::ceil(d - 1e-9), d);
  } else {
    design::check_between("--events", *o.events, 0.0, 1e9);
    const double p = design::schoenfeld_power(s, *o.events);
    doc["events"] = *o.events;
    doc["power"] = p;
    text = fmt::format("power with {:g} events: {:.4f}\n", *o.events, p);
  }
  if (o.json) {
    print_json(doc);
    return;
  }
  std::fputs(fmt::format("Schoenfeld log-rank: HR {:g}, {}-sided alpha {:g}, allocation {:g}:1\n",
                         o.hr, o.sides, o.alpha, o.ratio)
                 .c_str(),
             stdout);
  std::fputs(text.c_str(), stdout);
}

}  // namespace

void register_design(CLI::App& app) {
  auto* design_cmd = app.add_subcommand(
      "design", "Trial-design calculators (Simon, BOIN, group-sequential, 3+3, CRM, Schoenfeld)");
  design_cmd->require_subcommand(1);

  {
    auto o = std::make_shared<SimonOptions>();
    auto* c = design_cmd->add_subcommand(
        "simon", "Simon (1989) optimal and minimax two-stage phase II designs");
    c->add_option("--p0", o->p0, "Uninteresting response rate (H0)")->required();
    c->add_option("--p1", o->p1, "Response rate worth pursuing (H1), > p0")->required();
    c->add_option("--alpha", o->alpha, "Maximum type I error")->capture_default_str();
    c->add_option("--beta", o->beta, "Maximum type II error")->capture_default_str();
    c->add_option("--nmax", o->n_max,
                  "Largest total sample size searched (<= 500; run time grows as nmax^4)")
        ->capture_default_str();
    c->add_flag("--json", o->json, "One JSON document on stdout");
    c->callback([o] { run_simon(*o); });
  }
  {
    auto o = std::make_shared<BoinOptions>();
    auto* c = design_cmd->add_subcommand("boin",
                                         "BOIN (Liu & Yuan 2015) boundaries and elimination table");
    c->add_option("--target", o->target, "Target DLT probability")->required();
    c->add_option("--phi1", o->phi1,
                  "Highest sub-therapeutic DLT probability (default 0.6 target)");
    c->add_option("--phi2", o->phi2, "Lowest overly toxic DLT probability (default 1.4 target)");
    c->add_option("--cohort-size", o->cohort_size, "Patients per cohort")->capture_default_str();
    c->add_option("--max-n", o->max_n, "Maximum sample size (table rows n = 1..max-n)")
        ->capture_default_str();
    c->add_option("--cutoff-eli", o->cutoff, "Elimination cut-off on P(p > target | data)")
        ->capture_default_str();
    c->add_flag("--json", o->json, "One JSON document on stdout");
    c->callback([o] { run_boin(*o); });
  }
  {
    auto o = std::make_shared<GsdOptions>();
    auto* c = design_cmd->add_subcommand(
        "gsd", "Lan-DeMets group-sequential boundaries (one-sided), optional non-binding futility");
    c->add_option("--looks", o->looks, "Number of analyses K (1..20)")->required();
    c->add_option("--alpha", o->alpha, "One-sided type I error")->required();
    c->add_option("--beta", o->beta, "Type II error (drift, power; needed for futility)");
    c->add_option("--spending", o->spending, "Alpha spending: obf, pocock or none")
        ->capture_default_str();
    c->add_option("--info", o->info,
                  "Information fractions t1,...,tK (increasing, tK = 1; default equal)")
        ->delimiter(',');
    c->add_option("--futility-spending", o->futility,
                  "Beta spending of a non-binding futility bound: obf or pocock");
    c->add_flag("--json", o->json, "One JSON document on stdout");
    c->callback([o] { run_gsd(*o); });
  }
  {
    auto o = std::make_shared<ThreePlusThreeOptions>();
    auto* c = design_cmd->add_subcommand("three-plus-three",
                                         "Exact operating characteristics of the 3+3 design");
    c->add_option("--p", o->p, "True DLT probability per dose, P1,P2,... (increasing doses)")
        ->required()
        ->delimiter(',');
    c->add_flag("--json", o->json, "One JSON document on stdout");
    c->callback([o] { run_three_plus_three(*o); });
  }
  {
    auto o = std::make_shared<CrmOptions>();
    auto* c =
        design_cmd->add_subcommand("crm", "CRM (power model) posterior and dose recommendation");
    c->add_option("--skeleton", o->skeleton, "Prior DLT probabilities per dose, increasing")
        ->required()
        ->delimiter(',');
    c->add_option("--target", o->target, "Target DLT probability")->required();
    c->add_option("--prior-variance", o->prior_variance, "Variance of the N(0, s2) prior on a")
        ->capture_default_str();
    c->add_option("--patients", o->patients, "Patients treated per dose so far (default none)")
        ->delimiter(',');
    c->add_option("--dlts", o->dlts, "DLTs observed per dose so far (default none)")
        ->delimiter(',');
    c->add_option("--estimate", o->estimate,
                  "Recommendation basis: mean (E[p|data]) or plug-in (dfcrm)")
        ->capture_default_str();
    c->add_flag("--allow-skipping", o->allow_skipping,
                "Allow recommending more than one level above the highest tried dose");
    c->add_flag("--json", o->json, "One JSON document on stdout");
    c->callback([o] { run_crm(*o); });
  }
  {
    auto o = std::make_shared<SchoenfeldOptions>();
    auto* c = design_cmd->add_subcommand(
        "schoenfeld", "Log-rank events for a hazard ratio (Schoenfeld 1983), or power");
    c->add_option("--hr", o->hr, "Hazard ratio experimental : control")->required();
    c->add_option("--alpha", o->alpha, "Type I error")->capture_default_str();
    c->add_option("--sides", o->sides, "1 or 2: alpha is one- or two-sided")->capture_default_str();
    c->add_option("--ratio", o->ratio, "Allocation ratio experimental : control")
        ->capture_default_str();
    c->add_option("--power", o->power, "Power wanted: prints the events needed");
    c->add_option("--events", o->events, "Events available: prints the power");
    c->add_flag("--json", o->json, "One JSON document on stdout");
    c->callback([o] { run_schoenfeld(*o); });
  }
}

}  // namespace il2sim::cli
