// report.cpp: the page builder. Read next: ../analysis/tsne.h.
#include "viz/report.h"

#include <cstdlib>

#include <fmt/format.h>

#include "io/atomic_file.h"

namespace tg::viz {

std::string html_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else if (c == '"') out += "&quot;";
    else out += c;
  }
  return out;
}

void Report::heading(const std::string& text) { body_ += "<h2>" + html_escape(text) + "</h2>\n"; }
void Report::paragraph(const std::string& text) { body_ += "<p>" + html_escape(text) + "</p>\n"; }

void Report::links(const std::vector<std::pair<std::string, std::string>>& text_and_href) {
  body_ += "<ul>\n";
  for (const auto& [text, href] : text_and_href)
    body_ += fmt::format("<li><a href=\"{}\">{}</a></li>\n", html_escape(href), html_escape(text));
  body_ += "</ul>\n";
}

void Report::figure(const std::string& file, const std::string& caption, int width) {
  body_ += fmt::format("<figure><img src=\"{}\"{} alt=\"{}\"><figcaption>{}</figcaption></figure>\n", html_escape(file),
                       width > 0 ? fmt::format(" width=\"{}\"", width) : "", html_escape(caption), html_escape(caption));
}

void Report::figures_side_by_side(const std::vector<std::pair<std::string, std::string>>& items, int width) {
  body_ += "<div class=\"row\">\n";
  for (const auto& [file, caption] : items) figure(file, caption, width);
  body_ += "</div>\n";
}

// A column of words is set left, as text is read; a column of numbers right, so that the digits line up. A cell
// counts as a number if it starts with one ("-96.35", "3.59 +- 0.36"); "" and "-" (not measured) fit either.
static bool starts_with_number(const std::string& cell) {
  char* end = nullptr;
  std::strtod(cell.c_str(), &end);
  return end != cell.c_str();
}

void Report::table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
  std::vector<bool> text_column(header.size(), false);
  for (const auto& row : rows)
    for (size_t c = 0; c < row.size() && c < header.size(); ++c)
      if (!row[c].empty() && row[c] != "-" && !starts_with_number(row[c])) text_column[c] = true;
  const auto open = [&](const char* tag, size_t c) {
    return fmt::format("<{}{}>", tag, c < text_column.size() && text_column[c] ? " class=\"text\"" : "");
  };
  body_ += "<table><tr>";
  for (size_t c = 0; c < header.size(); ++c) body_ += open("th", c) + html_escape(header[c]) + "</th>";
  body_ += "</tr>\n";
  for (const auto& row : rows) {
    body_ += "<tr>";
    for (size_t c = 0; c < row.size(); ++c) body_ += open("td", c) + html_escape(row[c]) + "</td>";
    body_ += "</tr>\n";
  }
  body_ += "</table>\n";
}

std::string Report::html() const {
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + html_escape(title_) +
         "</title>\n<style>body{font-family:sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}"
         "figure{display:inline-block;margin:0.5em;vertical-align:top}figcaption{font-size:0.9em;color:#555;max-width:560px}"
         "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}"
         ".text{text-align:left}th{background:#f4f4f4}.row{display:flex;flex-wrap:wrap}img{image-rendering:pixelated}</style></head>\n<body>\n<h1>" +
         html_escape(title_) + "</h1>\n" + body_ + "</body></html>\n";
}

void Report::write(const std::string& path) const { io::write_file_atomically(path, html()); }

}  // namespace tg::viz
