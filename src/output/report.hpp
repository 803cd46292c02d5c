#pragma once
/// @file report.hpp
/// report.html of `il2sim run`: one self-contained page (inline SVG from report/svg_plot, no
/// scripts, no network) with one section per trial stage of the scenario, in order, and the run's
/// facts.
///
/// - Dose escalation: the escalation path of replicate 0 (dose level by patient, DLTs marked, the
///   selected MTD), the MTD selection probabilities over replicates and the per-level table of
///   summary.json.
/// - Single arm: design and responses, the Kaplan–Meier relapse-free survival of replicate 0's
///   treated patients from IL-2 start against the historical-control numbers of summary.json.
/// - Randomized: for replicate 0's randomized patients (full follow-up, time from randomization,
/// the
///   data of adtte.csv), Kaplan–Meier PFS and OS by arm with censor marks and numbers at risk, the
///   Cox hazard ratio with its 95 % CI and the log-rank p; cumulative incidence of relapse with
///   non-relapse mortality competing (Gray's test); blood NK, CD8 and platelets by arm (median and
///   5–95 % band across patients); IL-2 concentration of the treated; toxicity by CTC grade and
///   arm; completion of induction and maintenance; the group-sequential analyses of replicate 0;
///   over replicates: power, the HR distribution, events and duration, attrition by cause.
///
/// Every statistic comes from the survival layer or from the trial layer's results. The page
/// depends only on the scenario and seed: the same bytes for any thread or rank count and after
/// --resume (timings are only in manifest.json).

#include <string>

#include "output/run_data.hpp"

namespace il2sim::output {

/// The report page of a finished run.
[[nodiscard]] std::string render_report(const RunData& data);

/// Writes render_report(data) to `path` atomically.
void write_report(const std::string& path, const RunData& data);

}  // namespace il2sim::output
