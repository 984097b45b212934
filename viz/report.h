// report.h: an HTML report — a page of headings, paragraphs, tables and figures (PNG/SVG files in the same
// folder, referenced by relative path), with a small inline stylesheet, so it opens from disk with no
// server and no network. Read next: ../experiments/vae.cpp, which builds one.
#pragma once
#include <string>
#include <vector>

namespace tg::viz {

class Report {
 public:
  explicit Report(std::string title) : title_(std::move(title)) {}
  void heading(const std::string& text);
  void paragraph(const std::string& text);  // plain text, escaped
  void links(const std::vector<std::pair<std::string, std::string>>& text_and_href);  // a list of links
  void figure(const std::string& file, const std::string& caption, int width = 0);  // width 0 = natural
  void figures_side_by_side(const std::vector<std::pair<std::string, std::string>>& files_and_captions, int width);
  void table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);
  std::string html() const;
  void write(const std::string& path) const;  // atomic

 private:
  std::string title_, body_;
};

std::string html_escape(const std::string& s);

}  // namespace tg::viz
