#pragma once
// Reads the small comma-separated fixtures written by tools/reference/design/*.R (header row, no
// quoting). Empty cells are R's NA.
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace il2sim::design::testing {

using Row = std::map<std::string, std::string>;

inline std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(' ');
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(' ') - b + 1);
}

inline std::vector<Row> read_fixture(const std::string& relative) {
  std::ifstream in(std::string(IL2SIM_SOURCE_DIR) + "/" + relative);
  EXPECT_TRUE(in.good()) << "missing fixture " << relative;
  std::vector<Row> rows;
  std::string line;
  std::vector<std::string> header;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) cells.push_back(trim(cell));
    if (!line.empty() && line.back() == ',') cells.emplace_back();
    if (header.empty()) {
      header = cells;
      continue;
    }
    Row row;
    for (std::size_t i = 0; i < header.size() && i < cells.size(); ++i) {
      row[header[i]] = cells[i] == "NA" ? "" : cells[i];
    }
    rows.push_back(row);
  }
  return rows;
}

}  // namespace il2sim::design::testing
