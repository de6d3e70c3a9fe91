// Typed reads from decoded form fields (query_codec.h's FormFields), in the
// shapes the SQS query protocol uses: scalars (`QueueUrl=...`), flattened
// lists (`AttributeName.1=All&AttributeName.2=Policy`) and flattened maps
// (`Attribute.1.Name=DelaySeconds&Attribute.1.Value=5`).
//
// Indexes are 1-based decimal numbers without leading zeros, as every SDK
// writes them. Gaps are allowed (`Tag.1`, `Tag.3` gives two tags, in index
// order): SQS documents only the `param.n` convention, not what a gap means,
// and dropping the later entries would lose data silently. Keys whose index
// is not such a number (`Tag.0.Key`, `Tag.01.Key`, `Tag.x.Key`) are ignored
// like any other unknown parameter.
//
// A missing scalar leaves the output untouched: deciding that a member is
// required belongs to the engine (MissingParameter), not to the codec.
//
// Thread safety: a FormReader only reads the fields; it must not outlive them.

#ifndef SQSIM_WIRE_FORM_READER_H_
#define SQSIM_WIRE_FORM_READER_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sqsim/status.h"
#include "wire/query_codec.h"

namespace sqsim::wire {

class FormReader {
 public:
  // `fields` must outlive the reader.
  explicit FormReader(const FormFields& fields) : fields_(fields) {}

  // The value of `key`, or nullptr when absent.
  const std::string* Find(const std::string& key) const;

  // Copies the value of `key` into `*out` when present.
  void ReadString(const std::string& key, std::string* out) const;
  void ReadString(const std::string& key, std::optional<std::string>* out) const;

  // Parses a 32-bit decimal integer (optional sign, digits only). Returns
  // InvalidParameterValue "Value <v> for parameter <key> is invalid. Reason:
  // must be an integer." when present and not such a number.
  Status ReadInt(const std::string& key, int* out) const;
  Status ReadInt(const std::string& key, std::optional<int>* out) const;

  // Decodes a base64 value (a `Binary` member). Returns InvalidParameterValue
  // when the text is not canonical base64.
  Status ReadBinary(const std::string& key, std::optional<std::string>* out) const;

  // The distinct indexes N for which a key `prefix.N` or `prefix.N.<rest>`
  // exists, ascending.
  std::vector<int> Indexes(std::string_view prefix) const;

  // Appends the values of `prefix.N`, in index order.
  void ReadStringList(const std::string& prefix, std::vector<std::string>* out) const;
  // Appends the decoded values of base64 `prefix.N`, in index order.
  Status ReadBinaryList(const std::string& prefix, std::vector<std::string>* out) const;

  // Reads the flattened map `prefix.N.<key_name>` -> `prefix.N.<value_name>`.
  // A missing key reads as "" (the engine rejects the empty name), a missing
  // value as ""; a repeated key keeps the value with the highest index.
  void ReadStringMap(const std::string& prefix, std::string_view key_name,
                     std::string_view value_name, std::map<std::string, std::string>* out) const;

 private:
  const FormFields& fields_;
};

// "prefix.N", the form name of the N-th element of a flattened list or map.
std::string IndexedKey(std::string_view prefix, int index);

// InvalidParameterValue "Value <value> for parameter <name> is invalid.
// Reason: <reason>", SQS's wording for a parameter it cannot accept.
Status InvalidParameterValue(std::string_view name, std::string_view value,
                             std::string_view reason);

}  // namespace sqsim::wire

#endif  // SQSIM_WIRE_FORM_READER_H_
