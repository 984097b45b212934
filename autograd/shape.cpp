// shape.cpp: Shape's constructor, printing and the broadcasting rule. Read next: tensor.h.
#include "autograd/shape.h"

#include "autograd/check.h"

namespace tg {

Shape::Shape(std::initializer_list<int64_t> d) {
  require(d.size() <= kMaxRank, "Shape: rank {} requested, at most {} is supported", d.size(), kMaxRank);
  for (int64_t n : d) {
    require(n >= 0, "Shape: negative dimension {}", n);
    dims[rank++] = n;
  }
}

bool Shape::operator==(const Shape& o) const {
  if (rank != o.rank) return false;
  for (int i = 0; i < rank; ++i)
    if (dims[i] != o.dims[i]) return false;
  return true;
}

std::string to_string(const Shape& s) {
  if (s.rank == 0) return "()";
  if (s.rank == 1) return fmt::format("({})", s.dims[0]);
  return fmt::format("({}, {})", s.dims[0], s.dims[1]);
}

Shape broadcast_shape(const Shape& a, const Shape& b, const char* op) {
  if (a == b) return a;
  Shape out;
  out.rank = a.rank > b.rank ? a.rank : b.rank;
  for (int i = 0; i < out.rank; ++i) {  // i counts from the right
    int64_t da = i < a.rank ? a.dims[a.rank - 1 - i] : 1;
    int64_t db = i < b.rank ? b.dims[b.rank - 1 - i] : 1;
    require(da == db || da == 1 || db == 1,
            "{}: shapes do not broadcast — got {} and {}, expected each dimension equal or 1 (aligned right)",
            op, to_string(a), to_string(b));
    out.dims[out.rank - 1 - i] = da == 1 ? db : da;
  }
  return out;
}

}  // namespace tg
