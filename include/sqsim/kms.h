// KMS keys behind SSE-KMS queues: a key registry in the simulator, and how
// SQS uses a queue's key.
//
// A queue with KmsMasterKeyId encrypts with a data key that SQS gets from KMS
// (GenerateDataKey on a send, Decrypt on a receive) and reuses for
// KmsDataKeyReusePeriodSeconds per queue, principal and direction
// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html).
// The simulator does the same: a send, or a receive that has messages to
// deliver, asks the registry only when no data key for (queue, principal,
// direction) is cached, and that request is where the key's problems show,
// as SQS's Kms* errors
// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html#API_SendMessage_Errors):
//
//   the key (id, ARN, alias or alias ARN) does not exist  KmsNotFound (400)
//   the key is disabled                                   KmsDisabled (400)
//   the key is pending deletion                           KmsInvalidState (400)
//   the key is not a symmetric encryption key             KmsInvalidKeyUsage (400)
//   the key policy does not let the caller use it         KmsAccessDenied (400)
//   a kKmsThrottle fault fires (sqsim/fault.h)            KmsThrottled (400)
//
// A cached data key keeps working until its reuse period ends, also after
// the key was disabled, as with SQS. Only calls made as a principal
// (Simulator::ClientFor, sqsim-server's mapped access keys) are checked
// against the key policy and the principal's identity policies, by IAM's
// evaluation logic with the key policy as the resource policy; the
// simulator's own calls are checked for the key's existence and state only.
// The AWS managed key alias/aws/sqs exists from its first use, enabled, with
// a policy that lets every principal of the account use it through SQS.
//
// Requests() counts the data-key requests, per key, for cost estimates
// (KMS bills each one).
//
// Thread safety: none; belongs to its simulator's thread.

#ifndef SQSIM_KMS_H_
#define SQSIM_KMS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

#include "sqsim/iam.h"
#include "sqsim/status.h"
#include "sqsim/types.h"

namespace sqsim::kms {

enum class KeyState { kEnabled, kDisabled, kPendingDeletion };
std::string_view KeyStateName(KeyState state);  // "Enabled", "Disabled", "PendingDeletion"

struct CreateKeyOptions {
  std::string description = {};
  // The key policy (JSON). Default: KMS's default key policy, which lets the
  // account's root, and so every principal of the account whose identity
  // policies allow it, use the key.
  std::optional<std::string> policy = std::nullopt;
  // KMS's KeyUsage: "ENCRYPT_DECRYPT" (default), "SIGN_VERIFY",
  // "GENERATE_VERIFY_MAC". SQS needs ENCRYPT_DECRYPT with SYMMETRIC_DEFAULT.
  std::string key_usage = "ENCRYPT_DECRYPT";
  // KMS's KeySpec: "SYMMETRIC_DEFAULT" (default), "RSA_2048", ...
  std::string key_spec = "SYMMETRIC_DEFAULT";
};

struct KeyMetadata {
  std::string key_id = {};  // a UUID
  std::string arn = {};     // arn:aws:kms:REGION:ACCOUNT:key/KEY_ID
  KeyState state = KeyState::kEnabled;
  std::string description = {};
  std::string key_usage = {};
  std::string key_spec = {};
  bool aws_managed = false;  // alias/aws/sqs
  std::optional<Timestamp> deletion_date = std::nullopt;
};

// What a data-key request is for.
enum class DataKeyUse { kGenerateDataKey, kDecrypt };

class KeyRegistry {
 public:
  KeyRegistry(std::string region, std::string account_id);

  // ---- Managing keys (what a test sets up; KMS's own API) ----------------

  // A new customer managed key, enabled. Errors: InvalidParameterValue for an
  // unknown key usage or spec, a policy that is not a valid resource policy
  // (iam::ParsePolicy's error otherwise).
  Result<KeyMetadata> CreateKey(const CreateKeyOptions& options, Timestamp now);
  // Points `alias_name` ("alias/orders-key") at a key. Errors:
  // InvalidParameterValue for a name without "alias/", or under the reserved
  // "alias/aws/"; an alias that exists already; KmsNotFound for the key.
  Status CreateAlias(const std::string& alias_name, const std::string& key);
  Status DeleteAlias(const std::string& alias_name);
  // Errors: KmsNotFound; KmsInvalidState for a key pending deletion.
  Status EnableKey(const std::string& key);
  Status DisableKey(const std::string& key);
  // Schedules deletion after `pending_window_days` (7 to 30, KMS's range);
  // the key is PendingDeletion until then and gone after. Returns the
  // deletion date. Errors: InvalidParameterValue for the window, KmsNotFound,
  // KmsInvalidState for an AWS managed key or one already pending deletion.
  Result<Timestamp> ScheduleKeyDeletion(const std::string& key, int pending_window_days,
                                        Timestamp now);
  // Back to Disabled, as KMS does. Errors: KmsNotFound, KmsInvalidState when
  // not pending deletion.
  Status CancelKeyDeletion(const std::string& key);
  // Replaces the key policy. Errors: KmsNotFound, iam::ParsePolicy's error.
  Status PutKeyPolicy(const std::string& key, std::string_view policy_json);
  // The key `key` names (key id, key ARN, alias name or alias ARN) as of
  // `now`. Errors: KmsNotFound.
  Result<KeyMetadata> DescribeKey(const std::string& key, Timestamp now);

  // ---- SQS's use ---------------------------------------------------------

  // One data-key request by SQS for queue `queue_arn` whose KmsMasterKeyId
  // is `key`, on behalf of `caller` (nullptr: the simulator itself),
  // deciding the key policy with `identity_policies` (the caller's). OK, or
  // the Kms* error SQS returns. Counted in Requests() when it reaches a key.
  Status RequestDataKey(const std::string& key, const std::string& queue_arn, DataKeyUse use,
                        const iam::Caller* caller,
                        std::span<const iam::NamedPolicy> identity_policies, Timestamp now);

  // Data-key requests made so far, by key ARN.
  const std::map<std::string, int64_t>& Requests() const { return requests_; }

 private:
  struct Key {
    KeyMetadata metadata;
    iam::PolicyDocument policy;
  };
  // The key `ref` names, with deletions due by `now` carried out; nullptr
  // when none. Creates alias/aws/sqs on first use.
  Key* Resolve(const std::string& ref, Timestamp now);
  Result<Key*> Require(const std::string& ref, Timestamp now);
  std::string NewKeyId();
  std::string KeyArn(const std::string& key_id) const;
  std::string AliasArn(const std::string& alias) const;

  std::string region_;
  std::string account_id_;
  uint64_t next_key_ = 1;
  std::map<std::string, Key> keys_;             // by key id
  std::map<std::string, std::string> aliases_;  // alias name -> key id
  std::map<std::string, int64_t> requests_;     // key ARN -> data-key requests
};

}  // namespace sqsim::kms

#endif  // SQSIM_KMS_H_
