// Observation: the outcome of one symbolic operation, normalized so that the
// reference model's expectation and a real client's result compare as
// values. Everything legitimately random is replaced by a relation: messages
// are named by the send that produced them ("s4.0"), or "new:<body>" for a
// copy a move task created (a fresh message id); queue URLs by pool name;
// task handles by which start returned them.

#ifndef SQSIM_TESTS_MODEL_OBSERVATION_H_
#define SQSIM_TESTS_MODEL_OBSERVATION_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sqsim::model {

struct ObservedMessage {
  std::string origin{};  // "s<step>.<entry>" or "new:<body>"
  int receive_count = 0;
  std::string group{};       // MessageGroupId, "" when absent
  std::string dlq_source{};  // DeadLetterQueueSourceArn as a pool name, "" when absent

  friend bool operator==(const ObservedMessage&, const ObservedMessage&) = default;
};

struct Observation {
  enum class Kind { kPlain, kMessages, kBatch };
  Kind kind = Kind::kPlain;
  std::optional<std::string> error{};       // ErrorInfo::name of the failure, nullopt = success
  std::string detail{};                     // normalized payload of kPlain results
  std::vector<ObservedMessage> messages{};  // kMessages
  std::vector<std::string> batch_ok{};      // kBatch: entry ids
  std::vector<std::pair<std::string, std::string>> batch_failed{};  // kBatch: (id, code name)

  static Observation Error(std::string name) {
    Observation o;
    o.error = std::move(name);
    return o;
  }
  static Observation Ok(std::string detail = {}) {
    Observation o;
    o.detail = std::move(detail);
    return o;
  }

  // The canonical one-line form compared between model and client.
  std::string Text() const {
    if (error) return "error " + *error;
    std::string s = "ok";
    switch (kind) {
      case Kind::kPlain:
        if (!detail.empty()) s += " " + detail;
        break;
      case Kind::kMessages:
        s += " [";
        for (size_t i = 0; i < messages.size(); ++i) {
          const ObservedMessage& m = messages[i];
          s += (i ? "; " : "") + m.origin + " rc=" + std::to_string(m.receive_count);
          if (!m.group.empty()) s += " g=" + m.group;
          if (!m.dlq_source.empty()) s += " from=" + m.dlq_source;
        }
        s += "]";
        break;
      case Kind::kBatch: {
        s += " ok=[";
        for (size_t i = 0; i < batch_ok.size(); ++i) s += (i ? " " : "") + batch_ok[i];
        s += "] failed=[";
        for (size_t i = 0; i < batch_failed.size(); ++i) {
          s += (i ? " " : "") + batch_failed[i].first + ":" + batch_failed[i].second;
        }
        s += "]";
        break;
      }
    }
    return s;
  }
};

}  // namespace sqsim::model

#endif  // SQSIM_TESTS_MODEL_OBSERVATION_H_
