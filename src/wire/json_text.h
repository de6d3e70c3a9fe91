// JSON text for the SQS JSON codec: a parser into a flat, read-only
// document and a writer that appends to a string.
//
// Why not a general JSON library: the codec reads one request or response
// per call and needs nothing but member lookup, so a document of plain
// nodes over the original text (strings are unescaped only when read, and
// only when they hold an escape) costs one allocation where a DOM of maps
// and strings cost dozens; on sqsim-server's request path that was a third
// of its allocations. The writer emits members in the order the codec
// gives them.
//
// What the parser accepts is RFC 8259, strictly: no comments, trailing
// commas, leading zeros, NaN or unescaped control characters; strings must
// be valid UTF-8 and their \u escapes pair surrogates correctly; numbers
// must be 64-bit integers or finite doubles (1e400 is refused). Nesting is
// unbounded (the parser keeps its own stack, not the machine's). A member
// named twice keeps its last value. The writer replaces bytes that are not
// valid UTF-8 by U+FFFD, so that it never produces invalid JSON.

#ifndef SQSIM_WIRE_JSON_TEXT_H_
#define SQSIM_WIRE_JSON_TEXT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sqsim::wire {

enum class JsonType : uint8_t { kNull, kFalse, kTrue, kNumber, kString, kArray, kObject };

// A parsed JSON text. Values are named by their index in the document; the
// root is value 0. The text must outlive the document.
class JsonDocument {
 public:
  // Parses `text`; false (with the document unusable) if it is not JSON.
  bool Parse(std::string_view text);

  using Value = uint32_t;
  static constexpr Value kRoot = 0;
  static constexpr Value kNone = UINT32_MAX;

  JsonType type(Value v) const { return nodes_[v].type; }
  // Arrays: the number of elements; objects: the number of members.
  uint32_t size(Value v) const { return nodes_[v].count; }

  // Children of an array or object, in order: First, then Next until kNone.
  // For an object's members, Key gives the member's name.
  Value First(Value container) const;
  Value Next(Value child) const {
    const Node& node = nodes_[child];
    return node.end < nodes_[node.parent].end ? node.end : kNone;
  }
  std::string Key(Value member) const;
  // The last member of `object` named `name`, or kNone.
  Value Find(Value object, std::string_view name) const;

  // A string's value, unescaped.
  std::string String(Value v) const;
  // A number as written ("-12", "1.5e3").
  std::string_view NumberText(Value v) const { return nodes_[v].text; }
  // Whether a number is written as an integer (no fraction, no exponent).
  bool IsInteger(Value v) const { return nodes_[v].integer; }

 private:
  struct Node {
    std::string_view text;    // string: between the quotes; number: as written
    std::string_view key;     // object member: its name, between the quotes
    uint32_t end = 0;         // index just past this value's subtree (preorder)
    uint32_t parent = kNone;  // the container holding this value
    uint32_t count = 0;       // array elements or object members
    JsonType type = JsonType::kNull;
    bool escaped = false;      // `text` holds a backslash escape
    bool key_escaped = false;  // `key` holds a backslash escape
    bool integer = false;      // number without fraction or exponent
  };

  std::vector<Node> nodes_;
};

// Appends JSON to a string. The caller nests Begin/End calls correctly and
// calls Key before every value inside an object.
class JsonWriter {
 public:
  explicit JsonWriter(std::string* out) : out_(out) {}

  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }
  void Key(std::string_view name);
  void String(std::string_view value);
  void Int(int64_t value);
  void Bool(bool value);

 private:
  void Open(char bracket);
  void Close(char bracket);
  void Separate();  // a comma before every value but a container's first

  std::string* out_;
  bool first_ = true;  // the next value is its container's first
  bool after_key_ = false;
};

// Appends `text` as a JSON string (with quotes), escaping what JSON requires
// and replacing invalid UTF-8 by U+FFFD.
void AppendJsonString(std::string* out, std::string_view text);

}  // namespace sqsim::wire

#endif  // SQSIM_WIRE_JSON_TEXT_H_
