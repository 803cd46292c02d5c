#include "output/csv_fields.hpp"

#include <charconv>
#include <cmath>
#include <cstring>

namespace il2sim::output {
namespace {

/// Nonzero if one of the 8 bytes of `w` is `c` (the "has zero byte" test on w ^ c...c: exact
/// about whether there is one).
constexpr std::uint64_t has_byte(std::uint64_t w, unsigned char c) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
  const std::uint64_t x = w ^ (kOnes * c);
  return (x - kOnes) & ~x & kHighs;
}

}  // namespace

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

// Eight bytes at a time: the labels of ADLB change row after row and are scanned each time
// (find_first_of would call memchr once per character).
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

}  // namespace il2sim::output
