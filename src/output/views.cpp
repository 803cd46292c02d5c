#include "output/views.hpp"

#include <charconv>
#include <cmath>

namespace il2sim::output {
namespace {

// The rows are appended in place (no temporary strings): the ADLB view alone has hundreds of rows
// per patient, and formatting dominated the cost of a cohort run. The text is the same as
// fmt::format("{:.8g}") / "{}" / "{:06d}" would give: std::to_chars with chars_format::general and
// a precision is specified as printf's %.8g, which is what fmt's {:.8g} writes.

void put_num(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += "NA";
    return;
  }
  char buf[32];
  if (std::fabs(v) < 1e8 && v == std::trunc(v)) {
    // A whole number of at most 8 digits: %.8g writes its digits (most days, counts and ratios).
    if (v == 0.0) {
      out += std::signbit(v) ? "-0" : "0";
      return;
    }
    const auto r = std::to_chars(buf, buf + sizeof buf, static_cast<long>(v));
    out.append(buf, r.ptr);
    return;
  }
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 8);
  out.append(buf, r.ptr);
}

void put_opt(std::string& out, const std::optional<double>& v) {
  if (v) {
    put_num(out, *v);
  } else {
    out += "NA";
  }
}

template <typename Int>
void put_int(std::string& out, Int v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

void put_bool(std::string& out, bool b) {
  out += b ? '1' : '0';
}

void put_field(std::string& out, std::string_view s) {
  if (s.find_first_of(",\"\n") == std::string_view::npos) {
    out += s;
    return;
  }
  out += '"';
  for (const char ch : s) {
    if (ch == '"') out += '"';
    out += ch;
  }
  out += '"';
}

void put_usubjid(std::string& out, std::string_view studyid, std::uint32_t patient) {
  out += studyid;
  out += '-';
  char buf[16];
  const auto r = std::to_chars(buf, buf + sizeof buf, patient);
  const auto digits = static_cast<std::size_t>(r.ptr - buf);
  if (digits < 6) out.append(6 - digits, '0');
  out.append(buf, r.ptr);
}

/// "USUBJID,REPLICATE,ARM," — the start of every row of one patient in ADTTE, ADLB, ADAE and EX.
std::string row_prefix(const RowContext& c, const clinic::PatientRecord& r) {
  std::string p;
  put_usubjid(p, c.studyid, r.id);
  p += ',';
  put_int(p, c.replicate);
  p += ',';
  put_field(p, r.arm);
  p += ',';
  return p;
}

}  // namespace

std::string num(double v) {
  std::string s;
  put_num(s, v);
  return s;
}

std::string opt(const std::optional<double>& v) {
  std::string s;
  put_opt(s, v);
  return s;
}

std::string field(std::string_view s) {
  std::string out;
  put_field(out, s);
  return out;
}

std::string usubjid(const std::string& studyid, std::uint32_t patient) {
  std::string s;
  put_usubjid(s, studyid, patient);
  return s;
}

std::string adsl_header() {
  return "STUDYID,REPLICATE,USUBJID,ARM,AGE,SEX,HEIGHT,WEIGHT,BSA,DISEASE,TRANSPLANT,L0,ELIGDY,"
         "LANDMDY,TRTSDY,TREATED,"
         "NOTTRTRS,COMPLIND,COMPLMNT,INDINT,MNTINT,INPTDAYS,OUTPTDAYS,HOLDS,STOPRS,STOPDY,TRTEDY,"
         "DLT,DLTDY,RELTRDY,RELDY,CUREDY,"
         "DTHDY,DTHCAUS,AGVHDDY,CGVHDDY,FUENDDY,NUMFAIL\n";
}

std::string adtte_header() {
  return "USUBJID,REPLICATE,ARM,PARAMCD,AVAL,AVALU,CNSR,EVNTDESC\n";
}
std::string adlb_header() {
  return "USUBJID,REPLICATE,ARM,PARAMCD,AVAL,ADY,VISIT,ETRATIO\n";
}
std::string adae_header() {
  return "USUBJID,REPLICATE,ARM,AETERM,AETOXGR,ASTDY,AENDY,ONGOING,GR4DUR\n";
}
std::string ex_header() {
  return "USUBJID,REPLICATE,ARM,EXTRT,EXPHASE,EXSTDY,EXENDY,EXRATE,EXDOSE,EXDOSU,DOSEFRAC,"
         "EXENDRS\n";
}

