#include "scenario/toml_input.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/text.hpp"

namespace il2sim::scenario {
namespace {

/// toml++ 3.3 (Debian 12) reaches __builtin_unreachable, that is undefined behaviour, when it asks
/// whether some non-ASCII characters are whitespace (upstream marzer/tomlplusplus issues 190 and
/// 295, fixed after 3.3; found here by fuzz_scenario). It asks at every token boundary, over the
/// whole of a malformed value, and after a backslash in a string. parse_scenario therefore lets
/// toml++ see the real text only once the text with every non-ASCII character masked has parsed
/// (so the real text is valid TOML whose non-ASCII characters all sit in strings and comments), and
/// this scan refuses what remains: a non-ASCII character outside strings and comments (for a clear
/// message on malformed text; a quote opens a string only first on a line or after = [ { , or .),
/// right after a backslash (no TOML escape starts with one), or first after a line-ending backslash
/// in a multi-line string (valid TOML, but toml++ 3.3 mishandles it).
void check_non_ascii(std::string_view text, const std::string& origin) {
  enum class State { kCode, kComment, kBasic, kLiteral, kMultiBasic, kMultiLiteral };
  State state = State::kCode;
  char last = '\n';  // the last character of code other than a blank; '\n' at a line start
  long line = 1;
  std::size_t line_start = 0;
  const auto non_ascii = [&](std::size_t i) {
    return i < text.size() && static_cast<unsigned char>(text[i]) >= 0x80;
  };
  const auto fail = [&](std::size_t i, const std::string& problem, const std::string& allowed) {
    long column = 1;  // in characters: UTF-8 continuation bytes do not start one
    for (std::size_t k = line_start; k < i; ++k) {
      if ((static_cast<unsigned char>(text[k]) & 0xC0) != 0x80) ++column;
    }
    throw UserError({origin, line, column, ""}, problem, allowed);
  };
  const auto run_of = [&](std::size_t i, char quote) {
    std::size_t n = 0;
    while (i + n < text.size() && text[i + n] == quote) ++n;
    return n;
  };
  std::size_t i = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;  // a UTF-8 byte-order mark
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      line_start = i + 1;
      if (state != State::kMultiBasic && state != State::kMultiLiteral) {
        state = State::kCode;
        last = '\n';
      }
      ++i;
      continue;
    }
    switch (state) {
      case State::kCode:
        if (c == '#') {
          state = State::kComment;
        } else if ((c == '"' || c == '\'') &&
                   std::string_view("\n=[{,.").find(last) != std::string_view::npos) {
          const bool multi = run_of(i, c) >= 3;
          state = c == '"' ? (multi ? State::kMultiBasic : State::kBasic)
                           : (multi ? State::kMultiLiteral : State::kLiteral);
          if (multi) i += 2;
        } else if (non_ascii(i)) {
          fail(i, "non-ASCII character outside a string or comment",
               "non-ASCII text only inside \"quoted strings\" and after # in comments");
        }
        if (c != ' ' && c != '\t' && c != '\r') last = c;
        ++i;
        break;
      case State::kComment:
        ++i;
        break;
      case State::kBasic:
      case State::kMultiBasic:
        if (c == '\\') {
          std::size_t j = i + 1;
          const bool multi = state == State::kMultiBasic;
          bool continued = false;
          while (j < text.size() && (text[j] == ' ' || text[j] == '\t' ||
                                     (multi && (text[j] == '\r' || text[j] == '\n')))) {
            if (text[j] == '\n') {
              ++line;
              line_start = j + 1;
              continued = true;
            }
            ++j;
          }
          if (non_ascii(j)) {
            fail(j,
                 continued ? "a line continued with '\\' in a multi-line string resumes with a "
                             "non-ASCII character, which the TOML reader (toml++ 3.3) mishandles"
                           : "non-ASCII character after '\\' in a string",
                 continued ? "an ASCII character first on the continued line, or a \\uXXXX escape"
                           : "the escapes \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX");
          }
          // An escape is two characters (a newline is left to the line count); skipped blanks end
          // at j.
          i = (j == i + 1 && j < text.size() && text[j] != '\n') ? j + 1 : j;
        } else if (c == '"' && state == State::kBasic) {
          state = State::kCode;
          ++i;
        } else if (c == '"') {
          const std::size_t n = run_of(i, '"');  // """ ends the string; up to two more are text
          if (n >= 3) state = State::kCode;
          i += n;
        } else {
          ++i;
        }
        break;
      case State::kLiteral:
        state = c == '\'' ? State::kCode : state;
        ++i;
        break;
      case State::kMultiLiteral: {
        const std::size_t n = run_of(i, '\'');
        if (n >= 3) state = State::kCode;
        i += n > 0 ? n : 1;
        break;
      }
    }
  }
}

