#include "output/views.hpp"

#include <array>

namespace il2sim::output {
namespace {

template <class View>
void append_one(std::string& out, const RowContext& c, const clinic::PatientRecord& r) {
  const std::string id = usubjid(c.studyid, r.id);
  append_view<View>(out, PatientRow{c, r, id});
}

}  // namespace

void append_views(PatientViews& out, const RowContext& c, const clinic::PatientRecord& r) {
  const std::string id = usubjid(c.studyid, r.id);
  const PatientRow p{c, r, id};
  std::size_t k = 0;
  for_each_patient_view([&](auto view) { append_view<decltype(view)>(out[k++], p); });
}

PatientViews view_headers() {
  PatientViews h;
  std::size_t k = 0;
  for_each_patient_view([&](auto view) { h[k++] = view_header<decltype(view)>(); });
  return h;
}

std::array<std::string_view, kPatientViewCount> view_files() {
  std::array<std::string_view, kPatientViewCount> names{};
  std::size_t k = 0;
  for_each_patient_view([&](auto view) { names[k++] = decltype(view)::kCsv; });
  return names;
}

std::string adsl_header() {
  return view_header<AdslView>();
}
std::string adtte_header() {
  return view_header<AdtteView>();
}
std::string adlb_header() {
  return view_header<AdlbView>();
}
std::string adae_header() {
  return view_header<AdaeView>();
}
std::string ex_header() {
  return view_header<ExView>();
}

void append_adsl(std::string& out, const RowContext& c, const clinic::PatientRecord& r) {
  append_one<AdslView>(out, c, r);
}
void append_adtte(std::string& out, const RowContext& c, const clinic::PatientRecord& r) {
  append_one<AdtteView>(out, c, r);
}
void append_adlb(std::string& out, const RowContext& c, const clinic::PatientRecord& r) {
  append_one<AdlbView>(out, c, r);
}
void append_adae(std::string& out, const RowContext& c, const clinic::PatientRecord& r) {
  append_one<AdaeView>(out, c, r);
}
void append_ex(std::string& out, const RowContext& c, const clinic::PatientRecord& r) {
  append_one<ExView>(out, c, r);
}

std::string num(double v) {
  std::string s;
  put_num(s, v);
  return s;
}

std::string opt(const std::optional<double>& v) {
  return v ? num(*v) : std::string("NA");
}

std::string field(std::string_view s) {
  std::string out;
  put_field(out, s);
  return out;
}

}  // namespace il2sim::output
