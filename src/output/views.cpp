#include "output/views.hpp"

#include <cmath>

#include <fmt/format.h>

namespace il2sim::output {

std::string num(double v) {
  if (!std::isfinite(v)) return "NA";
  return fmt::format("{:.8g}", v);
}

std::string opt(const std::optional<double>& v) { return v ? num(*v) : "NA"; }

std::string field(std::string_view s) {
  if (s.find_first_of(",\"\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (const char ch : s) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

std::string usubjid(const std::string& studyid, std::uint32_t patient) {
  return fmt::format("{}-{:06d}", studyid, patient);
}

std::string adsl_header() {
  return "STUDYID,REPLICATE,USUBJID,ARM,AGE,SEX,HEIGHT,WEIGHT,BSA,DISEASE,TRANSPLANT,L0,ELIGDY,LANDMDY,TRTSDY,TREATED,"
         "NOTTRTRS,COMPLIND,COMPLMNT,INDINT,MNTINT,INPTDAYS,OUTPTDAYS,HOLDS,STOPRS,STOPDY,TRTEDY,DLT,DLTDY,RELTRDY,RELDY,CUREDY,"
         "DTHDY,DTHCAUS,AGVHDDY,CGVHDDY,FUENDDY,NUMFAIL\n";
}

std::string adtte_header() { return "USUBJID,REPLICATE,ARM,PARAMCD,AVAL,AVALU,CNSR,EVNTDESC\n"; }
std::string adlb_header() { return "USUBJID,REPLICATE,ARM,PARAMCD,AVAL,ADY,VISIT,ETRATIO\n"; }
std::string adae_header() { return "USUBJID,REPLICATE,ARM,AETERM,AETOXGR,ASTDY,AENDY,ONGOING,GR4DUR\n"; }
std::string ex_header() {
  return "USUBJID,REPLICATE,ARM,EXTRT,EXPHASE,EXSTDY,EXENDY,EXRATE,EXDOSE,EXDOSU,DOSEFRAC,EXENDRS\n";
}

void append_adsl(std::string& out, const RowContext& c, const clinic::PatientRecord& r) {
  const auto& cov = r.covariates;
  out += fmt::format(
      "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
      field(c.studyid), c.replicate, usubjid(c.studyid, r.id), field(r.arm), num(cov.age_years),
      model::to_string(cov.sex), num(cov.height_cm), num(cov.weight_kg), num(cov.bsa_m2), model::to_string(r.disease),
      model::to_string(r.transplant), num(r.L0), opt(r.eligible_day), opt(r.landmark_day), opt(r.start_day), r.treated ? 1 : 0,
      field(clinic::to_string(r.not_treated)), r.completed_induction ? 1 : 0, r.completed_maintenance ? 1 : 0,
      num(r.induction_intensity), num(r.maintenance_intensity), num(r.inpatient_days), num(r.outpatient_days), r.holds, field(clinic::to_string(r.stop)),
      opt(r.stop_day), opt(r.treatment_end_day), r.dlt ? 1 : 0, opt(r.dlt_day), opt(r.relapse_true_day),
      opt(r.relapse_day), opt(r.cure_day), opt(r.death_day), field(clinic::to_string(r.death_cause)),
      opt(r.agvhd_day), opt(r.cgvhd_day), num(r.follow_up_end), field(r.failure));
}

void append_adtte(std::string& out, const RowContext& c, const clinic::PatientRecord& r) {
  const std::string id = usubjid(c.studyid, r.id);
  for (const auto& e : clinic::endpoints(r, c.origin)) {
    out += fmt::format("{},{},{},{},{},DAYS,{},{}\n", id, c.replicate, field(r.arm), e.paramcd, num(e.aval), e.cnsr,
                       field(e.evntdesc));
  }
}

void append_adlb(std::string& out, const RowContext& c, const clinic::PatientRecord& r) {
  const std::string id = usubjid(c.studyid, r.id);
  for (const auto& l : r.labs) {
    out += fmt::format("{},{},{},{},{},{},{},{}\n", id, c.replicate, field(r.arm), l.paramcd, num(l.value), num(l.day),
                       field(l.visit), l.et_ratio > 0 ? num(l.et_ratio) : "NA");
  }
}

void append_adae(std::string& out, const RowContext& c, const clinic::PatientRecord& r) {
  const std::string id = usubjid(c.studyid, r.id);
  for (const auto& a : r.adverse_events) {
    out += fmt::format("{},{},{},{},{},{},{},{},{}\n", id, c.replicate, field(r.arm), field(clinic::to_string(a.term)),
                       a.grade, num(a.onset), num(a.end), a.ongoing ? 1 : 0, num(a.grade4_days));
  }
}

void append_ex(std::string& out, const RowContext& c, const clinic::PatientRecord& r) {
  const std::string id = usubjid(c.studyid, r.id);
  for (const auto& e : r.exposure) {
    out += fmt::format("{},{},{},{},{},{},{},{},{},IU,{},{}\n", id, c.replicate, field(r.arm), field(c.product),
                       field(e.phase), num(e.start), num(e.end), num(e.rate_iu_per_day), num(e.dose_iu),
                       num(e.dose_fraction), field(e.end_reason));
  }
}

}  // namespace il2sim::output
