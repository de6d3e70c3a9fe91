#include "sns/policy_limits.h"

#include <algorithm>

namespace sqsim::sns::internal {

namespace {

// Far above the limit of 150 and far from overflow.
constexpr uint64_t kSaturated = uint64_t{1} << 40;

uint64_t Multiply(uint64_t a, uint64_t b) {
  if (a != 0 && b > kSaturated / a) return kSaturated;
  return std::min(a * b, kSaturated);
}

// Walks one object at nesting `depth` (1 at the top), carrying the product
// of everything before it, as the recorded $or answers require.
uint64_t Walk(const JsonNode& object, uint64_t depth, uint64_t combinations) {
  for (size_t i = 0; i < object.keys.size(); ++i) {
    const JsonNode& value = object.values[i];
    if (value.type == JsonNode::Type::kObject) {
      combinations = Walk(value, depth + 1, combinations);
    } else if (object.keys[i] == "$or") {
      uint64_t sum = 0;
      for (const JsonNode& alternative : value.values) {
        sum = std::min(sum + Walk(alternative, depth, combinations), kSaturated);
      }
      combinations = sum;
    } else {
      combinations = Multiply(combinations, Multiply(value.values.size(), depth));
    }
  }
  return combinations;
}

}  // namespace

int TopLevelKeyCount(const JsonNode& policy) { return static_cast<int>(policy.keys.size()); }

bool HasNestedKey(const JsonNode& policy) {
  for (size_t i = 0; i < policy.keys.size(); ++i) {
    const JsonNode& value = policy.values[i];
    if (policy.keys[i] == "$or") {
      for (const JsonNode& alternative : value.values) {
        if (HasNestedKey(alternative)) return true;
      }
    } else if (value.type == JsonNode::Type::kObject) {
      return true;
    }
  }
  return false;
}

uint64_t Combinations(const JsonNode& policy) { return Walk(policy, 1, 1); }

}  // namespace sqsim::sns::internal
