// svg.h: plots written directly as SVG text — line plots (training curves) and scatter plots (t-SNE and
// latent spaces, coloured by class with a legend of 10 distinguishable colours). Axes get "nice" ticks
// (1, 2 or 5 times a power of ten). Read next: report.h.
#pragma once
#include <cmath>
#include <string>
#include <vector>

namespace tg::viz {

struct Series {
  std::string name;
  std::vector<double> x, y;
  int colour = -1;  // a place in class_colours(), so that related series can share one; -1: the series' own place
};

struct PlotLabels {
  std::string title, x_label, y_label;
};

struct LineOptions {
  bool log_x = false;             // x on a log scale (ticks at powers of ten); x <= 0 is left out
  double y_min = NAN, y_max = NAN;  // a fixed y-range (a paper's axis); NaN: from the data
  // With no fixed range, the y-range covers each series after its first tenth (at least 10 points), so the
  // converged part fills the plot; the first points then run off the top or bottom, clipped at the frame.
  bool focus_on_tail = true;
};

/// Lines (with a dot at each point when a series has 30 points or fewer, so one point still shows), the legend
/// to the right of the frame, never on the data. Integer-valued x (epochs) gets integer ticks only.
std::string line_plot_svg(const std::vector<Series>& series, const PlotLabels& labels, int width = 640, int height = 400,
                          const LineOptions& options = {});

/// classes[i] in 0..class_names.size()-1 picks the colour; class_names label the legend.
std::string scatter_svg(const std::vector<double>& x, const std::vector<double>& y, const std::vector<int>& classes,
                        const std::vector<std::string>& class_names, const PlotLabels& labels, int width = 560,
                        int height = 520);

/// The palette (Tableau 10): colours for classes 0..9, as "#rrggbb".
const std::vector<std::string>& class_colours();

/// Tick positions covering [lo, hi] with about `target` ticks at 1/2/5 x 10^k steps.
std::vector<double> nice_ticks(double lo, double hi, int target = 6);

void write_text_file(const std::string& path, const std::string& text);  // atomic

}  // namespace tg::viz
