// corruptions.h: artificial anomalies made from normal digits, each a named, seeded transformation of an
// h x w byte image (any size): Gaussian noise, salt-and-pepper, an occluding block, inversion, rotation by 90 degrees,
// and two digits overlaid. Read next: one_class_svm.h.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "autograd/rng.h"

namespace tg::analysis {

enum class Corruption { GaussianNoise, SaltAndPepper, Occlusion, Inversion, Rotation90, Overlay };

const std::vector<Corruption>& all_corruptions();
std::string corruption_name(Corruption c);  // "gaussian_noise", ...

/// Corrupts img (h x w bytes) in place. `other` is a second image, used only by Overlay.
void corrupt(Corruption c, uint8_t* img, int h, int w, const uint8_t* other, Rng& rng);

}  // namespace tg::analysis
