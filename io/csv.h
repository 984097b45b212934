// csv.h: the run folder's tables (scores.csv, history.csv, tsne_*.csv), written by the programs and read back by
// the reporters: a header, then rows of numbers. Every cell is checked: a short row, a word where a number belongs or a missing column
// is an error naming the file, the line and the column. An empty cell reads as NaN (log_px when K = 0).
// Columns named as text (auc.csv's scorer, say) are kept as written and read as NaN among the numbers.
// Read next: ../experiments/vae_report.cpp.
#pragma once
#include <set>
#include <string>
#include <vector>

namespace tg::io {

struct Csv {
  std::vector<std::string> header;
  std::vector<std::vector<double>> rows;
  /// The values of one named column; throws naming the file if there is no such column.
  std::vector<double> column(const std::string& name) const;
  /// The cells of a column that was named as text when the file was read.
  std::vector<std::string> text_column(const std::string& name) const;
  std::string path;
  std::vector<std::vector<std::string>> text_rows;  // per row, the text columns' cells, in the header's order
  std::vector<std::string> text_header;
};

Csv read_csv(const std::string& path, const std::set<std::string>& text_columns = {});

/// A table being written: the header, then rows added one at a time, each already formatted ("3,9,0.9125").
/// write() puts the whole table on disk atomically, so a long run can write it again after every row and a
/// reader never sees half a table.
class CsvTable {
 public:
  explicit CsvTable(const std::string& header) : text_(header + "\n") {}
  void add_row(const std::string& row) { text_ += row + "\n"; }
  void write(const std::string& path) const;

 private:
  std::string text_;
};

}  // namespace tg::io
