// source_check.h: every number a results page states comes from a committed run. A page marks where its results
// are and which folders of results/ they come from:
//
//   <!-- results: results/study-grey -->
//   | Z | test log p(x) | ... |             <- every number here must come from those folders
//   <!-- not a result: 86.76 (Burda et al. 2015, Table 2) -->   <- a paper's number, with its source
//   <!-- end results -->
//
// A number (a whole token: integers too, signs, decimals, 10,000) inside a section passes when it is, at the decimals
// it is written with, a number of a cited run's summary.json (any field, nested ones included; a field in seconds also
// in minutes and hours; an error rate, a field ending in "error", also in percent), or of a group of runs that differ
// only in their seed (folders named <name>-seed<N>, or <name>-draw<N> for one model scored on several draws of its test
// images: the mean, standard deviation (n - 1), minimum and maximum of each field, and n; a setting run a folder per
// label count, <name>-<labels>-seed<N>, is also one group across its counts, each count over its own seeds). A table
// row must take all its numbers from one run or one group (when several hold them all, whichever lines the table up),
// so that a number moved to another row fails too; and a cell that holds only numbers must read the same field of the
// runs as the rest of its column (or of its row, in a table whose rows are the fields), and the same entry (of runs[],
// say: one label count) as the rest of its row (or column), so that two cells swapped fail though the run holds both. A
// table's header row ("| seed 1 | seed 2 |") names columns: its numbers are checked one by one, as prose is. A number
// the text names by its field (after "seed", "Z =" or "K =", before "labels") must be a value of that field, not just
// of some field; and prose's "a ± b" must be one field's mean and standard deviation over one group of seeds. Inline
// code and code-block lines pass when they are a line of a cited run's `command` file, the commands that made it; years
// in citations pass as "(2014)" or "et al. 2014". Anything else (a paper's number, an estimate) is listed in a "not a
// result" comment with its source ("numbers (source)", several lists separated by ";"); a pair "a ± b" passes that
// way only when both of its numbers are listed, so a measured mean that equals a paper's still needs its own spread.
// A listed number is quoted where it stands only as the paper's: in a table, in a paper's row or column (one whose
// number cells are all listed) or in a cell with words; in prose, when its source names a paper ("et al.", "Table 1",
// "the authors' code"), only in a sentence, clause or list item that names one too ("the paper's", "theirs"), so that
// a paper's number typed into our column or into "ours reached ..." fails. Elsewhere it is checked as any number. Under a heading that speaks of results, a number outside every section fails, so a
// page cannot state a result without a source by leaving the markers out. Read next: test_sources.cpp, which runs it
// on README.md and the docs' pages, and plants the edits it must catch.
#pragma once
#include <string>
#include <vector>

namespace tg::test {

struct SourceProblem {
  std::string file;
  int line = 0;          // 1-based
  std::string token;     // the number, or "" for a problem with the markers
  std::string message;
};

/// Checks the page `text` (named `file` in problems); results folders are resolved against `root`.
std::vector<SourceProblem> check_sources(const std::string& file, const std::string& text, const std::string& root);

/// A whole number token of a line: its text normalised (ASCII minus, no thousands commas: 10,000 is 10000) and
/// where it stands in the line, [at, end).
struct NumberToken {
  std::string text;
  size_t at = 0, end = 0;
};
std::vector<NumberToken> number_tokens(const std::string& line);

/// The whole number tokens of a line of text, as the page's reader sees them: integers, decimals, signs, 10,000 as
/// 10000, not the digits inside a word (z200, M2) or a longer number (3.11.7); shared with the course's check.
std::vector<std::string> number_tokens_of(const std::string& line);

/// "README.md:12: 96.35: not a value of results/study-grey ..." one per line, for a test's failure message.
std::string describe(const std::vector<SourceProblem>& problems);

}  // namespace tg::test
