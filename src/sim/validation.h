// Validation of request parameters against SQS's documented rules, returning
// SQS's own error code and message. Pure functions; no queue state.
// Rules: AWS "Amazon SQS quotas" (sqs-limits.html), "Message metadata for
// Amazon SQS" (sqs-message-metadata.html) and the API Reference page of each
// action. AWS does not document the error messages; they follow AWS answers
// recorded by LocalStack's AWS-validated tests where known.

#ifndef SQSIM_SIM_VALIDATION_H_
#define SQSIM_SIM_VALIDATION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sqsim/status.h"
#include "sqsim/types.h"

namespace sqsim::internal {

// 1..80 characters of [A-Za-z0-9_-], where a final ".fifo" is allowed and
// counts towards the 80. At least one character must precede ".fifo".
bool IsValidQueueName(std::string_view name);

// True when `text` is valid UTF-8 and every code point is one SQS allows in a
// message: #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF.
bool IsAllowedMessageText(std::string_view text);

// The size SQS counts against MaximumMessageSize: UTF-8 bytes of the body
// plus, for every user attribute, the bytes of its name, DataType and value.
// The value is the member the DataType calls for (binary_value for Binary
// types, string_value otherwise), as in Md5OfMessageAttributes.
size_t MessageSize(std::string_view body, const MessageAttributeMap& attributes);

// Validates user message attributes. Returns OK or InvalidParameterValue
// with a message naming the attribute:
//  - more than 10 attributes: "Number of message attributes [11] exceeds the
//    allowed maximum [10]."
//  - name empty, > 256 bytes, characters outside letters and decimal digits
//    of any script (Unicode L* and Nd, as Java's Character.isLetterOrDigit;
//    AWS accepts "attr.1øßä" and rejects "§"), '_', '-', '.', starting with "AWS."
//    or "Amazon." (any case), starting or ending with '.', or containing
//    "..": "Message (user) attribute name '<name>' is invalid. <Reason>",
//    where <Reason>, checked in this order, is one of
//      "The name must be 1 to 256 bytes long."
//      "The name can contain only letters, digits, underscores (_), hyphens
//       (-) and periods (.)." (also for invalid UTF-8)
//      "The name must not start with 'AWS.' or 'Amazon.' (in any casing)."
//      "The name must not start or end with a period (.) or contain two
//       successive periods."
//  - DataType empty, > 256 bytes, or not String|Number|Binary optionally
//    followed by '.' and a non-empty label: "The type of message (user)
//    attribute '<name>' is invalid. You must use only the following supported
//    type prefixes: Binary, Number, String."
//  - String/Number types without string_value, or with an empty one:
//    "Message (user) attribute '<name>' must contain a non-empty value of
//    type 'String'." (Number: "... of type 'Number'.")
//  - String value with characters outside IsAllowedMessageText: "Message
//    (user) attribute '<name>' contains invalid characters." (also
//    InvalidParameterValue: the body has InvalidMessageContents, attributes
//    are parameters).
//  - Number value that is not a decimal number (optional sign, digits,
//    optional fraction, optional exponent), or has more than 38 significant
//    digits: "Could not parse message (user) attribute '<name>' as a number."
//    Grammar: [+-]? [0-9]+ ('.' [0-9]+)? ([eE] [+-]? [0-9]+)?, so ".5" and
//    "5." are rejected. Significant digits are those of the integer and
//    fraction parts without leading and trailing zeros (SQS stores numbers
//    normalised); the magnitude range is not checked.
//  - Binary type without binary_value or with an empty one: "Message (user)
//    attribute '<name>' must contain a non-empty value of type 'Binary'."
//  - any string_list_values / binary_list_values: "Message (user) attribute
//    '<name>': list values are not supported."
// Attributes are checked in name order and the first failure is returned; per
// attribute the order is name, DataType, list values, then the value.
Status ValidateMessageAttributes(const MessageAttributeMap& attributes);

// Validates `MessageSystemAttributes` on send: only "AWSTraceHeader" with
// DataType "String" and a non-empty value. Otherwise InvalidParameterValue
// ("Message system attribute name '<name>' is invalid." /
// "Message system attribute '<name>' must have DataType String."). A trace
// header with list values, a missing or empty value, or characters outside
// IsAllowedMessageText gets, in that order, "Message system attribute
// '<name>': list values are not supported." / "... must contain a non-empty
// value of type 'String'." / "... contains invalid characters.".
Status ValidateMessageSystemAttributes(const MessageAttributeMap& attributes);

// A batch entry Id: 1..80 characters of [A-Za-z0-9_-].
bool IsValidBatchEntryId(std::string_view id);

// MessageGroupId, MessageDeduplicationId, ReceiveRequestAttemptId: 1..128
// characters, each an ASCII letter, digit or punctuation (0x21..0x7E).
bool IsValidGroupOrDedupId(std::string_view id);

// AddPermission label: 1..80 characters of [A-Za-z0-9_-].
bool IsValidPermissionLabel(std::string_view label);

// A 12-digit AWS account id.
bool IsValidAccountId(std::string_view id);

// Tag rules: key 1..128 characters, value 0..256 characters (counted in code
// points); characters are Unicode letters, numbers and separators (\p{L},
// \p{N}, \p{Z}) and `_ . : / = + - @`; keys must not start with "aws:" (any
// case).
// InvalidParameterValue with "Tag key '<k>' is invalid." / "Tag value for key
// '<k>' is invalid." / "Tag keys starting with 'aws:' are reserved.".
// The only ASCII whitespace accepted is the space (\p{Z} excludes tabs and
// line breaks). Invalid UTF-8 is an invalid key or value. Per tag the key's
// characters and length are checked before the reserved prefix.
Status ValidateTags(const TagMap& tags);
// Same key rules for UntagQueue's TagKeys.
Status ValidateTagKeys(const std::vector<std::string>& keys);

// A strict decimal integer: optional '-', 1..18 digits, nothing else. Leading
// zeros are accepted ("007" -> 7); 18 digits always fit in int64_t.
std::optional<int64_t> ParseInteger(std::string_view text);

}  // namespace sqsim::internal

#endif  // SQSIM_SIM_VALIDATION_H_
