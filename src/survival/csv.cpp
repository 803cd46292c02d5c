#include "survival/csv.hpp"

#include <array>
#include <iterator>
#include <unordered_set>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/input_file.hpp"
#include "core/text.hpp"

namespace il2sim::survival {

std::string_view trim(std::string_view cell) {
  while (!cell.empty() && (cell.front() == ' ' || cell.front() == '\t')) cell.remove_prefix(1);
  while (!cell.empty() && (cell.back() == ' ' || cell.back() == '\t')) cell.remove_suffix(1);
  return cell;
}

bool is_missing(std::string_view cell) {
  const auto t = trim(cell);
  return t.empty() || t == "NA";
}

std::optional<std::size_t> CsvTable::find_column(std::string_view name) const {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return i;
  }
  return std::nullopt;
}

std::size_t CsvTable::column(std::string_view name) const {
  if (auto i = find_column(name)) return *i;
  std::vector<std::string_view> names(header.begin(), header.end());
  const std::string near = core::closest_name(name, names);
  std::string all;
  for (const auto& h : header) all += (all.empty() ? "" : ", ") + h;
  throw UserError(InputLocation{file, 1, std::nullopt, std::string(name)},
                  fmt::format("no column named '{}'{}", name,
                              near.empty() ? "" : fmt::format(" (did you mean '{}'?)", near)),
                  "one of the header's columns: " + all);
}

namespace {

/// A small state machine over the whole text; `line` counts physical lines (quoted newlines too).
class Parser {
 public:
  Parser(std::string_view text, const std::string& file) : text_(text), file_(file) {}

  /// Reads one record into `cells`; false at end of input. `start_line` is where it began.
  bool next(std::vector<std::string>& cells, long& start_line) {
    cells.clear();
    if (pos_ >= text_.size()) return false;
    start_line = line_;
    std::string cell;
    while (true) {
      long column = static_cast<long>(cells.size()) + 1;
      cell.clear();
      if (pos_ < text_.size() && text_[pos_] == '"') {
        ++pos_;
        const long quote_line = line_;
        bool closed = false;
        while (pos_ < text_.size()) {
          const char c = text_[pos_++];
          if (c == '"') {
            if (pos_ < text_.size() && text_[pos_] == '"') {
              cell += '"';
              ++pos_;
            } else {
              closed = true;
              break;
            }
          } else {
            if (c == '\n') ++line_;
            cell += c;
          }
        }
        if (!closed) {
          throw UserError(InputLocation{file_, quote_line, column, {}},
                          "a quoted field is never closed",
                          "a closing '\"' before the end of the file");
        }
        // Only blanks may follow the closing quote before the separator.
        while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
        if (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n' &&
            text_[pos_] != '\r') {
          throw UserError(
              InputLocation{file_, line_, column, {}},
              fmt::format("unexpected character '{}' after a closing quote", text_[pos_]),
              "',' or the end of the line after a quoted field");
        }
      } else {
        while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n' &&
               text_[pos_] != '\r') {
          cell += text_[pos_++];
        }
      }
      cells.push_back(cell);
      if (pos_ >= text_.size()) return true;
      const char sep = text_[pos_++];
      if (sep == ',') continue;
      if (sep == '\r' && pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
      ++line_;
      return true;
    }
  }

  [[nodiscard]] long line() const { return line_; }

 private:
  std::string_view text_;
  const std::string& file_;
  std::size_t pos_ = 0;
  long line_ = 1;
};

bool blank_record(const std::vector<std::string>& cells) {
  return cells.size() == 1 && trim(cells[0]).empty();
}

}  // namespace

CsvTable parse_csv(std::string_view text, std::string file) {
  CsvTable table;
  table.file = std::move(file);
  // A UTF-8 byte-order mark (spreadsheet exports) is not part of the first column's name.
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  // Labels travel into JSON, SQLite and HTML, which are UTF-8: other encodings are refused here,
  // where the file, line and byte can be named.
  core::check_utf8(text, table.file);
  Parser parser(text, table.file);
  std::vector<std::string> cells;
  long line = 1;
  bool have_header = false;
  std::unordered_set<std::string> names;  // the header's names: one look-up per column, not a scan
  while (parser.next(cells, line)) {
    if (blank_record(cells)) continue;
    if (!have_header) {
      for (std::size_t i = 0; i < cells.size(); ++i) {
        std::string name(trim(cells[i]));
        if (name.empty()) {
          throw UserError(InputLocation{table.file, line, static_cast<long>(i) + 1, {}},
                          fmt::format("header column {} has no name", i + 1),
                          "a non-empty name for every column");
        }
        if (!names.insert(name).second) {
          throw UserError(InputLocation{table.file, line, static_cast<long>(i) + 1, name},
                          fmt::format("column name '{}' appears twice in the header", name),
                          "distinct column names");
        }
        table.header.push_back(std::move(name));
      }
      have_header = true;
      continue;
    }
    if (cells.size() != table.header.size()) {
      throw UserError(
          InputLocation{table.file, line, std::nullopt, {}},
          fmt::format("row has {} fields but the header has {}", cells.size(), table.header.size()),
          "one field per header column on every row");
    }
    table.rows.push_back(cells);
    table.lines.push_back(line);
  }
  if (!have_header) {
    throw UserError(InputLocation{table.file, std::nullopt, std::nullopt, {}}, "the file is empty",
                    "a header row followed by data rows");
  }
  if (table.rows.empty()) {
    throw UserError(InputLocation{table.file, std::nullopt, std::nullopt, {}},
                    "the file has a header but no data rows", "at least one data row");
  }
  return table;
}

CsvTable read_csv(const std::string& path) {
  return parse_csv(core::read_input_file(path, "cannot open the file", "a readable CSV file"),
                   path);
}

}  // namespace il2sim::survival
