// tsne_cache.h: a t-SNE embedding kept on disk, for inputs that do not depend on the model (the raw test
// pixels), so that each run of the study does not spend a minute recomputing the same picture.
// An entry is keyed by everything that determines its content: the caller's key (the data's content hash and
// binarisation) and every t-SNE option; its file repeats the full key in its first line. On reading, the key
// line, the row count and every value are checked; an entry that fails is recomputed, with a line saying why.
// Entries are written atomically under unique temporary names, so runs sharing a cache never see half a file.
// Read next: tsne.h.
#pragma once
#include <string>
#include <vector>

#include "analysis/tsne.h"

namespace tg::analysis {

/// tsne(x, opt).y, from `cache_dir` when a valid entry for (key, opt) is there, else computed and stored.
std::vector<double> cached_tsne(const std::string& cache_dir, const std::string& key, const Tensor<float>& x, const TsneOptions& opt);

}  // namespace tg::analysis
