#pragma once
/// @file views.hpp
/// The CSV views of interfaces.md (ADaM-like): ADSL, ADTTE, ADLB, ADAE, EX. One header per view and
/// the rows of one patient record; numbers are formatted the same way on every platform and thread
/// count.

#include <string>

#include "clinic/endpoints.hpp"
#include "clinic/record.hpp"
#include "dosing/regimen.hpp"

namespace il2sim::output {

/// Identifies the rows of one patient.
struct RowContext {
  std::string studyid;
  std::uint32_t replicate = 0;
  double origin = 0.0;  ///< time origin of ADTTE (transplant = 0, or randomization day)
  std::string product;  ///< EX: the product given
};

[[nodiscard]] std::string usubjid(const std::string& studyid, std::uint32_t patient);

[[nodiscard]] std::string adsl_header();
[[nodiscard]] std::string adtte_header();
[[nodiscard]] std::string adlb_header();
[[nodiscard]] std::string adae_header();
[[nodiscard]] std::string ex_header();

void append_adsl(std::string& out, const RowContext& c, const clinic::PatientRecord& r);
void append_adtte(std::string& out, const RowContext& c, const clinic::PatientRecord& r);
void append_adlb(std::string& out, const RowContext& c, const clinic::PatientRecord& r);
void append_adae(std::string& out, const RowContext& c, const clinic::PatientRecord& r);
void append_ex(std::string& out, const RowContext& c, const clinic::PatientRecord& r);

/// A number as CSV text: up to 8 significant digits, "NA" for a missing value (R's read.csv reads
/// it).
[[nodiscard]] std::string num(double v);
[[nodiscard]] std::string opt(const std::optional<double>& v);
/// A CSV field, quoted when it holds a comma, quote or newline.
[[nodiscard]] std::string field(std::string_view s);

}  // namespace il2sim::output
