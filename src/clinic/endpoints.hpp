#pragma once
/// @file endpoints.hpp
/// Time-to-event endpoints of one patient record, from a chosen time origin (transplant for a
/// cohort, randomization for a randomized trial): the rows of ADTTE; and the table of analysis
/// parameter codes (PARAMCD of ADTTE and ADLB) with their labels and units.

#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "clinic/record.hpp"

namespace il2sim::clinic {

/// One analysis parameter: a PARAMCD of ADTTE (endpoint) or ADLB (lab or assay) with its label
/// (PARAM) and the unit of its values (AVALU; `1`, UCUM's unit one, for a 0/1 result).
struct ParameterCode {
  std::string_view paramcd;
  std::string_view param;
  std::string_view unit;
};

/// Every PARAMCD the clinic records: the endpoints of endpoints() first, then the labs and assays
/// of LabValue. The one home of the labels and units (views, SQLite tables and docs read it).
[[nodiscard]] std::span<const ParameterCode> parameter_codes();
/// The entry of `paramcd`; nullptr if the clinic records no such parameter.
[[nodiscard]] const ParameterCode* find_parameter_code(std::string_view paramcd);

struct Endpoint {
  std::string paramcd;  ///< PFS, OS, RELAPSE, NRM, DLT
  double aval = 0.0;    ///< days from the origin
  int cnsr = 1;         ///< 0 = event, 1 = censored (CDISC ADTTE convention)
  std::string evntdesc;
};

/// PFS (observed relapse or death), OS (death), RELAPSE (observed relapse; death censors), NRM
/// (death without relapse; relapse censors) from `origin`; DLT (from IL-2 start, treated patients
/// only, censored at the end of induction + the platelet DLT window).
[[nodiscard]] std::vector<Endpoint> endpoints(const PatientRecord& r, double origin);

/// Where a randomized patient stands on a trial stage's calendar (months since the stage opened,
/// i.e. since its first possible registration): what a data cut of an analysis needs.
struct TrialCalendar {
  double registration_month = 0.0;
  double randomization_month = 0.0;
  double dropout_month = std::numeric_limits<double>::infinity();  ///< lost to follow-up
  bool analysed = false;  ///< in the stage's analysis population (itt or treated)
  /// Calendar month of each analysis the stage performed (its data cuts), in order.
  std::vector<double> cut_months{};

  /// Whether the patient's data enter an analysis with its data cut at calendar month `cut`.
  [[nodiscard]] bool in_cut(double cut) const;
  /// Follow-up at a data cut at calendar month `cut`: days from randomization to the cut, or to
  /// the loss to follow-up if earlier.
  [[nodiscard]] double follow_up_days(double cut) const;
  /// Endpoint `e` (from randomization) as observed at the data cut at calendar month `cut`:
  /// unchanged when it happened (or was censored) within the follow-up, otherwise censored at the
  /// follow-up ("data cut", or "lost to follow-up" when the patient was lost before the cut).
  [[nodiscard]] Endpoint at_cut(Endpoint e, double cut) const;
};

/// One endpoint as an analysis takes it: time from the origin (days) and 1 for an event.
struct TimeToEvent {
  double time = 0.0;
  int event = 0;
};

/// The survival endpoints of endpoints() (PFS, OS, RELAPSE, NRM) by name.
struct SurvivalEndpoints {
  TimeToEvent pfs;
  TimeToEvent os;
  TimeToEvent relapse;
  TimeToEvent nrm;
};
[[nodiscard]] SurvivalEndpoints survival_endpoints(const PatientRecord& r, double origin);

}  // namespace il2sim::clinic
