// image.h: an RGB image in memory, PNG write/read through libpng, and text drawn with a tiny built-in 5x7
// bitmap font (digits, letters, a few symbols: enough for labels and captions on digit grids).
// Read next: grid.h.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace tg::viz {

struct Rgb {
  uint8_t r = 0, g = 0, b = 0;
};

struct Image {
  int width = 0, height = 0;
  std::vector<uint8_t> rgb;  // height x width x 3
  Image() = default;
  Image(int w, int h, Rgb fill = {255, 255, 255});
  void set(int x, int y, Rgb c);
  Rgb get(int x, int y) const;
};

/// Writes an 8-bit RGB PNG atomically (temporary file, then rename). Throws naming the path on failure.
void write_png(const std::string& path, const Image& image);
/// Reads any 8-bit PNG libpng understands, converted to RGB (used by tests to check what we wrote).
Image read_png(const std::string& path);

/// Draws text with its top-left corner at (x, y); each glyph is 5x7 pixels times `scale`, 6 x scale apart.
void draw_text(Image& image, int x, int y, const std::string& text, Rgb color, int scale = 1);
int text_width(const std::string& text, int scale = 1);

}  // namespace tg::viz
