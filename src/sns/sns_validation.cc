#include "sns/sns_validation.h"

#include <nlohmann/json.hpp>

#include <set>

#include "sns/sns_text.h"

namespace sqsim::sns::internal {
namespace {

bool IsNameCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

Status ParameterValueInvalid(std::string message) {
  return Status(ErrorCode::kParameterValueInvalid, std::move(message));
}

// Counts UTF-8 code points (continuation bytes are not counted).
size_t CodePoints(std::string_view text) {
  size_t count = 0;
  for (const char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

Status ValidateAttributeName(std::string_view name) {
  // AWS's recorded answers, in the order SNS checks.
  if (name.size() > 256) {
    return ParameterValueInvalid("Length of message attribute name must be less than 256 bytes.");
  }
  if (name.empty()) {
    // Not recorded: botocore refuses an empty map key before SNS sees it.
    return ParameterValueInvalid("Message attribute name can not be empty.");
  }
  if (name.front() == '.') {
    return ParameterValueInvalid(
        "Invalid message attribute name starting with character '.' was found.");
  }
  if (name.back() == '.') {
    return ParameterValueInvalid(
        "Invalid message attribute name ending with character '.' was found.");
  }
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (c == '.' && name[i + 1] == '.') {
      return ParameterValueInvalid("Message attribute name can not have successive '.' character.");
    }
    if (!IsNameCharacter(c) && c != '.') {
      // SNS names the character by its code point in XML's "#x5E" form.
      static constexpr char kHex[] = "0123456789ABCDEF";
      const auto byte = static_cast<unsigned char>(c);
      std::string code = "#x";
      code.push_back(kHex[byte >> 4]);
      code.push_back(kHex[byte & 0x0F]);
      return ParameterValueInvalid(
          "Invalid non-alphanumeric character '" + code +
          "' was found in the message attribute name. Can only include alphanumeric characters, "
          "hyphens, underscores, or dots.");
    }
  }
  return Status::Ok();
}

bool HasTypePrefix(std::string_view data_type, std::string_view prefix) {
  if (data_type == prefix) return true;
  return data_type.size() > prefix.size() + 1 && data_type.substr(0, prefix.size()) == prefix &&
         data_type[prefix.size()] == '.';
}

}  // namespace

bool IsValidTopicName(std::string_view name, bool fifo) {
  if (name.empty() || name.size() > kMaxTopicNameLength) return false;
  std::string_view base = name;
  if (fifo) {
    constexpr std::string_view kSuffix = ".fifo";
    if (name.size() <= kSuffix.size() || name.substr(name.size() - kSuffix.size()) != kSuffix) {
      return false;
    }
    base = name.substr(0, name.size() - kSuffix.size());
  }
  for (const char c : base) {
    if (!IsNameCharacter(c)) return false;
  }
  return true;
}

Status ValidateMessageAttributes(const MessageAttributeMap& attributes,
                                 std::optional<size_t> batch_position) {
  for (const auto& [name, value] : attributes) {
    if (Status status = ValidateAttributeName(name); !status.ok()) return status;
    if (value.data_type.empty()) {
      const std::string at = batch_position
                                 ? "publishBatchRequestEntries." + std::to_string(*batch_position) +
                                       ".member.messageAttributes." + name + ".member.dataType"
                                 : "messageAttributes." + name + ".member.dataType";
      return Status(ErrorCode::kValidationError, "1 validation error detected: Value null at '" +
                                                     at +
                                                     "' failed to satisfy constraint: Member "
                                                     "must not be null");
    }
    const std::string& type = value.data_type;
    if (!HasTypePrefix(type, "String") && !HasTypePrefix(type, "Number") &&
        !HasTypePrefix(type, "Binary")) {
      return ParameterValueInvalid("The message attribute '" + name +
                                   "' has an invalid message attribute type, the set of supported "
                                   "type prefixes is Binary, Number, and String.");
    }
    const std::string empty_value = "The message attribute '" + name +
                                    "' must contain non-empty message attribute value for message "
                                    "attribute type '" +
                                    type + "'.";
    if (!value.string_value && !value.binary_value) return ParameterValueInvalid(empty_value);
    const bool binary = HasTypePrefix(type, "Binary");
    const std::optional<std::string>& member = binary ? value.binary_value : value.string_value;
    if (!member) {
      return ParameterValueInvalid("The message attribute '" + name + "' with type '" + type +
                                   "' must use field '" + (binary ? "Binary" : "String") + "'.");
    }
    if (member->empty()) return ParameterValueInvalid(empty_value);
  }
  return Status::Ok();
}

size_t PublishSize(std::string_view message, const MessageAttributeMap& attributes) {
  size_t size = message.size();
  for (const auto& [name, value] : attributes) {
    size += name.size() + value.data_type.size();
    if (value.string_value) size += value.string_value->size();
    if (value.binary_value) size += value.binary_value->size();
  }
  return size;
}

Status ValidateSubject(std::string_view subject) {
  bool valid = !subject.empty() && CodePoints(subject) <= kMaxSubjectCharacters;
  for (const char c : subject) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) valid = false;
  }
  return valid ? Status::Ok() : InvalidParameter("Subject");
}

