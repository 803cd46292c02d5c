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
/// - Randomized stages also have a CONSORT-style flow of the example replicate's patients
///   (registered → not randomized by cause → randomized per arm → started / never started by cause
///   → analysed), Kaplan–Meier figures with their 95 % confidence bands and time in months (ticks
///   every 6 or 12 months), and hazard-ratio histograms on a log axis.
/// - Every operating characteristic in a table carries its Monte Carlo SE from the summary.
/// - Every figure's caption names its data file, figures/<id>.csv, written beside the page.
///
/// Every statistic comes from the survival layer or from the trial layer's results. The page
/// depends only on the scenario and seed: the same bytes for any thread or rank count and after
/// --resume (timings are only in manifest.json).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "output/run_data.hpp"

namespace il2sim::output {

/// The folder, beside report.html, of the data behind each figure.
inline constexpr std::string_view kFigureFolder = "figures";

/// The report page and the data of its figures.
struct ReportFiles {
  std::string html;
  /// (path relative to the page, "figures/<figure id>.csv"; CSV text), in page order: for a plot,
  /// report::figure_csv (series,kind,x,x_lower,x_upper,y,y_lower,y_upper); for the CONSORT flow,
  /// report::flow_csv (box,column,item,patients,mean_per_trial).
  std::vector<std::pair<std::string, std::string>> figures;
};

/// The report page of a finished run and its figures' data.
[[nodiscard]] ReportFiles render_report(const RunData& data);

/// Writes OUT/report.html and OUT/figures/<id>.csv (each atomically; CSV files of figures/ that
/// this report does not name are removed, so that the folder matches the page after --force).
void write_report(const std::string& out, const RunData& data);

}  // namespace il2sim::output
