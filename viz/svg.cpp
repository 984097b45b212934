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
  double x0, x1, y0, y1;      // data range (for a log axis, of log10 x)
  double left, right, top, bottom;  // pixel box
  bool log_x = false, integer_x = false;
  double px(double x) const { return left + ((log_x ? std::log10(x) : x) - x0) / (x1 - x0) * (right - left); }
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
    std::vector<double> xt = nice_ticks(f.x0, f.x1);
    const std::vector<double> yt = nice_ticks(f.y0, f.y1);
    if (f.log_x) {  // a tick at each power of ten in range, placed at 10^k
      xt.clear();
      for (double k = std::ceil(f.x0); k <= f.x1 && xt.size() < 40; k += 1) xt.push_back(std::pow(10.0, k));
    } else if (f.integer_x) {  // epochs: no tick at 1.5
      std::vector<double> whole;
      for (double t : xt)
        if (t == std::round(t)) whole.push_back(t);
      xt = whole;
    }
    const double xs = xt.size() > 1 ? xt[1] - xt[0] : 1, ys = yt.size() > 1 ? yt[1] - yt[0] : 1;
    for (double t : xt)
      s += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"#444\"/>"
                       "<text x=\"{0:.1f}\" y=\"{3:.1f}\" text-anchor=\"middle\">{4}</text>\n",
                       f.px(t), f.bottom, f.bottom + 5, f.bottom + 18,
                       f.log_x ? fmt::format("1e{:.0f}", std::log10(t)) : tick_label(t, xs));
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

// Room for a legend beside the frame: a marker and the longest name (about 7 px per character at the font
// size used), so that no name is clipped at the picture's edge.
double legend_width(const std::vector<std::string>& names) {
  double longest = 0;
  for (const std::string& n : names) longest = std::max(longest, static_cast<double>(n.size()));
  return names.empty() ? 0 : 30.0 + 7.0 * longest;
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

std::string line_plot_svg(const std::vector<Series>& series, const PlotLabels& labels, int width, int height,
                          const LineOptions& o) {
  auto x_of = [&](double x) { return o.log_x ? std::log10(x) : x; };
  double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
  bool integer_x = true;
  for (const Series& s : series)
    for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (!std::isfinite(s.x[i]) || (o.log_x && s.x[i] <= 0)) continue;
      x0 = std::min(x0, x_of(s.x[i])), x1 = std::max(x1, x_of(s.x[i]));
      integer_x = integer_x && s.x[i] == std::round(s.x[i]);
      const size_t skip = o.focus_on_tail && s.y.size() >= 10 ? s.y.size() / 10 : 0;
      if (i >= skip && std::isfinite(s.y[i])) y0 = std::min(y0, s.y[i]), y1 = std::max(y1, s.y[i]);
    }
  pad_range(x0, x1);
  pad_range(y0, y1);
  if (std::isfinite(o.y_min) && std::isfinite(o.y_max) && o.y_min < o.y_max) y0 = o.y_min, y1 = o.y_max;
  std::vector<std::string> names;
  for (const Series& s : series) names.push_back(s.name);
  Frame f{x0, x1, y0, y1, 64, double(width) - 14 - legend_width(names), 30, double(height) - 44};
  f.log_x = o.log_x;
  f.integer_x = integer_x && !o.log_x;
  std::string svg = axes(f, labels, width, height, true);
  // Lines are clipped at the frame: points outside a fixed or focused y-range run off the edge, not over the labels.
  const std::string clip = "frame";  // unique within its own SVG document, which is all an id needs
  svg += fmt::format("<clipPath id=\"{}\"><rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\"/></clipPath>\n",
                     clip, f.left, f.top, f.right - f.left, f.bottom - f.top);
  for (size_t k = 0; k < series.size(); ++k) {
    const size_t place = series[k].colour >= 0 ? static_cast<size_t>(series[k].colour) : k;
    const std::string& colour = class_colours()[place % class_colours().size()];
    std::string points, dots;
    const size_t n = std::min(series[k].x.size(), series[k].y.size());
    for (size_t i = 0; i < n; ++i) {
      const double x = series[k].x[i], y = series[k].y[i];
      if (!std::isfinite(y) || !std::isfinite(x) || (o.log_x && x <= 0)) continue;
      points += fmt::format("{:.1f},{:.1f} ", f.px(x), f.py(y));
      if (n <= 30) dots += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" fill=\"{}\"/>", f.px(x), f.py(y), colour);
    }
    svg += fmt::format("<g clip-path=\"url(#{})\"><polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\" points=\"{}\"/>{}</g>\n",
                       clip, colour, points, dots);
    svg += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"14\" height=\"3\" fill=\"{}\"/><text x=\"{:.1f}\" y=\"{:.1f}\">{}</text>\n",
                       f.right + 8, f.top + 12 + 16 * k, colour, f.right + 26, f.top + 17 + 16 * k, html_escape(series[k].name));
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
  Frame f{x0, x1, y0, y1, 40, double(width) - 20 - legend_width(class_names), 30, double(height) - 34};
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
