#include "output/views.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace il2sim::output {
namespace {

// The rows are appended in place (no temporary strings): the ADLB view alone has hundreds of rows
// per patient, and formatting dominates the cost of writing the views.

void put_num(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += "NA";
    return;
  }
  // Without a precision, std::to_chars writes the shortest text that std::from_chars (and R's,
  // Python's strtod) reads back to the same double; fixed or exponent form, whichever is shorter.
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

void put_int(std::string& out, std::int64_t v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

/// Nonzero if one of the 8 bytes of `w` is `c` (the "has zero byte" test on w ^ c...c: exact
/// about whether there is one).
constexpr std::uint64_t has_byte(std::uint64_t w, unsigned char c) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
  const std::uint64_t x = w ^ (kOnes * c);
  return (x - kOnes) & ~x & kHighs;
}

/// True if a CSV field must be quoted (a comma, quote or newline). Eight bytes at a time: the
/// labels of ADLB change row after row and are scanned each time (find_first_of would call
/// memchr once per character).
bool needs_quotes(std::string_view s) {
  const char* p = s.data();
  std::size_t n = s.size();
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, p, 8);
    if ((has_byte(w, ',') | has_byte(w, '"') | has_byte(w, '\n')) != 0) return true;
  }
  for (; n > 0; ++p, --n) {
    if (*p == ',' || *p == '"' || *p == '\n') return true;
  }
  return false;
}

void put_field(std::string& out, std::string_view s) {
  if (!needs_quotes(s)) {
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

/// A list of numbers as one field: "[a;b;c]" (no comma, so never quoted).
void put_list(std::string& out, const std::vector<double>& v) {
  out += '[';
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i > 0) out += ';';
    put_num(out, v[i]);
  }
  out += ']';
}

struct ValueWriter {
  std::string& out;
  void operator()(std::monostate) const { out += "NA"; }
  void operator()(std::int64_t v) const { put_int(out, v); }
  void operator()(double v) const { put_num(out, v); }
  void operator()(std::string_view s) const { put_field(out, s); }
  void operator()(const std::string& s) const { put_field(out, s); }
  void operator()(const std::vector<double>& v) const { put_list(out, v); }
};

template <class View>
void append_one(std::string& out, const RowContext& c, const clinic::PatientRecord& r) {
  const std::string id = usubjid(c.studyid, r.id);
  append_view<View>(out, PatientRow{c, r, id});
}

}  // namespace

void append_value(std::string& out, const core::FieldValue& v) {
  std::visit(ValueWriter{out}, v);
}

void append_text(std::string& out, std::string_view s, TextMemo& memo) {
  if (s.data() != memo.data || s.size() != memo.size) {
    memo = {s.data(), s.size(), needs_quotes(s)};
  }
  if (memo.quoted) {
    put_field(out, s);
  } else {
    out += s;
  }
}

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
