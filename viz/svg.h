// svg.h: plots written directly as SVG text — line plots (training curves) and scatter plots (t-SNE and
// latent spaces, coloured by class with a legend of 10 distinguishable colours). Axes get "nice" ticks
// (1, 2 or 5 times a power of ten). Read next: report.h.
#pragma once
#include <string>
#include <vector>

namespace tg::viz {

struct Series {
  std::string name;
  std::vector<double> x, y;
};

struct PlotLabels {
  std::string title, x_label, y_label;
};

std::string line_plot_svg(const std::vector<Series>& series, const PlotLabels& labels, int width = 640, int height = 400);

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