Result<std::map<std::string, std::string>> ParseMessageStructure(std::string_view message) {
  const nlohmann::json json = nlohmann::json::parse(message, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) {
    return InvalidParameter("Message Structure - JSON message body failed to parse");
  }
  std::map<std::string, std::string> contents;
  for (const auto& [key, value] : json.items()) {
    if (value.is_string()) contents[key] = value.get<std::string>();
  }
  if (!contents.contains("default")) {
    return InvalidParameter("Message Structure - No default entry in JSON message body");
  }
  return contents;
}

std::string ContentForProtocol(const std::map<std::string, std::string>& structured,
                               std::string_view protocol) {
  const auto own = structured.find(std::string(protocol));
  if (own != structured.end()) return own->second;
  const auto fallback = structured.find("default");
  return fallback == structured.end() ? std::string() : fallback->second;
}

Status ValidateBatchEntryIds(const std::vector<PublishBatchRequestEntry>& entries) {
  std::set<std::string_view> seen;
  for (const PublishBatchRequestEntry& entry : entries) {
    if (!seen.insert(entry.id).second) {
      return Status(ErrorCode::kBatchEntryIdsNotDistinct,
                    "Two or more batch entries in the request have the same Id.");
    }
  }
  for (const PublishBatchRequestEntry& entry : entries) {
    if (entry.id.size() > kMaxBatchEntryIdLength) {
      return Status(ErrorCode::kInvalidBatchEntryId,
                    "The Id of a batch entry in the batch request is too long: " + entry.id);
    }
    bool valid = !entry.id.empty();
    for (const char c : entry.id) valid = valid && IsNameCharacter(c);
    if (!valid) {
      return Status(
          ErrorCode::kInvalidBatchEntryId,
          "The Id of a batch entry in the batch request contains an impermissible character: " +
              entry.id);
    }
  }
  return Status::Ok();
}

Status ValidateFifoId(std::string_view parameter, std::string_view value) {
  bool valid = !value.empty() && value.size() <= kMaxFifoIdLength;
  for (const char c : value) valid = valid && c >= '!' && c <= '~';  // alphanumerics, punctuation
  if (valid) return Status::Ok();
  return InvalidParameter(std::string(parameter) + " Reason: " + std::string(parameter) +
                          " must be 1 to 128 alphanumeric or punctuation characters");
}

Status ValidateTags(const std::vector<Tag>& tags) {
  std::set<std::string_view> keys;
  for (const Tag& tag : tags) {
    if (!keys.insert(tag.key).second) return InvalidParameter("Duplicated keys are not allowed.");
  }
  for (const Tag& tag : tags) {
    if (tag.key.empty() || CodePoints(tag.key) > 128) {
      return InvalidParameter("Tags Reason: Tag keys must be between 1 and 128 characters long");
    }
    if (CodePoints(tag.value) > 256) {
      return InvalidParameter("Tags Reason: Tag values must be at most 256 characters long");
    }
  }
  return Status::Ok();
}

bool IsValidPhoneNumber(std::string_view number) {
  if (!number.empty() && number.front() == '+') number.remove_prefix(1);
  if (number.size() < 2 || number.size() > 15 || number.front() == '0') return false;
  for (const char c : number) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace sqsim::sns::internal
