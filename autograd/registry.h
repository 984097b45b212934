// registry.h: the list of ops. Each op registers its name once (`register_op("exp")`) and gets an OpId;
// the tape only records OpIds, so an op that skipped registration cannot be recorded, and the gradient
// checks iterate all_ops(), so a registered op without a check fails `make test`. Read next: tape.h.
#pragma once
#include <string>
#include <vector>

namespace tg {

struct OpId {
  int index = -1;
  bool operator==(const OpId&) const = default;
};

/// Called from a namespace-scope `inline const OpId kName = register_op("name");` in an ops header,
/// during static initialisation. Throws if the name was registered twice.
OpId register_op(const char* name);
const std::vector<std::string>& all_ops();  // in registration order
const std::string& op_name(OpId id);
OpId find_op(const std::string& name);      // index -1 when unknown

}  // namespace tg
