#include <cinttypes>
#include <cstdio>
#include <utility>

#include "sqsim/kms.h"

namespace sqsim::kms {
namespace {

Status NotFound(const std::string& what) { return Status(ErrorCode::kKmsNotFound, what); }

Status InvalidValue(std::string message) {
  return Status(ErrorCode::kInvalidParameterValue, std::move(message));
}

// KMS's default key policy: the account's root may do everything, which
// delegates the decision to the identity policies of the account's
// principals (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).
std::string DefaultKeyPolicy(const std::string& account_id) {
  return R"({"Version": "2012-10-17", "Id": "key-default-1", "Statement": [{
    "Sid": "Enable IAM User Permissions", "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::)" +
         account_id + R"(:root"}, "Action": "kms:*", "Resource": "*"}]})";
}

// The policy of the AWS managed key aws/sqs: every principal of the account,
// through SQS only.
std::string SqsManagedKeyPolicy(const std::string& region, const std::string& account_id) {
  return R"({"Version": "2012-10-17", "Id": "auto-sqs-2", "Statement": [{
    "Sid": "Allow access through Simple Queue Service (SQS) for all principals in the account that are authorized to use SQS",
    "Effect": "Allow", "Principal": {"AWS": "*"},
    "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*",
               "kms:CreateGrant", "kms:DescribeKey"],
    "Resource": "*",
    "Condition": {"StringEquals": {"kms:CallerAccount": ")" +
         account_id + R"(", "kms:ViaService": "sqs.)" + region + R"(.amazonaws.com"}}}]})";
}

constexpr std::string_view kSqsManagedAlias = "alias/aws/sqs";

bool IsKnownUsage(const std::string& usage) {
  return usage == "ENCRYPT_DECRYPT" || usage == "SIGN_VERIFY" || usage == "GENERATE_VERIFY_MAC";
}

bool IsKnownSpec(const std::string& spec) {
  static constexpr std::string_view kSpecs[] = {"SYMMETRIC_DEFAULT",
                                                "RSA_2048",
                                                "RSA_3072",
                                                "RSA_4096",
                                                "ECC_NIST_P256",
                                                "ECC_NIST_P384",
                                                "ECC_NIST_P521",
                                                "ECC_SECG_P256K1",
                                                "HMAC_224",
                                                "HMAC_256",
                                                "HMAC_384",
                                                "HMAC_512",
                                                "SM2"};
  for (std::string_view s : kSpecs) {
    if (spec == s) return true;
  }
  return false;
}

}  // namespace

std::string_view KeyStateName(KeyState state) {
  switch (state) {
    case KeyState::kEnabled:
      return "Enabled";
    case KeyState::kDisabled:
      return "Disabled";
    case KeyState::kPendingDeletion:
      return "PendingDeletion";
  }
  return "Enabled";
}

KeyRegistry::KeyRegistry(std::string region, std::string account_id)
    : region_(std::move(region)), account_id_(std::move(account_id)) {}

std::string KeyRegistry::NewKeyId() {
  // Deterministic, and shaped like KMS's UUIDs: a counter spread by
  // SplitMix64, so that consecutive keys do not look alike.
  uint64_t x = next_key_++ * 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  x ^= x >> 31;
  char id[37];
  std::snprintf(id, sizeof id,
                "%08" PRIx32 "-%04" PRIx32 "-4%03" PRIx32 "-a%03" PRIx32 "-%012" PRIx64,
                static_cast<uint32_t>(x >> 32), static_cast<uint32_t>(x >> 16) & 0xffff,
                static_cast<uint32_t>(x >> 4) & 0xfff, static_cast<uint32_t>(x) & 0xfff,
                static_cast<uint64_t>((x * 0x2545f4914f6cdd1dull) & 0xffffffffffffull));
  return id;
}

std::string KeyRegistry::KeyArn(const std::string& key_id) const {
  return "arn:aws:kms:" + region_ + ":" + account_id_ + ":key/" + key_id;
}

std::string KeyRegistry::AliasArn(const std::string& alias) const {
  return "arn:aws:kms:" + region_ + ":" + account_id_ + ":" + alias;
}

