#include "sns/message_values.h"

#include <nlohmann/json.hpp>

#include "sns/filter_values.h"

namespace sqsim::sns::internal {

namespace {

// Collects leaves from nlohmann's SAX events: the parser is iterative and
// nothing here recurses, so any depth of nesting is safe.
class LeafCollector {
 public:
  using Json = nlohmann::json;

  LeafCollector(bool root_is_array, const std::unordered_set<std::string>& wanted)
      : root_is_array_(root_is_array), wanted_(wanted) {}

  LeavesByPath& leaves() { return leaves_; }

  bool null() { return AddLeaf({Value::Type::kNull, "null", std::nullopt}); }
  bool boolean(bool value) {
    return AddLeaf(value ? Value{Value::Type::kTrue, "true", std::nullopt}
                         : Value{Value::Type::kFalse, "false", std::nullopt});
  }
  bool number_integer(Json::number_integer_t value) {
    return AddLeaf(NumberValue(std::to_string(value)));
  }
  bool number_unsigned(Json::number_unsigned_t value) {
    return AddLeaf(NumberValue(std::to_string(value)));
  }
  bool number_float(Json::number_float_t /*value*/, const std::string& text) {
    return AddLeaf(NumberValue(text));
  }
  bool string(std::string& value) {
    return AddLeaf({Value::Type::kString, std::move(value), std::nullopt});
  }
  bool binary(Json::binary_t& /*value*/) { return false; }
  bool start_object(std::size_t /*elements*/) { return Open(false); }
  bool key(std::string& name) {
    const Frame& frame = frames_.back();
    path_.resize(frame.base_length);
    if (frame.keys_above > 0) path_ += '.';
    path_ += name;
    return true;
  }
  bool end_object() { return Close(); }
  bool start_array(std::size_t /*elements*/) { return Open(true); }
  bool end_array() { return Close(); }
  bool parse_error(std::size_t /*position*/, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& /*error*/) {
    return false;
  }

 private:
  struct Frame {
    bool is_array = false;
    uint32_t array_id = 0;
    uint32_t index = 0;       // arrays: elements begun so far
    size_t base_length = 0;   // the path's length where this container began
    uint32_t keys_above = 0;  // object keys on the way to this container
  };

  // Every value begins the next element of an enclosing array.
  void BeginValue() {
    if (!frames_.empty() && frames_.back().is_array) ++frames_.back().index;
  }

  bool Open(bool is_array) {
    if (frames_.empty() && is_array != root_is_array_) return false;  // wrong kind of document
    BeginValue();
    Frame frame;
    frame.is_array = is_array;
    frame.array_id = is_array ? next_array_id_++ : 0;
    frame.base_length = path_.size();
    if (!frames_.empty()) {
      const Frame& parent = frames_.back();
      frame.keys_above = parent.keys_above + (parent.is_array ? 0 : 1);
    }
    frames_.push_back(frame);
    return true;
  }

  bool Close() {
    path_.resize(frames_.back().base_length);
    frames_.pop_back();
    return true;
  }

  bool AddLeaf(Value value) {
    if (frames_.empty()) return false;  // a bare scalar is not a document we read
    BeginValue();
    auto wanted = wanted_.find(path_);
    if (wanted == wanted_.end()) return true;
    Leaf leaf{std::move(value), {}};
    for (const Frame& frame : frames_) {
      if (frame.is_array) leaf.elements.emplace_back(frame.array_id, frame.index - 1);
    }
    leaves_[path_].push_back(std::move(leaf));
    return true;
  }

  const bool root_is_array_;
  const std::unordered_set<std::string>& wanted_;
  std::vector<Frame> frames_;
  std::string path_;
  uint32_t next_array_id_ = 0;
  LeavesByPath leaves_;
};

}  // namespace

std::optional<LeavesByPath> CollectLeaves(std::string_view json, bool root_is_array,
                                          const std::unordered_set<std::string>& wanted) {
  LeafCollector collector(root_is_array, wanted);
  const bool ok = nlohmann::json::sax_parse(json.begin(), json.end(), &collector,
                                            nlohmann::json::input_format_t::json, true, false);
  if (!ok) return std::nullopt;
  return std::move(collector.leaves());
}

Value NumberValue(std::string text) {
  Value value{Value::Type::kNumber, std::move(text), std::nullopt};
  if (std::optional<double> number = ParseNumberText(value.text))
    value.key = ComparableKey(*number);
  return value;
}

}  // namespace sqsim::sns::internal
