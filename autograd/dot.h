// dot.h: a tape as a Graphviz DOT graph, to see what was recorded: one box per leaf (an input or a parameter,
// labelled with the name you give it, its shape and its value if it is one number), one ellipse per recorded op,
// and the arrows of the forward pass. Render it with Debian's graphviz: `dot -Tsvg tape.dot -o tape.svg`.
// Read next: docs/learn/03_the_tape.md.
#pragma once
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "autograd/tape.h"

namespace tg {

template <typename T>
std::string to_dot(const Tape<T>& tape, const std::vector<std::pair<std::string, Var<T>>>& names = {}) {
  auto describe = [](const Var<T>& v) {
    return v.value().numel() == 1 ? fmt::format("{:.4g}", v.value()[0]) : fmt::format("shape {}", to_string(v.shape()));
  };
  std::map<const void*, std::string> produced_by;  // a value -> the op node that made it
  std::map<const void*, std::string> leaves;       // a value no recorded op made -> its box
  std::string out = "digraph tape {\n  rankdir=LR;\n  node [fontname=\"sans-serif\", fontsize=11];\n";
  const auto& nodes = tape.nodes();
  for (size_t i = 0; i < nodes.size(); ++i) {
    const std::string id = fmt::format("op{}", i);
    out += fmt::format("  {} [shape=ellipse, label=\"{}: {}\\n= {}\"];\n", id, i, op_name(nodes[i].op), describe(nodes[i].output));
    for (const Var<T>& x : nodes[i].inputs) {
      std::string from;
      if (auto it = produced_by.find(x.id()); it != produced_by.end()) {
        from = it->second;
      } else if (auto leaf = leaves.find(x.id()); leaf != leaves.end()) {
        from = leaf->second;
      } else {
        from = fmt::format("leaf{}", leaves.size());
        leaves[x.id()] = from;
        std::string name;
        for (const auto& [n, v] : names)
          if (v.same(x)) name = n + "\\n";
        out += fmt::format("  {} [shape=box, label=\"{}{}\"{}];\n", from, name, describe(x),
                           x.requires_grad() ? "" : ", style=dashed");
      }
      out += fmt::format("  {} -> {};\n", from, id);
    }
    produced_by[nodes[i].output.id()] = id;
  }
  return out + "}\n";
}

}  // namespace tg