KeyRegistry::Key* KeyRegistry::Resolve(const std::string& ref, Timestamp now) {
  std::string key_id;
  const std::string arn_prefix = "arn:aws:kms:" + region_ + ":" + account_id_ + ":";
  std::string_view name = ref;
  if (name.starts_with(arn_prefix)) name.remove_prefix(arn_prefix.size());
  if (name.starts_with("alias/")) {
    if (name == kSqsManagedAlias && !aliases_.contains(std::string(kSqsManagedAlias))) {
      // The AWS managed key comes into being when first used.
      Key key;
      key.metadata = {.key_id = NewKeyId(),
                      .description =
                          "Default key that protects my SQS messages when no other "
                          "key is defined",
                      .key_usage = "ENCRYPT_DECRYPT",
                      .key_spec = "SYMMETRIC_DEFAULT",
                      .aws_managed = true};
      key.metadata.arn = KeyArn(key.metadata.key_id);
      key.policy =
          iam::ParsePolicy(SqsManagedKeyPolicy(region_, account_id_), iam::PolicyKind::kResource)
              .value();
      aliases_[std::string(kSqsManagedAlias)] = key.metadata.key_id;
      keys_.emplace(key.metadata.key_id, std::move(key));
    }
    auto alias = aliases_.find(std::string(name));
    if (alias == aliases_.end()) return nullptr;
    key_id = alias->second;
  } else if (name.starts_with("key/")) {
    key_id = std::string(name.substr(4));
  } else if (name.size() == ref.size()) {
    key_id = ref;  // a bare key id
  } else {
    return nullptr;
  }
  auto it = keys_.find(key_id);
  if (it == keys_.end()) return nullptr;
  Key& key = it->second;
  if (key.metadata.state == KeyState::kPendingDeletion && key.metadata.deletion_date &&
      *key.metadata.deletion_date <= now) {
    // Deleted: the key and its aliases are gone.
    std::erase_if(aliases_, [&](const auto& entry) { return entry.second == key_id; });
    keys_.erase(it);
    return nullptr;
  }
  return &key;
}

Result<KeyRegistry::Key*> KeyRegistry::Require(const std::string& ref, Timestamp now) {
  if (Key* key = Resolve(ref, now)) return key;
  if (ref.find("alias/") != std::string::npos) {
    return NotFound("Alias '" + (ref.starts_with("arn:") ? ref : AliasArn(ref)) +
                    "' is not found.");
  }
  return NotFound("Key '" + (ref.starts_with("arn:") ? ref : KeyArn(ref)) + "' does not exist");
}

Result<KeyMetadata> KeyRegistry::CreateKey(const CreateKeyOptions& options, Timestamp now) {
  (void)now;
  if (!IsKnownUsage(options.key_usage)) {
    return InvalidValue("KeyUsage '" + options.key_usage + "' is not a KMS key usage");
  }
  if (!IsKnownSpec(options.key_spec)) {
    return InvalidValue("KeySpec '" + options.key_spec + "' is not a KMS key spec");
  }
  Result<iam::PolicyDocument> policy = iam::ParsePolicy(
      options.policy.value_or(DefaultKeyPolicy(account_id_)), iam::PolicyKind::kResource);
  if (!policy.ok()) return policy.status();
  Key key{.metadata = {.key_id = NewKeyId(),
                       .description = options.description,
                       .key_usage = options.key_usage,
                       .key_spec = options.key_spec},
          .policy = std::move(policy).value()};
  key.metadata.arn = KeyArn(key.metadata.key_id);
  KeyMetadata out = key.metadata;
  keys_.emplace(out.key_id, std::move(key));
  return out;
}

Status KeyRegistry::CreateAlias(const std::string& alias_name, const std::string& key) {
  if (!alias_name.starts_with("alias/") || alias_name.size() <= 6) {
    return InvalidValue(
        "Alias must start with the prefix \"alias/\". Please see "
        "https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html");
  }
  if (alias_name.starts_with("alias/aws/")) {
    return InvalidValue("Cannot create alias with prefix 'alias/aws/'");
  }
  if (aliases_.contains(alias_name)) {
    return InvalidValue("An alias with the name " + AliasArn(alias_name) + " already exists");
  }
  Result<Key*> target = Require(key, Timestamp::min());
  if (!target.ok()) return target.status();
  aliases_[alias_name] = (*target)->metadata.key_id;
  return Status::Ok();
}

Status KeyRegistry::DeleteAlias(const std::string& alias_name) {
  if (aliases_.erase(alias_name) == 0) {
    return NotFound("Alias '" + AliasArn(alias_name) + "' is not found.");
  }
  return Status::Ok();
}

Status KeyRegistry::EnableKey(const std::string& key) {
  Result<Key*> found = Require(key, Timestamp::min());
  if (!found.ok()) return found.status();
  KeyMetadata& m = (*found)->metadata;
  if (m.state == KeyState::kPendingDeletion) {
    return Status(ErrorCode::kKmsInvalidState, m.arn + " is pending deletion.");
  }
  m.state = KeyState::kEnabled;
  return Status::Ok();
}

