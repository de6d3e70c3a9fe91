// SNS's request validation that needs no engine state: topic names, message
// attributes, message size, subjects, message structure, batch entry ids,
// FIFO ids, tags and phone numbers. Each check returns SNS's error (see
// topic_engine.h for which messages match AWS's recorded answers).

#ifndef SQSIM_SRC_SNS_SNS_VALIDATION_H_
#define SQSIM_SRC_SNS_SNS_VALIDATION_H_

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sqsim/sns/types.h"
#include "sqsim/status.h"

namespace sqsim::sns::internal {

// Publish's limit on the message plus its attributes (256 KiB), and
// PublishBatch's on all entries together.
inline constexpr size_t kMaxPublishBytes = 262144;
inline constexpr size_t kMaxBatchEntries = 10;
inline constexpr size_t kMaxBatchEntryIdLength = 80;
inline constexpr size_t kMaxTagsPerResource = 50;
inline constexpr size_t kMaxTopicNameLength = 256;
inline constexpr size_t kMaxFifoIdLength = 128;
inline constexpr size_t kMaxSubjectCharacters = 99;  // "less than 100 characters"

// 1 to 256 of [A-Za-z0-9_-]; a FIFO topic's name also ends in ".fifo" (which
// counts toward the 256), a standard topic's has no '.'.
bool IsValidTopicName(std::string_view name, bool fifo);

// Names, data types and values of Publish's MessageAttributes.
// `batch_position` (1-based) words the missing-DataType error as PublishBatch
// does. Errors: ParameterValueInvalid, or ValidationError for a missing type.
Status ValidateMessageAttributes(const MessageAttributeMap& attributes,
                                 std::optional<size_t> batch_position);

// What counts toward the 256 KiB: the message's bytes plus each attribute's
// name, DataType and value bytes.
size_t PublishSize(std::string_view message, const MessageAttributeMap& attributes);

// Empty, too long, or with line breaks or control characters:
// InvalidParameter "Invalid parameter: Subject".
Status ValidateSubject(std::string_view subject);

// For MessageStructure "json": the message must be a JSON object with a
// string "default"; returns its string-valued members by key ("default",
// "sqs", "lambda", ...), ignoring members of other types as SNS does.
Result<std::map<std::string, std::string>> ParseMessageStructure(std::string_view message);

// The content of a structured (or plain) message for one protocol: the
// protocol's own key when present, else "default".
std::string ContentForProtocol(const std::map<std::string, std::string>& structured,
                               std::string_view protocol);

// Entry ids: 1 to 80 of [A-Za-z0-9_-] (InvalidBatchEntryId), distinct
// (BatchEntryIdsNotDistinct).
Status ValidateBatchEntryIds(const std::vector<PublishBatchRequestEntry>& entries);

// MessageGroupId and MessageDeduplicationId: 1 to 128 characters, each
// alphanumeric or punctuation (`parameter` names which).
Status ValidateFifoId(std::string_view parameter, std::string_view value);

// Tag keys 1 to 128 characters, values up to 256, no key twice in one call.
Status ValidateTags(const std::vector<Tag>& tags);

// E.164: an optional '+', then 2 to 15 digits not starting with 0.
bool IsValidPhoneNumber(std::string_view number);

}  // namespace sqsim::sns::internal

#endif  // SQSIM_SRC_SNS_SNS_VALIDATION_H_
