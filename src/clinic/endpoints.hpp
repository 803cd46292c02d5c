#pragma once
/// @file endpoints.hpp
/// Time-to-event endpoints of one patient record, from a chosen time origin (transplant for a
/// cohort, randomization for a randomized trial): the rows of ADTTE.

#include <string>
#include <vector>

#include "clinic/record.hpp"

namespace il2sim::clinic {

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

}  // namespace il2sim::clinic