Status KeyRegistry::DisableKey(const std::string& key) {
  Result<Key*> found = Require(key, Timestamp::min());
  if (!found.ok()) return found.status();
  KeyMetadata& m = (*found)->metadata;
  if (m.state == KeyState::kPendingDeletion) {
    return Status(ErrorCode::kKmsInvalidState, m.arn + " is pending deletion.");
  }
  m.state = KeyState::kDisabled;
  return Status::Ok();
}

Result<Timestamp> KeyRegistry::ScheduleKeyDeletion(const std::string& key, int pending_window_days,
                                                   Timestamp now) {
  if (pending_window_days < 7 || pending_window_days > 30) {
    return InvalidValue("PendingWindowInDays must be between 7 and 30, got " +
                        std::to_string(pending_window_days));
  }
  Result<Key*> found = Require(key, now);
  if (!found.ok()) return found.status();
  KeyMetadata& m = (*found)->metadata;
  if (m.aws_managed) {
    return Status(ErrorCode::kKmsInvalidState,
                  m.arn + " is an AWS managed key, which cannot be scheduled for deletion.");
  }
  if (m.state == KeyState::kPendingDeletion) {
    return Status(ErrorCode::kKmsInvalidState, m.arn + " is pending deletion.");
  }
  m.state = KeyState::kPendingDeletion;
  m.deletion_date = now + std::chrono::hours(24 * pending_window_days);
  return *m.deletion_date;
}

Status KeyRegistry::CancelKeyDeletion(const std::string& key) {
  Result<Key*> found = Require(key, Timestamp::min());
  if (!found.ok()) return found.status();
  KeyMetadata& m = (*found)->metadata;
  if (m.state != KeyState::kPendingDeletion) {
    return Status(ErrorCode::kKmsInvalidState, m.arn + " is not pending deletion.");
  }
  m.state = KeyState::kDisabled;
  m.deletion_date.reset();
  return Status::Ok();
}

Status KeyRegistry::PutKeyPolicy(const std::string& key, std::string_view policy_json) {
  Result<Key*> found = Require(key, Timestamp::min());
  if (!found.ok()) return found.status();
  Result<iam::PolicyDocument> policy = iam::ParsePolicy(policy_json, iam::PolicyKind::kResource);
  if (!policy.ok()) return policy.status();
  (*found)->policy = std::move(policy).value();
  return Status::Ok();
}

Result<KeyMetadata> KeyRegistry::DescribeKey(const std::string& key, Timestamp now) {
  Result<Key*> found = Require(key, now);
  if (!found.ok()) return found.status();
  return (*found)->metadata;
}

Status KeyRegistry::RequestDataKey(const std::string& key, const std::string& queue_arn,
                                   DataKeyUse use, const iam::Caller* caller,
                                   std::span<const iam::NamedPolicy> identity_policies,
                                   Timestamp now) {
  Result<Key*> found = Require(key, now);
  if (!found.ok()) return found.status();
  Key& k = **found;
  ++requests_[k.metadata.arn];
  switch (k.metadata.state) {
    case KeyState::kEnabled:
      break;
    case KeyState::kDisabled:
      return Status(ErrorCode::kKmsDisabled, k.metadata.arn + " is disabled.");
    case KeyState::kPendingDeletion:
      return Status(ErrorCode::kKmsInvalidState, k.metadata.arn + " is pending deletion.");
  }
  if (k.metadata.key_usage != "ENCRYPT_DECRYPT" || k.metadata.key_spec != "SYMMETRIC_DEFAULT") {
    return Status(ErrorCode::kKmsInvalidKeyUsage,
                  k.metadata.arn + " key usage is " + k.metadata.key_usage + " (" +
                      k.metadata.key_spec + "), which is not valid for " +
                      (use == DataKeyUse::kGenerateDataKey ? "GenerateDataKey." : "Decrypt."));
  }
  if (caller == nullptr) return Status::Ok();
  const std::string action =
      use == DataKeyUse::kGenerateDataKey ? "kms:GenerateDataKey" : "kms:Decrypt";
  iam::Request request{.principal = caller->principal,
                       .action = action,
                       .resource_arn = k.metadata.arn,
                       .context = caller->context};
  request.context.current_time = now;
  request.context.region = region_;
  request.context.other_keys["kms:ViaService"] = {"sqs." + region_ + ".amazonaws.com"};
  request.context.other_keys["kms:EncryptionContext:aws:sqs:arn"] = {queue_arn};
  if (std::string account = caller->principal.account(); !account.empty()) {
    request.context.other_keys["kms:CallerAccount"] = {account};
  }
  iam::Explanation decision = iam::Explain(request, identity_policies, &k.policy);
  if (decision.allowed()) return Status::Ok();
  return Status(ErrorCode::kKmsAccessDenied, std::move(decision.message));
}

}  // namespace sqsim::kms