/// The text with every non-ASCII character replaced by '?' (a UTF-8 byte-order mark at the start is
/// kept): the same lines, columns and TOML structure, nothing toml++ 3.3 mishandles.
std::string mask_non_ascii(std::string_view text) {
  std::string masked;
  masked.reserve(text.size());
  if (text.substr(0, 3) == "\xEF\xBB\xBF") {
    masked = text.substr(0, 3);
    text.remove_prefix(3);
  }
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80) {
      masked += c;
    } else if ((byte & 0xC0) != 0x80) {
      masked += '?';
    }
  }
  return masked;
}

/// toml::parse, with a parse error as a UserError.
toml::table parse_toml(std::string_view text, const std::string& origin) {
  try {
    return toml::parse(text, origin);
  } catch (const toml::parse_error& e) {
    throw UserError({origin, static_cast<long>(e.source().begin.line),
                     static_cast<long>(e.source().begin.column), ""},
                    fmt::format("malformed TOML: {}", e.description()));
  }
}

}  // namespace

toml::table parse_toml_text(std::string_view text, const std::string& origin) {
  if (text.find('\0') != std::string_view::npos) {
    throw UserError({origin, std::nullopt, std::nullopt, ""}, "binary data is not TOML text",
                    "a UTF-8 TOML text file");
  }
  core::check_utf8(text, origin);
  // See check_non_ascii: toml++ reads the real text only once the masked text has parsed.
  try {
    (void)parse_toml(mask_non_ascii(text), origin);
  } catch (const UserError&) {
    check_non_ascii(text, origin);  // the clearer message when a non-ASCII character is to blame
    throw;
  }
  check_non_ascii(text, origin);
  return parse_toml(text, origin);
}

void fail_at(const std::string& origin, const toml::node* node, const std::string& key,
             const std::string& problem, const std::string& allowed) {
  InputLocation where{origin, std::nullopt, std::nullopt, key};
  // Every node read from text has a line; one without came from a command-line `--set`.
  if (node != nullptr && node->source().begin.line == 0) {
    where.file = fmt::format("--set (on {})", origin);
  } else if (node != nullptr) {
    where.line = static_cast<long>(node->source().begin.line);
    where.column = static_cast<long>(node->source().begin.column);
  }
  throw UserError(where, problem, allowed);
}

void check_known_keys(const std::string& origin, const toml::table& table, const std::string& path,
                      std::span<const std::string_view> allowed) {
  for (const auto& [key, node] : table) {
    if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end()) continue;
    const std::string suggestion = core::closest_name(key.str(), allowed);
    const std::string full =
        path.empty() ? std::string(key.str()) : path + "." + std::string(key.str());
    std::string allowed_text;
    for (const auto n : allowed)
      allowed_text += (allowed_text.empty() ? "" : ", ") + std::string(n);
    fail_at(origin, &node, full,
            suggestion.empty() ? "unknown key"
                               : fmt::format("unknown key; did you mean '{}'?", suggestion),
            allowed_text);
  }
}

model::ParamId parameter_at(const std::string& origin, const toml::node* node,
                            const std::string& key, const std::string& name) {
  if (const auto id = model::find_parameter(name)) return *id;
  fail_at(origin, node, key, model::unknown_parameter(name, true),
          std::string(model::kParameterNamesAllowed));
}

std::string node_description(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return fmt::format("the string \"{}\"", node.as_string()->get());
    case toml::node_type::integer:
      return fmt::format("the integer {}", node.as_integer()->get());
    case toml::node_type::floating_point:
      return fmt::format("the number {}", node.as_floating_point()->get());
    case toml::node_type::boolean:
      return node.as_boolean()->get() ? "true" : "false";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    default:
      return "a date or time";
  }
}

}  // namespace il2sim::scenario
