// csv.cpp: split on commas (our tables never quote), parse with strtod, check everything.
#include "io/csv.h"

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

Csv read_csv(const std::string& path) {
  Csv csv;
  csv.path = path;
  std::istringstream in(read_file(path, uint64_t(512) << 20));
  std::string line;
  if (!std::getline(in, line) || line.empty()) throw std::runtime_error(fmt::format("{}: empty, expected a header line", path));
  csv.header = split(line);
  for (int number = 2; std::getline(in, line); ++number) {
    const std::vector<std::string> cells = split(line);
    if (cells.size() != csv.header.size())
      throw std::runtime_error(fmt::format("{}: line {} has {} values, the header {}", path, number, cells.size(), csv.header.size()));
    std::vector<double> row;
    for (size_t c = 0; c < cells.size(); ++c) {
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

}  // namespace tg::io
