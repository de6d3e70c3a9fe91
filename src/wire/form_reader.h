// FormReader: the part of a query-protocol request decoder that does not
// depend on the service. SQS (query_codec.cc) and SNS (sns_query_server.cc)
// name their members differently and reject different values with different
// wording, but look keys up, enumerate list and map items and record the
// first error the same way; this is that shared part, kept in one place so
// the two protocols cannot drift apart on, say, what counts as an index.
//
// Indexes are 1-based decimal numbers without leading zeros, as every SDK
// writes them. Gaps are allowed (`Tag.1`, `Tag.3` gives two items, in index
// order); keys whose index is not such a number (`Tag.0`, `Tag.01`, `Tag.x`)
// are ignored like any other unknown parameter.

#ifndef SQSIM_WIRE_FORM_READER_H_
#define SQSIM_WIRE_FORM_READER_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sqsim/status.h"
#include "wire/query_codec.h"

namespace sqsim::wire {

// "prefix.N", the form name of the N-th item of a list or map.
std::string IndexedKey(std::string_view prefix, int index);

// The distinct indexes N for which `form` has a key `prefix.N` or
// `prefix.N.<rest>`, ascending.
std::vector<int> FormIndexes(const FormFields& form, const std::string& prefix);

// Reads the members of one struct, whose keys start with `prefix` ("" for
// the request). The first error is recorded in `status`; later reads find
// nothing, so a decoder stops at the first value it rejects.
//
// `Decoder` derives from FormReader<Decoder> (CRTP, so that the optional,
// list and map readers here reach the decoder's own typed Reads) and adds
// the shape visitor's entry points, a Read for each scalar type its service
// has, and a Read for structs that visits them with Nested(key).
template <typename Decoder>
class FormReader {
 public:
  FormReader(const FormFields& form, std::string prefix, Status& status)
      : form_(form), prefix_(std::move(prefix)), status_(status) {}

 protected:
  std::string Key(std::string_view name) const { return prefix_ + std::string(name); }

  // The value of `key`, or nullptr when it is absent or an error was recorded.
  const std::string* Find(const std::string& key) const {
    if (!status_.ok()) return nullptr;
    auto it = form_.find(key);
    return it == form_.end() ? nullptr : &it->second;
  }
  // The indexes of the items of list or map `prefix` (see FormIndexes).
  std::vector<int> Indexes(const std::string& prefix) const { return FormIndexes(form_, prefix); }

  // Each Read fills `out` from the value at `key` and returns whether there
  // was one; a struct reads its members under `key.` and is always there.
  bool Read(const std::string& key, std::string& out) {
    const std::string* text = Find(key);
    if (text != nullptr) out = *text;
    return text != nullptr;
  }
  template <typename T>
  bool Read(const std::string& key, std::optional<T>& out) {
    T value{};
    if (!self().Read(key, value)) return false;
    out = std::move(value);
    return true;
  }

  // The items `element.N`, in index order; absent ones are skipped.
  template <typename T>
  void ReadList(const std::string& element, std::vector<T>& out) {
    for (int index : Indexes(element)) {
      T item{};
      if (self().Read(IndexedKey(element, index), item)) out.push_back(std::move(item));
    }
  }
  // The entries `element.N.<key_name>` -> `element.N.<value_name>`. A missing
  // key or value reads as empty (the engine rejects the empty name), and a
  // repeated key keeps the value with the highest index.
  template <typename T>
  void ReadMap(const std::string& element, std::string_view key_name, std::string_view value_name,
               std::map<std::string, T>& out) {
    for (int index : Indexes(element)) {
      const std::string entry = IndexedKey(element, index) + ".";
      std::string key;
      T value{};
      Read(entry + std::string(key_name), key);
      self().Read(entry + std::string(value_name), value);
      out[std::move(key)] = std::move(value);
    }
  }

  // The decoder for the struct whose members are under `key.`.
  Decoder Nested(const std::string& key) const { return Decoder(form_, key + ".", status_); }

  // Records `error`, in the service's wording, as the decoding's result.
  bool Fail(Status error) {
    status_ = std::move(error);
    return false;
  }

 private:
  Decoder& self() { return static_cast<Decoder&>(*this); }

  const FormFields& form_;
  const std::string prefix_;
  Status& status_;
};

}  // namespace sqsim::wire

#endif  // SQSIM_WIRE_FORM_READER_H_
