// test_viz.cpp: pictures and t-SNE — PNGs decode (with libpng) to the pixels we drew; SVGs are well-formed
// XML; t-SNE's perplexity calibration hits its entropy, Barnes-Hut agrees with the exact method, and separated
// clusters come out separated; PCA finds the dominant axis; the quality measures behave at their extremes.
#include <gtest/gtest.h>

#include <cmath>
#include <regex>

#include "autograd/rng.h"
#include "io/atomic_file.h"
#include "tests/programs.h"
#include "viz/embedding_quality.h"
#include "viz/grid.h"
#include "viz/pca.h"
#include "viz/report.h"
#include "viz/svg.h"
#include "viz/tsne.h"

namespace tg::viz {
namespace {

// A small XML well-formedness check: every tag closes in order, attributes are quoted, nothing is left open.
bool well_formed_xml(const std::string& s, std::string& why) {
  std::vector<std::string> open;
  std::regex tag(R"(<(/?)([A-Za-z][A-Za-z0-9:_-]*)((?:\s+[A-Za-z:_][A-Za-z0-9:_-]*="[^"<]*")*)\s*(/?)>)");
  size_t pos = 0;
  while ((pos = s.find('<', pos)) != std::string::npos) {
    std::smatch m;
    const std::string rest = s.substr(pos);
    if (!std::regex_search(rest, m, tag, std::regex_constants::match_continuous)) {
      why = "malformed tag at " + std::to_string(pos) + ": " + rest.substr(0, 60);
      return false;
    }
    if (m[1] == "/") {
      if (open.empty() || open.back() != m[2]) {
        why = "closing </" + m[2].str() + "> does not match";
        return false;
      }
      open.pop_back();
    } else if (m[4] != "/") {
      open.push_back(m[2]);
    }
    pos += m.length(0);
  }
  if (!open.empty()) why = "unclosed <" + open.back() + ">";
  return open.empty();
}

TEST(Png, DecodesToThePixelsWeDrew) {
  Image img(7, 5, Rgb{10, 20, 30});
  img.set(3, 2, Rgb{255, 0, 128});
  draw_text(img, 0, 0, "1", Rgb{0, 255, 0});
  const std::string path = test::fresh_temp_dir("png") + "/x.png";
  write_png(path, img);
  const Image back = read_png(path);
  ASSERT_EQ(back.width, 7);
  ASSERT_EQ(back.height, 5);
  EXPECT_EQ(back.rgb, img.rgb);
  EXPECT_EQ(back.get(3, 2).r, 255);
  EXPECT_THROW(read_png(path + ".missing"), std::runtime_error);
}

TEST(Grid, LaysOutImagesAtScale) {
  std::vector<std::vector<float>> imgs(3, std::vector<float>(4, 0.0f));
  imgs[1][3] = 1.0f;  // bottom-right pixel of the second 2x2 image is white
  Image g = image_grid(imgs, 2, 2, grid_options(2, "", {}, {}, 3));
  EXPECT_EQ(g.get(2 + 3 * 2 + 2 + 3 + 1, 2 + 3 + 1).r, 255);  // second cell, pixel (1, 1), inside the 3x3 block
  EXPECT_EQ(g.get(2 + 1, 2 + 1).r, 0);
}

TEST(Grid, ADividerSeparatesTheTwoHalves) {  // the per-class ranking: least likely | most likely
  std::vector<std::vector<float>> imgs(4, std::vector<float>(4, 0.0f));
  GridOptions o = grid_options(4, "", {}, {}, 1);
  const Image plain = image_grid(imgs, 2, 2, o);
  o.divider_after = 2;
  const Image divided = image_grid(imgs, 2, 2, o);
  EXPECT_GT(divided.width, plain.width);
  int red_columns = 0;
  for (int x = 0; x < divided.width; ++x) {
    const Rgb c = divided.get(x, divided.height / 2);
    red_columns += c.r > 150 && c.g < 100;
  }
  EXPECT_EQ(red_columns, 2);
  // between the second and the third image
  EXPECT_EQ(divided.get(2 + 2 * (2 + 2), divided.height / 2).r, 255);
}

TEST(Svg, PlotsAreWellFormedAndEscapeText) {
  std::string why;
  const std::string line = line_plot_svg({{"train <ELBO>", {1, 2, 3}, {-200, -150, -120}}, {"valid & more", {1, 2, 3}, {-190, NAN, -125}}},
                                         {"curves", "epoch", "ELBO"});
  EXPECT_TRUE(well_formed_xml(line, why)) << why;
  EXPECT_NE(line.find("train &lt;ELBO&gt;"), std::string::npos);
  const std::string scatter = scatter_svg({0, 1, 2}, {0, 1, 4}, {0, 1, 9}, {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}, {"t", "x", "y"});
  EXPECT_TRUE(well_formed_xml(scatter, why)) << why;
  EXPECT_FALSE(well_formed_xml("<svg><g></svg>", why));  // the checker itself can fail
}

// A long legend name gets room: its text starts far enough from the right edge for about 7 px per character
// (the anomaly report's t-SNE once cut "salt_and_pepper" to "salt_and_peppe").
TEST(Svg, LegendNamesAreNotClipped) {
  const std::string name = "salt and pepper with extra words";
  const std::string scatter = scatter_svg({0, 1}, {0, 1}, {0, 1}, {"normal", name}, {"t", "", ""}, 560, 520);
  const size_t at = scatter.find(">" + name + "<");
  ASSERT_NE(at, std::string::npos);
  const size_t x_at = scatter.rfind("<text x=\"", at) + 9;
  const double x = std::stod(scatter.substr(x_at));
  EXPECT_LE(x + 7.0 * double(name.size()), 560.0) << scatter.substr(scatter.rfind("<text", at), 80);
}

TEST(Svg, NiceTicksUseRoundSteps) {
  const std::vector<double> t = nice_ticks(-153.2, -98.7);
  ASSERT_GE(t.size(), 3u);
  const double step = t[1] - t[0];
  EXPECT_NEAR(step, 10.0, 1e-9);
  EXPECT_GE(t.front(), -153.2);
  EXPECT_LE(t.back(), -98.7);
}

// A range of a few units in the last place (values near 1e17) once made the tick loop spin forever.
TEST(Svg, NiceTicksEndOnRangesAtTheLimitOfDoublePrecision) {
  for (const auto& [lo, hi] : {std::pair{1e17, 1e17 + 16}, std::pair{1e17, std::nextafter(1e17, 1e18)}, std::pair{-1e300, 1e300},
                               std::pair{1.0, std::nextafter(1.0, 2.0)}}) {
    const std::vector<double> t = nice_ticks(lo, hi);
    EXPECT_LE(t.size(), 101u) << lo << " " << hi;
    for (double v : t) EXPECT_TRUE(std::isfinite(v));
  }
  EXPECT_FALSE(line_plot_svg({{"big", {1, 2, 3}, {1e17, 1e17 + 16, 1e17}}}, {"t", "x", "y"}).empty());
}

TEST(Report, HoldsFiguresTablesAndEscapedText) {
  Report r("VAE <test>");
  r.paragraph("a & b");
  r.figure("samples.png", "samples");
  r.table({"k", "v"}, {{"elbo", "-100"}});
  const std::string h = r.html();
  EXPECT_NE(h.find("VAE &lt;test&gt;"), std::string::npos);
  EXPECT_NE(h.find("a &amp; b"), std::string::npos);
  EXPECT_NE(h.find("<img src=\"samples.png\""), std::string::npos);
  EXPECT_NE(h.find("<td>-100</td>"), std::string::npos);
}

TEST(Tsne, PerplexityCalibrationHitsTheTargetEntropy) {
  Rng rng(1);
  std::vector<double> d(200), p(200);
  for (double& v : d) v = 10 * rng.uniform();
  for (double perplexity : {5.0, 30.0, 100.0}) {
    double beta = 0;
    const double h = calibrate_row(d.data(), 200, perplexity, p.data(), &beta);
    double entropy = 0, total = 0;
    for (double q : p) entropy -= q > 0 ? q * std::log(q) : 0, total += q;
    EXPECT_NEAR(total, 1.0, 1e-12);
    EXPECT_NEAR(entropy, std::log(perplexity), 1e-4) << perplexity;  // computed independently from p
    EXPECT_NEAR(h, entropy, 1e-6);
    EXPECT_GT(beta, 0);
  }
}

// Gaussian clusters in 20-D, 80 points each, centres 10 apart with unit noise.
std::vector<float> clusters(int k, int per, int dims, std::vector<int>& labels, double spread = 10) {
  Rng rng(7);
  std::vector<float> x;
  for (int c = 0; c < k; ++c)
    for (int i = 0; i < per; ++i) {
      for (int d = 0; d < dims; ++d) x.push_back(static_cast<float>((d % k == c ? spread : 0) + rng.normal()));
      labels.push_back(c);
    }
  return x;
}

TEST(Tsne, SeparatedClustersStaySeparated) {
  std::vector<int> labels;
  const std::vector<float> x = clusters(4, 80, 20, labels);
  const TsneResult r = tsne(x, 320, 20);
  EXPECT_GT(knn_accuracy(r.y, labels, 10), 0.99);
  EXPECT_GT(trustworthiness(x, 20, r.y, 10), 0.9);
}

TEST(Tsne, BarnesHutAgreesWithTheExactMethod) {
  std::vector<int> labels;
  const std::vector<float> x = clusters(3, 100, 10, labels, 4);
  TsneOptions o;
  o.perplexity = 20;
  o.iterations = 600;
  o.exact = true;
  const TsneResult exact = tsne(x, 300, 10, o);
  o.exact = false;
  const TsneResult bh = tsne(x, 300, 10, o);
  EXPECT_GT(exact.kl, 0);
  // Barnes-Hut keeps only 3 x perplexity neighbours and approximates far cells; the objective it reaches
  // must still be close to the exact method's.
  EXPECT_NEAR(bh.kl, exact.kl, 0.05 * exact.kl) << "exact " << exact.kl << ", Barnes-Hut " << bh.kl;
  EXPECT_GT(knn_accuracy(bh.y, labels, 10), 0.95);
}

TEST(Tsne, SameSeedAndThreadsRepeatExactly) {
  std::vector<int> labels;
  const std::vector<float> x = clusters(3, 60, 8, labels);
  TsneOptions o;
  o.iterations = 200;
  EXPECT_EQ(tsne(x, 180, 8, o).y, tsne(x, 180, 8, o).y);
}

TEST(Pca, FindsTheDominantAxis) {
  Rng rng(3);
  std::vector<float> x;
  for (int i = 0; i < 500; ++i) {
    const double t = 5 * rng.normal();  // variance 25 along (1, 1, 0)/sqrt(2), noise 0.01 elsewhere
    x.push_back(static_cast<float>(t / std::sqrt(2.0) + 0.1 * rng.normal()));
    x.push_back(static_cast<float>(t / std::sqrt(2.0) + 0.1 * rng.normal()));
    x.push_back(static_cast<float>(3 + 0.1 * rng.normal()));
  }
  const Pca p = fit_pca(x, 500, 3, 2);
  EXPECT_NEAR(std::abs(p.axes[0]), 1 / std::sqrt(2.0), 0.01);
  EXPECT_NEAR(std::abs(p.axes[2]), 0.0, 0.01);
  EXPECT_NEAR(p.variances[0], 25, 4);
  EXPECT_NEAR(p.mean[2], 3, 0.05);
  // Reconstruction from 2 components loses only the small noise.
  const std::vector<float> back = p.reconstruct(p.project(x, 500), 500);
  double err = 0;
  for (size_t i = 0; i < x.size(); ++i) err += (back[i] - x[i]) * (back[i] - x[i]);
  EXPECT_LT(err / 500, 0.05);
}

TEST(Quality, IdentityEmbeddingIsPerfectlyTrustworthyAndShuffledIsNot) {
  Rng rng(4);
  std::vector<float> x;
  std::vector<double> y, shuffled;
  std::vector<int> labels;
  for (int i = 0; i < 200; ++i) {
    const double a = rng.normal(), b = rng.normal();
    x.push_back(static_cast<float>(a)), x.push_back(static_cast<float>(b));
    y.push_back(a), y.push_back(b);
    labels.push_back(a > 0 ? 1 : 0);
  }
  EXPECT_NEAR(trustworthiness(x, 2, y, 10), 1.0, 1e-6);
  for (int i = 0; i < 200; ++i) shuffled.push_back(rng.normal()), shuffled.push_back(rng.normal());
  EXPECT_LT(trustworthiness(x, 2, shuffled, 10), 0.7);
  EXPECT_GT(knn_accuracy(y, labels, 10), 0.9);
  EXPECT_LT(knn_accuracy(shuffled, labels, 10), 0.7);
}

}  // namespace
}  // namespace tg::viz
