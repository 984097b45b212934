// csv.cpp: split on commas (our tables never quote), parse with strtod, check everything; write atomically.
#include "io/csv.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "io/atomic_file.h"

namespace tg::io {

namespace {
std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  std::istringstream in(line);
  while (std::getline(in, cell, ',')) cells.push_back(cell);
  if (!line.empty() && line.back() == ',') cells.emplace_back();
  return cells;
}
}  // namespace

Csv read_csv(const std::string& path, const std::set<std::string>& text_columns) {
  Csv csv;
  csv.path = path;
  std::istringstream in(read_file(path, uint64_t(512) << 20));
  std::string line;
  if (!std::getline(in, line) || line.empty()) throw std::runtime_error(fmt::format("{}: empty, expected a header line", path));
  csv.header = split(line);
  for (const std::string& name : text_columns) {
    if (std::find(csv.header.begin(), csv.header.end(), name) == csv.header.end())
      throw std::runtime_error(fmt::format("{}: no column {}", path, name));
  }
  for (const std::string& name : csv.header)
    if (text_columns.count(name)) csv.text_header.push_back(name);
  for (int number = 2; std::getline(in, line); ++number) {
    const std::vector<std::string> cells = split(line);
    if (cells.size() != csv.header.size())
      throw std::runtime_error(fmt::format("{}: line {} has {} values, the header {}", path, number, cells.size(), csv.header.size()));
    std::vector<double> row;
    std::vector<std::string> text;
    for (size_t c = 0; c < cells.size(); ++c) {
      if (text_columns.count(csv.header[c])) {
        text.push_back(cells[c]);
        row.push_back(NAN);
        continue;
      }
      if (cells[c].empty()) {
        row.push_back(NAN);
        continue;
      }
      char* end = nullptr;
      const double v = std::strtod(cells[c].c_str(), &end);
      if (end != cells[c].c_str() + cells[c].size())
        throw std::runtime_error(fmt::format("{}: line {}, column {}: \"{}\" is not a number", path, number, csv.header[c], cells[c]));
      row.push_back(v);
    }
    csv.rows.push_back(std::move(row));
    csv.text_rows.push_back(std::move(text));
  }
  return csv;
}

std::vector<double> Csv::column(const std::string& name) const {
  for (size_t c = 0; c < header.size(); ++c)
    if (header[c] == name) {
      std::vector<double> v;
      for (const auto& r : rows) v.push_back(r[c]);
      return v;
    }
  throw std::runtime_error(fmt::format("{}: no column {}", path, name));
}

std::vector<std::string> Csv::text_column(const std::string& name) const {
  for (size_t c = 0; c < text_header.size(); ++c)
    if (text_header[c] == name) {
      std::vector<std::string> v;
      for (const auto& r : text_rows) v.push_back(r[c]);
      return v;
    }
  throw std::runtime_error(fmt::format("{}: no text column {}", path, name));
}

void CsvTable::write(const std::string& path) const { write_file_atomically(path, text_); }

}  // namespace tg::io
