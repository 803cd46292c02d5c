#pragma once
/// @file exposure.hpp
/// Exposure from the dose records actually given (EX rows; dose intensity and completion per phase
/// role), after the dose feed has been closed at the end of follow-up.

#include <span>

#include "clinic/record.hpp"
#include "dosing/regimen.hpp"
#include "sim/dose_feed.hpp"

namespace il2sim::clinic {

/// Fills record.exposure (one row per given record, in time order) and the induction and
/// maintenance intensity (IL-2 given / planned over all phases of the role) and completion (all of
/// the role's IL-2 given, none withheld by a hold).
void log_exposure(std::span<const sim::FedDose> doses, const dosing::Regimen& regimen,
                  PatientRecord& record);

}  // namespace il2sim::clinic