void append_adsl(std::string& out, const RowContext& c, const clinic::PatientRecord& r) {
  const auto& cov = r.covariates;
  const auto sep = [&out] { out += ','; };
  put_field(out, c.studyid);
  sep();
  put_int(out, c.replicate);
  sep();
  put_usubjid(out, c.studyid, r.id);
  sep();
  put_field(out, r.arm);
  sep();
  put_num(out, cov.age_years);
  sep();
  out += model::to_string(cov.sex);
  sep();
  put_num(out, cov.height_cm);
  sep();
  put_num(out, cov.weight_kg);
  sep();
  put_num(out, cov.bsa_m2);
  sep();
  out += model::to_string(r.disease);
  sep();
  out += model::to_string(r.transplant);
  sep();
  put_num(out, r.L0);
  sep();
  put_opt(out, r.eligible_day);
  sep();
  put_opt(out, r.landmark_day);
  sep();
  put_opt(out, r.start_day);
  sep();
  put_bool(out, r.treated);
  sep();
  put_field(out, clinic::to_string(r.not_treated));
  sep();
  put_bool(out, r.completed_induction);
  sep();
  put_bool(out, r.completed_maintenance);
  sep();
  put_num(out, r.induction_intensity);
  sep();
  put_num(out, r.maintenance_intensity);
  sep();
  put_num(out, r.inpatient_days);
  sep();
  put_num(out, r.outpatient_days);
  sep();
  put_int(out, r.holds);
  sep();
  put_field(out, clinic::to_string(r.stop));
  sep();
  put_opt(out, r.stop_day);
  sep();
  put_opt(out, r.treatment_end_day);
  sep();
  put_bool(out, r.dlt);
  sep();
  put_opt(out, r.dlt_day);
  sep();
  put_opt(out, r.relapse_true_day);
  sep();
  put_opt(out, r.relapse_day);
  sep();
  put_opt(out, r.cure_day);
  sep();
  put_opt(out, r.death_day);
  sep();
  put_field(out, clinic::to_string(r.death_cause));
  sep();
  put_opt(out, r.agvhd_day);
  sep();
  put_opt(out, r.cgvhd_day);
  sep();
  put_num(out, r.follow_up_end);
  sep();
  put_field(out, r.failure);
  out += '\n';
}

void append_adtte(std::string& out, const RowContext& c, const clinic::PatientRecord& r) {
  const std::string prefix = row_prefix(c, r);
  for (const auto& e : clinic::endpoints(r, c.origin)) {
    out += prefix;
    out += e.paramcd;
    out += ',';
    put_num(out, e.aval);
    out += ",DAYS,";
    put_int(out, e.cnsr);
    out += ',';
    put_field(out, e.evntdesc);
    out += '\n';
  }
}

void append_adlb(std::string& out, const RowContext& c, const clinic::PatientRecord& r) {
  const std::string prefix = row_prefix(c, r);
  out.reserve(out.size() + r.labs.size() * (prefix.size() + 48));
  for (const auto& l : r.labs) {
    out += prefix;
    out += l.paramcd;
    out += ',';
    put_num(out, l.value);
    out += ',';
    put_num(out, l.day);
    out += ',';
    put_field(out, l.visit);
    out += ',';
    if (l.et_ratio > 0) {
      put_num(out, l.et_ratio);
    } else {
      out += "NA";
    }
    out += '\n';
  }
}

void append_adae(std::string& out, const RowContext& c, const clinic::PatientRecord& r) {
  const std::string prefix = row_prefix(c, r);
  for (const auto& a : r.adverse_events) {
    out += prefix;
    put_field(out, clinic::to_string(a.term));
    out += ',';
    put_int(out, a.grade);
    out += ',';
    put_num(out, a.onset);
    out += ',';
    put_num(out, a.end);
    out += ',';
    put_bool(out, a.ongoing);
    out += ',';
    put_num(out, a.grade4_days);
    out += '\n';
  }
}

void append_ex(std::string& out, const RowContext& c, const clinic::PatientRecord& r) {
  const std::string prefix = row_prefix(c, r);
  for (const auto& e : r.exposure) {
    out += prefix;
    put_field(out, c.product);
    out += ',';
    put_field(out, e.phase);
    out += ',';
    put_num(out, e.start);
    out += ',';
    put_num(out, e.end);
    out += ',';
    put_num(out, e.rate_iu_per_day);
    out += ',';
    put_num(out, e.dose_iu);
    out += ",IU,";
    put_num(out, e.dose_fraction);
    out += ',';
    put_field(out, e.end_reason);
    out += '\n';
  }
}

}  // namespace il2sim::output
