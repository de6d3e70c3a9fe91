// SimulatorOptions: the presets and the one validation every host applies.

#include "sqsim/options.h"

#include "sqsim/iam.h"

#include "sim/validation.h"

namespace sqsim {
namespace {

Status InvalidOption(std::string what) {
  return Status(ErrorCode::kInvalidParameterValue, "invalid SimulatorOptions: " + what);
}

}  // namespace

SimulatorOptions SimulatorOptions::Exact(uint64_t seed) {
  SimulatorOptions options;
  options.seed = seed;
  options.realism.reorder_probability = 0;
  options.realism.short_poll_sampling = false;
  return options;
}

Status SimulatorOptions::Validate() const {
  if (!internal::IsValidAccountId(account_id)) {
    return InvalidOption("account_id must be 12 digits, got '" + account_id + "'");
  }
  if (region.empty()) return InvalidOption("region is empty");
  for (const auto& [alias, policy] : kms_keys) {
    if (!alias.starts_with("alias/") || alias.size() <= 6 || alias.starts_with("alias/aws/")) {
      return InvalidOption("kms_keys: '" + alias +
                           "' is not an alias of a customer managed key (alias/NAME)");
    }
    if (!policy.empty()) {
      Result<iam::PolicyDocument> parsed = iam::ParsePolicy(policy, iam::PolicyKind::kResource);
      if (!parsed.ok()) {
        return InvalidOption("kms_keys: the key policy of " + alias + ": " +
                             parsed.status().message());
      }
    }
  }
  for (const auto& [principal, policies] : identity_policies) {
    if (!principal.starts_with("arn:")) {
      return InvalidOption("identity policies need a principal ARN, got '" + principal + "'");
    }
    for (const auto& [name, json] : policies) {
      if (name.empty()) return InvalidOption("an identity policy of " + principal + " has no name");
      Result<iam::PolicyDocument> parsed = iam::ParsePolicy(json, iam::PolicyKind::kIdentity);
      if (!parsed.ok()) {
        return InvalidOption("identity policy '" + name + "' of " + principal + ": " +
                             parsed.status().message());
      }
    }
  }
  if (start_time < Timestamp{} || start_time > kLatestTime) {
    return InvalidOption("start_time must lie between 1970-01-01 and 9999-12-31T23:59:59Z");
  }
  if (!(realism.reorder_probability >= 0 && realism.reorder_probability <= 1)) {
    return InvalidOption("realism.reorder_probability must be in [0, 1]");
  }
  if (!(realism.server_sample_probability >= 0 && realism.server_sample_probability <= 1)) {
    return InvalidOption("realism.server_sample_probability must be in [0, 1]");
  }
  if (realism.servers < 1 || realism.servers > 32) {
    return InvalidOption("realism.servers must be in [1, 32]");
  }
  if (limits.max_inflight_standard < 1 || limits.max_inflight_fifo < 1) {
    return InvalidOption("limits.max_inflight_standard and max_inflight_fifo must be positive");
  }
  if (limits.max_stored_messages < 0 || limits.max_stored_bytes < 0 || limits.max_queues < 0) {
    return InvalidOption(
        "limits.max_stored_messages, max_stored_bytes and max_queues must be >= 0 (0: no limit)");
  }
  return Status::Ok();
}

}  // namespace sqsim
