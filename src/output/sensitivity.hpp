#pragma once
/// @file sensitivity.hpp
/// The outputs of `il2sim sensitivity` (docs/sensitivity.md): the indices as one tidy table
/// (sensitivity.csv, the `sensitivity` table of sensitivity.sqlite, `--json`), every evaluated
/// point with its parameter values and outputs (points.csv, table `points`), the run facts (table
/// `runs`) and sensitivity.html (a bar chart of mu* sorted from the largest — a tornado — for
/// Morris; bars of S1 and ST with their 95 % interval whiskers for Sobol, per output).

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace il2sim::output {

/// One parameter of the space: its range and whether it is sampled log-uniform.
struct SensitivityParameter {
  std::string name;
  double lower = 0.0;
  double upper = 0.0;
  bool log_scale = false;
  std::string origin;  ///< where the range comes from ("--range", "default x/÷ 2, clipped", ...)
};

/// One row of the tidy table. NaN is missing (CSV empty, SQL NULL, JSON null).
struct SensitivityIndex {
  std::string output;
  std::string parameter;  ///< empty for the output's own rows (Sobol `mean`, `V`)
  std::string index;      ///< S1, ST, mu, mu_star, sigma, mean, V
  double estimate = 0.0;
  double lower = 0.0;
  double upper = 0.0;
};

/// What each output's estimate rests on.
struct SensitivityOutputFacts {
  std::string output;       ///< as named in the table (STAGE.OUTPUT when the scenario has several)
  std::size_t used = 0;     ///< rows (Sobol) or trajectories (Morris) estimated from
  std::size_t dropped = 0;  ///< with an undefined value at some point
};

struct SensitivityTable {
  std::string method;  ///< "morris" or "sobol"
  std::string version, scenario;
  std::uint64_t seed = 0;
  long replicates = 0;
  long samples = 0;  ///< N (Sobol) or r (Morris)
  int levels = 0;    ///< Morris only (0 for Sobol)
  std::vector<std::string> sets;
  std::vector<SensitivityParameter> parameters;
  std::vector<SensitivityOutputFacts> outputs;
  /// Per evaluated point: its block (Sobol row, Morris trajectory), its role in the block (A, B,
  /// AB:NAME; start, step:NAME), the parameter values and the output values.
  struct Point {
    std::size_t block = 0;
    std::string role;
    std::vector<double> values;
    std::vector<double> outputs;
  };
  std::vector<Point> points;
  std::vector<SensitivityIndex> indices;
};

/// sensitivity.csv: `method,output,parameter,index,estimate,ci_lower,ci_upper`.
[[nodiscard]] std::string sensitivity_csv(const SensitivityTable& t);
/// points.csv: `point,block,role,` the parameter names, then the output names.
[[nodiscard]] std::string sensitivity_points_csv(const SensitivityTable& t);
/// `{"method":..,"evaluations":n,"outputs":{OUTPUT:{"used":n,"dropped":n,"indices":{PARAMETER:
/// {INDEX:{"estimate":x,"ci_lower":x,"ci_upper":x}}}}}}` (Sobol's mean and V under parameter "").
[[nodiscard]] nlohmann::json sensitivity_json(const SensitivityTable& t);
/// sensitivity.sqlite (tables `sensitivity`, `points`, `outputs`, `runs`), built in
/// `<path>.partial` in one transaction and renamed into place. @throws UserError.
void write_sensitivity_db(const std::string& path, const SensitivityTable& t);
/// sensitivity.html: self-contained.
[[nodiscard]] std::string sensitivity_html(const SensitivityTable& t);

}  // namespace il2sim::output
