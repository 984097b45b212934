// svg.cpp: coordinate mapping, axes, ticks, legend. Read next: report.cpp.
#include "viz/svg.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "io/atomic_file.h"
#include "viz/report.h"  // html_escape: SVG text needs the same escapes

namespace tg::viz {

namespace {

std::string tick_label(double v, double step) {
  // As many decimals as the step needs; very large or very fine values (and a degenerate step) in %g form.
  if (!(step > 0) || !std::isfinite(step) || std::abs(v) >= 1e7 || step < 1e-6) return fmt::format("{:.6g}", v);
  const int decimals = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  return fmt::format("{:.{}f}", v, decimals);
}

struct Frame {
  double x0, x1, y0, y1;      // data range
  double left, right, top, bottom;  // pixel box
  double px(double x) const { return left + (x - x0) / (x1 - x0) * (right - left); }
  double py(double y) const { return bottom - (y - y0) / (y1 - y0) * (bottom - top); }
};

std::string axes(const Frame& f, const PlotLabels& l, int width, int height, bool show_ticks) {
  std::string s = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" "
      "font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
      width, height, width, height);
  s += fmt::format("<text x=\"{}\" y=\"18\" text-anchor=\"middle\" font-size=\"14\">{}</text>\n", width / 2, html_escape(l.title));
  s += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"none\" stroke=\"#444\"/>\n",
                   f.left, f.top, f.right - f.left, f.bottom - f.top);
  if (show_ticks) {
    const std::vector<double> xt = nice_ticks(f.x0, f.x1), yt = nice_ticks(f.y0, f.y1);
    const double xs = xt.size() > 1 ? xt[1] - xt[0] : 1, ys = yt.size() > 1 ? yt[1] - yt[0] : 1;
    for (double t : xt)
      s += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"#444\"/>"
                       "<text x=\"{0:.1f}\" y=\"{3:.1f}\" text-anchor=\"middle\">{4}</text>\n",
                       f.px(t), f.bottom, f.bottom + 5, f.bottom + 18, tick_label(t, xs));
    for (double t : yt)
      s += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{2:.1f}\" y2=\"{1:.1f}\" stroke=\"#444\"/>"
                       "<line x1=\"{2:.1f}\" y1=\"{1:.1f}\" x2=\"{4:.1f}\" y2=\"{1:.1f}\" stroke=\"#eee\"/>"
                       "<text x=\"{3:.1f}\" y=\"{5:.1f}\" text-anchor=\"end\">{6}</text>\n",
                       f.left - 5, f.py(t), f.left, f.left - 8, f.right, f.py(t) + 4, tick_label(t, ys));
  }
  s += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", (f.left + f.right) / 2, height - 6,
                   html_escape(l.x_label));
  s += fmt::format("<text transform=\"translate(14 {:.1f}) rotate(-90)\" text-anchor=\"middle\">{}</text>\n",
                   (f.top + f.bottom) / 2, html_escape(l.y_label));
  return s;
}

void range_of(const std::vector<double>& v, double& lo, double& hi) {
  for (double x : v)
    if (std::isfinite(x)) {
      lo = std::min(lo, x);
      hi = std::max(hi, x);
    }
}

void pad_range(double& lo, double& hi) {
  if (!(lo < hi)) {  // empty or a single value
    if (!std::isfinite(lo)) lo = hi = 0;
    lo -= 1;
    hi += 1;
    return;
  }
  const double pad = 0.04 * (hi - lo);
  lo -= pad;
  hi += pad;
}

}  // namespace

const std::vector<std::string>& class_colours() {
  static const std::vector<std::string> c = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                             "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};
  return c;
}

std::vector<double> nice_ticks(double lo, double hi, int target) {
  std::vector<double> ticks;
  if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi)) return ticks;
  const double raw = (hi - lo) / target, p = std::pow(10.0, std::floor(std::log10(raw)));
  const double step = raw / p < 1.5 ? p : raw / p < 3.5 ? 2 * p : raw / p < 7.5 ? 5 * p : 10 * p;
  // Ticks by index, not by t += step: when the range is a few units in the last place of its values (1e17 and
  // 1e17 + 16, say), adding step to t may not change t at all, and a loop on t would never end.
  const double first = std::ceil(lo / step), last = std::floor(hi / step + 1e-9);
  if (!(step > 0) || !(last - first < 100)) return {lo, hi};
  for (int k = 0; k <= static_cast<int>(last - first); ++k) {  // an int count: first + 1 == first above 2^53
    const double t = (first + k) * step;
    ticks.push_back(std::abs(t) < 1e-12 * step ? 0 : t);
  }
  return ticks;
}

std::string line_plot_svg(const std::vector<Series>& series, const PlotLabels& labels, int width, int height) {
  double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
  for (const Series& s : series) {
    range_of(s.x, x0, x1);
    range_of(s.y, y0, y1);
  }
  pad_range(x0, x1);
  pad_range(y0, y1);
  Frame f{x0, x1, y0, y1, 64, double(width) - 20, 30, double(height) - 44};
  std::string svg = axes(f, labels, width, height, true);
  for (size_t k = 0; k < series.size(); ++k) {
    const std::string& colour = class_colours()[k % class_colours().size()];
    std::string points;
    for (size_t i = 0; i < series[k].x.size() && i < series[k].y.size(); ++i)
      if (std::isfinite(series[k].y[i])) points += fmt::format("{:.1f},{:.1f} ", f.px(series[k].x[i]), f.py(series[k].y[i]));
    svg += fmt::format("<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\" points=\"{}\"/>\n", colour, points);
    svg += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"12\" height=\"3\" fill=\"{}\"/><text x=\"{:.1f}\" y=\"{:.1f}\">{}</text>\n",
                       f.right - 150, f.top + 12 + 16 * k, colour, f.right - 134, f.top + 17 + 16 * k, html_escape(series[k].name));
  }
  return svg + "</svg>\n";
}

std::string scatter_svg(const std::vector<double>& x, const std::vector<double>& y, const std::vector<int>& classes,
                        const std::vector<std::string>& class_names, const PlotLabels& labels, int width, int height) {
  double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
  range_of(x, x0, x1);
  range_of(y, y0, y1);
  pad_range(x0, x1);
  pad_range(y0, y1);
  const double legend_w = class_names.empty() ? 0 : 90;
  Frame f{x0, x1, y0, y1, 40, double(width) - 20 - legend_w, 30, double(height) - 34};
  std::string svg = axes(f, labels, width, height, labels.x_label.size() > 0);
  const double radius = x.size() > 3000 ? 1.2 : x.size() > 500 ? 2.0 : 3.0;
  for (size_t i = 0; i < x.size(); ++i)
    svg += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"{}\" fill=\"{}\" fill-opacity=\"0.7\"/>\n", f.px(x[i]),
                       f.py(y[i]), radius, class_colours()[static_cast<size_t>(classes[i]) % class_colours().size()]);
  for (size_t k = 0; k < class_names.size(); ++k)
    svg += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"5\" fill=\"{}\"/><text x=\"{:.1f}\" y=\"{:.1f}\">{}</text>\n",
                       f.right + 18, f.top + 10 + 18 * k, class_colours()[k % class_colours().size()], f.right + 28,
                       f.top + 14 + 18 * k, html_escape(class_names[k]));
  return svg + "</svg>\n";
}

void write_text_file(const std::string& path, const std::string& text) { io::write_file_atomically(path, text); }

}  // namespace tg::viz
