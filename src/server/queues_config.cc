// Parses the queues config and orders it so dead-letter queues come first.

#include "server/queues_config.h"

#include <map>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/policy.h"

namespace sqsim::internal {
namespace {

using Json = nlohmann::json;

Status Invalid(const std::string& what) {
  return Status(ErrorCode::kInvalidParameterValue, "queues config: " + what);
}

struct Entry {
  CreateQueueRequest request;
  std::string dead_letter_queue;
  int max_receive_count = 10;
};

// Reads a JSON object of string values into `out`.
Status ReadStringMap(const Json& value, const std::string& where,
                     std::map<std::string, std::string>* out) {
  if (!value.is_object()) return Invalid(where + " must be an object of strings");
  for (const auto& [key, v] : value.items()) {
    if (!v.is_string()) return Invalid(where + "." + key + " must be a string");
    (*out)[key] = v.get<std::string>();
  }
  return Status::Ok();
}

Result<Entry> ReadEntry(const Json& q, size_t index) {
  const std::string at = "queues[" + std::to_string(index) + "]";
  if (!q.is_object()) return Invalid(at + " must be an object");
  Entry e;
  auto name = q.find("name");
  if (name == q.end() || !name->is_string() || name->get<std::string>().empty()) {
    return Invalid(at + ".name must be a non-empty string");
  }
  e.request.queue_name = name->get<std::string>();
  const std::string where = "queue '" + e.request.queue_name + "'";
  for (const auto& [key, value] : q.items()) {
    if (key == "name") continue;
    if (key == "attributes") {
      if (Status s = ReadStringMap(value, where + ": attributes", &e.request.attributes); !s.ok())
        return s;
    } else if (key == "tags") {
      if (Status s = ReadStringMap(value, where + ": tags", &e.request.tags); !s.ok()) return s;
    } else if (key == "dead_letter_queue") {
      if (!value.is_string()) return Invalid(where + ": dead_letter_queue must be a string");
      e.dead_letter_queue = value.get<std::string>();
    } else if (key == "max_receive_count") {
      if (!value.is_number_integer()) {
        return Invalid(where + ": max_receive_count must be an integer");
      }
      e.max_receive_count = value.get<int>();
    } else {
      return Invalid(where + ": unknown member '" + key + "'");
    }
  }
  if (!e.dead_letter_queue.empty() && e.request.attributes.contains("RedrivePolicy")) {
    return Invalid(where + ": give dead_letter_queue or a RedrivePolicy attribute, not both");
  }
  return e;
}

}  // namespace

Result<std::vector<CreateQueueRequest>> ParseQueuesConfig(std::string_view json,
                                                          std::string_view region,
                                                          std::string_view account_id) {
  Json doc = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Invalid("not valid JSON");
  if (!doc.is_object()) return Invalid("must be a JSON object with a \"queues\" array");
  for (const auto& [key, value] : doc.items()) {
    if (key != "queues") return Invalid("unknown member '" + key + "'");
  }
  auto queues = doc.find("queues");
  if (queues == doc.end() || !queues->is_array()) return Invalid("\"queues\" must be an array");

  std::vector<Entry> entries;
  std::map<std::string, size_t> by_name;
  for (size_t i = 0; i < queues->size(); ++i) {
    Result<Entry> e = ReadEntry((*queues)[i], i);
    if (!e.ok()) return e.status();
    if (!by_name.emplace(e->request.queue_name, entries.size()).second) {
      return Invalid("queue '" + e->request.queue_name + "' appears twice");
    }
    entries.push_back(std::move(e).value());
  }
  for (Entry& e : entries) {
    if (e.dead_letter_queue.empty()) continue;
    if (!by_name.contains(e.dead_letter_queue)) {
      return Invalid("queue '" + e.request.queue_name + "': dead_letter_queue '" +
                     e.dead_letter_queue + "' is not in the config");
    }
    Json policy = {{"deadLetterTargetArn", FormatQueueArn(region, account_id, e.dead_letter_queue)},
                   {"maxReceiveCount", e.max_receive_count}};
    e.request.attributes["RedrivePolicy"] = policy.dump();
  }

  // Depth-first: each queue after its dead-letter queue; the file order
  // otherwise. A chain longer than the file is a cycle.
  std::vector<CreateQueueRequest> ordered;
  std::set<std::string> placed;
  for (const Entry& start : entries) {
    std::vector<const Entry*> chain;
    for (const Entry* e = &start; e != nullptr && !placed.contains(e->request.queue_name);) {
      if (chain.size() > entries.size()) {
        return Invalid("queue '" + start.request.queue_name +
                       "': dead_letter_queue references form a cycle");
      }
      chain.push_back(e);
      e = e->dead_letter_queue.empty() ? nullptr : &entries[by_name.at(e->dead_letter_queue)];
    }
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      if (placed.insert((*it)->request.queue_name).second) ordered.push_back((*it)->request);
    }
  }
  return ordered;
}

}  // namespace sqsim::internal
