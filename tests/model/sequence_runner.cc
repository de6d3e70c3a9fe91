#include "model/sequence_runner.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sqsim/client.h"
#include "sqsim/status.h"

namespace sqsim::model {

class SequenceRunner::Impl {
 public:
  Impl(Client& client, AdvanceFn advance, RunnerOptions options)
      : client_(client), advance_(std::move(advance)), options_(std::move(options)) {}

  Observation Run(const Operation& op, int step) {
    return std::visit([&](const auto& o) { return Do(o, step); }, op);
  }

  std::vector<Observation> RunAll(const std::vector<Operation>& ops) {
    std::vector<Observation> out;
    for (size_t i = 0; i < ops.size(); ++i) out.push_back(Run(ops[i], static_cast<int>(i)));
    return out;
  }

  // The send origin ("s<step>.<entry>") of a message id, or "" if unknown.
  std::string OriginOf(const std::string& message_id) const {
    auto it = origins_.find(message_id);
    return it == origins_.end() ? "" : it->second;
  }

  // The receipt handle a HandleRef resolves to ("garbage" when none).
  std::string ResolveHandle(int queue, int back) const {
    if (back < 0) return "garbage";
    auto it = handles_.find(queue);
    if (it == handles_.end() || back >= static_cast<int>(it->second.size())) return "garbage";
    return it->second[it->second.size() - 1 - back];
  }

 private:
  std::string Name(int queue) const { return options_.name_prefix + PoolQueueName(queue); }
  std::string Url(int queue) const { return options_.queue_url_prefix + Name(queue); }
  std::string Arn(int queue) const { return options_.queue_arn_prefix + Name(queue); }

  // The pool name in a URL or ARN (its last path or colon segment).
  std::string PoolNameOf(const std::string& url_or_arn) const {
    const size_t cut = url_or_arn.find_last_of("/:");
    std::string name = cut == std::string::npos ? url_or_arn : url_or_arn.substr(cut + 1);
    if (name.starts_with(options_.name_prefix)) name = name.substr(options_.name_prefix.size());
    return name;
  }

  static Observation ErrorOf(const Status& status) {
    return Observation::Error(std::string(GetErrorInfo(status.code()).name));
  }
  static std::string CodeName(const std::string& wire) {
    std::optional<ErrorCode> code = ErrorCodeFromWireName(wire);
    return code ? std::string(GetErrorInfo(*code).name) : wire;
  }

  template <typename R>
  static Observation Plain(const Result<R>& r, std::string detail = {}) {
    if (!r.ok()) return ErrorOf(r.status());
    return Observation::Ok(std::move(detail));
  }

  static std::string JoinNames(std::vector<std::string> names) {
    std::sort(names.begin(), names.end());
    std::string s = "[";
    for (size_t i = 0; i < names.size(); ++i) s += (i ? " " : "") + names[i];
    return s + "]";
  }
  static std::string JoinMap(const std::map<std::string, std::string>& m) {
    std::string s = "{";
    bool first = true;
    for (const auto& [k, v] : m) {
      s += (first ? "" : "; ") + k + "=" + v;
      first = false;
    }
    return s + "}";
  }

  QueueAttributeMap AttributesOf(int queue, const AttributeSpec& a, bool create) const {
    QueueAttributeMap m;
    if (create && IsFifoIndex(queue)) m["FifoQueue"] = "true";
    if (a.visibility_timeout) m["VisibilityTimeout"] = std::to_string(*a.visibility_timeout);
    if (a.delay_seconds) m["DelaySeconds"] = std::to_string(*a.delay_seconds);
    if (a.message_retention_period) {
      m["MessageRetentionPeriod"] = std::to_string(*a.message_retention_period);
    }
    if (a.redrive) {
      if (a.redrive->target < 0) {
        m["RedrivePolicy"] = "";
      } else {
        nlohmann::json policy = {{"deadLetterTargetArn", Arn(a.redrive->target)},
                                 {"maxReceiveCount", a.redrive->max_receive_count}};
        m["RedrivePolicy"] = policy.dump();
      }
    }
    if (a.content_based_deduplication) {
      m["ContentBasedDeduplication"] = *a.content_based_deduplication ? "true" : "false";
    }
    return m;
  }

  // ---- Queue management -----------------------------------------------------------

  Observation Do(const CreateQueueOp& o, int) {
    QueueAttributeMap attributes = AttributesOf(o.queue, o.attributes, true);
    if (o.omit_fifo_attribute) attributes.erase("FifoQueue");
    auto r = client_.CreateQueue(
        {.queue_name = Name(o.queue), .attributes = std::move(attributes), .tags = o.tags});
    return Plain(r, r.ok() ? PoolNameOf(r->queue_url) : "");
  }
  Observation Do(const DeleteQueueOp& o, int) {
    return Plain(client_.DeleteQueue({.queue_url = Url(o.queue)}));
  }
  Observation Do(const GetQueueUrlOp& o, int) {
    auto r = client_.GetQueueUrl({.queue_name = Name(o.queue)});
    return Plain(r, r.ok() ? PoolNameOf(r->queue_url) : "");
  }
  Observation Do(const ListQueuesOp& o, int) {
    auto r = client_.ListQueues({.queue_name_prefix = options_.name_prefix + o.prefix});
    if (!r.ok()) return ErrorOf(r.status());
    std::vector<std::string> names;
    for (const std::string& url : r->queue_urls) names.push_back(PoolNameOf(url));
    return Observation::Ok(JoinNames(names));
  }

  Observation Do(const GetQueueAttributesOp& o, int) {
    std::vector<std::string> names = {"ApproximateNumberOfMessages",
                                      "ApproximateNumberOfMessagesNotVisible",
                                      "ApproximateNumberOfMessagesDelayed",
                                      "VisibilityTimeout",
                                      "DelaySeconds",
                                      "MessageRetentionPeriod",
                                      "RedrivePolicy",
                                      "Policy"};
    if (IsFifoIndex(o.queue)) {
      names.push_back("FifoQueue");
      names.push_back("ContentBasedDeduplication");
    }
    auto r = client_.GetQueueAttributes({.queue_url = Url(o.queue), .attribute_names = names});
    if (!r.ok()) return ErrorOf(r.status());
    std::map<std::string, std::string> a = r->attributes;
    if (auto it = a.find("RedrivePolicy"); it != a.end()) it->second = NormalizeRedrive(it->second);
    if (auto it = a.find("Policy"); it != a.end()) it->second = NormalizePolicy(it->second);
    return Observation::Ok(JoinMap(a));
  }

  std::string NormalizeRedrive(const std::string& text) const {
    nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return "unparsable:" + text;
    std::string max = j.value("maxReceiveCount", nlohmann::json()).dump();
    if (max.size() >= 2 && max.front() == '"') max = max.substr(1, max.size() - 2);
    return "dlq=" + PoolNameOf(j.value("deadLetterTargetArn", "")) + ",max=" + max;
  }

  static std::string NormalizePolicy(const std::string& text) {
    nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("Statement")) {
      return "unparsable:" + text;
    }
    std::vector<std::string> sids;
    const nlohmann::json& statements = j["Statement"];
    if (statements.is_array()) {
      for (const auto& s : statements) sids.push_back(s.value("Sid", ""));
    } else {
      sids.push_back(statements.value("Sid", ""));
    }
    std::sort(sids.begin(), sids.end());
    std::string s = "sids=";
    for (size_t i = 0; i < sids.size(); ++i) s += (i ? "," : "") + sids[i];
    return s;
  }

  Observation Do(const SetQueueAttributesOp& o, int) {
    return Plain(client_.SetQueueAttributes(
        {.queue_url = Url(o.queue), .attributes = AttributesOf(o.queue, o.attributes, false)}));
  }
  Observation Do(const PurgeQueueOp& o, int) {
    return Plain(client_.PurgeQueue({.queue_url = Url(o.queue)}));
  }
  Observation Do(const TagQueueOp& o, int) {
    return Plain(client_.TagQueue({.queue_url = Url(o.queue), .tags = o.tags}));
  }
  Observation Do(const UntagQueueOp& o, int) {
    return Plain(client_.UntagQueue({.queue_url = Url(o.queue), .tag_keys = o.keys}));
  }
  Observation Do(const ListQueueTagsOp& o, int) {
    auto r = client_.ListQueueTags({.queue_url = Url(o.queue)});
    return Plain(r, r.ok() ? JoinMap(r->tags) : "");
  }
  Observation Do(const AddPermissionOp& o, int) {
    return Plain(client_.AddPermission({.queue_url = Url(o.queue),
                                        .label = o.label,
                                        .aws_account_ids = {"111122223333"},
                                        .actions = {"SendMessage"}}));
  }
  Observation Do(const RemovePermissionOp& o, int) {
    return Plain(client_.RemovePermission({.queue_url = Url(o.queue), .label = o.label}));
  }
  Observation Do(const ListDeadLetterSourceQueuesOp& o, int) {
    auto r = client_.ListDeadLetterSourceQueues({.queue_url = Url(o.queue)});
    if (!r.ok()) return ErrorOf(r.status());
    std::vector<std::string> names;
    for (const std::string& url : r->queue_urls) names.push_back(PoolNameOf(url));
    return Observation::Ok(JoinNames(names));
  }

  // ---- Messages ---------------------------------------------------------------------

  void Remember(const std::string& message_id, const std::string& origin) {
    origins_.emplace(message_id, origin);  // a FIFO duplicate may echo the original id
  }

  Observation Do(const SendMessageOp& o, int step) {
    const SendEntry& e = o.entry;
    auto r = client_.SendMessage({.queue_url = Url(o.queue),
                                  .message_body = BodyText(e.body),
                                  .delay_seconds = e.delay_seconds,
                                  .message_deduplication_id = e.dedup,
                                  .message_group_id = e.group});
    if (!r.ok()) return ErrorOf(r.status());
    Remember(r->message_id, SendOrigin(step, 0));
    return Observation::Ok();
  }

  static void SortBatch(Observation& r) {
    std::sort(r.batch_ok.begin(), r.batch_ok.end());
    std::sort(r.batch_failed.begin(), r.batch_failed.end());
  }

  Observation Do(const SendMessageBatchOp& o, int step) {
    const size_t count = BatchEntryCount(o.shape, o.entries.size());
    const std::vector<std::string> ids = BatchEntryIds(o.shape, count);
    SendMessageBatchRequest request{.queue_url = Url(o.queue)};
    std::map<std::string, int> index_of;
    for (size_t i = 0; i < count; ++i) {
      const SendEntry e = o.entries.empty() ? SendEntry{} : o.entries[i % o.entries.size()];
      request.entries.push_back({.id = ids[i],
                                 .message_body = BodyText(e.body),
                                 .delay_seconds = e.delay_seconds,
                                 .message_deduplication_id = e.dedup,
                                 .message_group_id = e.group});
      index_of.emplace(ids[i], static_cast<int>(i));
    }
    auto r = client_.SendMessageBatch(request);
    if (!r.ok()) return ErrorOf(r.status());
    Observation out;
    out.kind = Observation::Kind::kBatch;
    for (const auto& s : r->successful) {
      out.batch_ok.push_back(s.id);
      Remember(s.message_id, SendOrigin(step, index_of[s.id]));
    }
    for (const auto& f : r->failed) out.batch_failed.emplace_back(f.id, CodeName(f.code));
    SortBatch(out);
    return out;
  }

  Observation Do(const ReceiveMessageOp& o, int) {
    auto r = client_.ReceiveMessage({.queue_url = Url(o.queue),
                                     .message_system_attribute_names = {"All"},
                                     .max_number_of_messages = o.max_messages,
                                     .visibility_timeout = o.visibility_timeout,
                                     .wait_time_seconds = o.wait_seconds});
    if (!r.ok()) return ErrorOf(r.status());
    Observation out;
    out.kind = Observation::Kind::kMessages;
    for (const Message& m : r->messages) {
      handles_[o.queue].push_back(m.receipt_handle);
      ObservedMessage seen;
      seen.origin = OriginOf(m.message_id);
      if (seen.origin.empty()) seen.origin = "new:" + m.body;
      auto attr = [&](const char* name) {
        auto it = m.attributes.find(name);
        return it == m.attributes.end() ? std::string() : it->second;
      };
      const std::string count = attr("ApproximateReceiveCount");
      seen.receive_count = count.empty() ? -1 : std::stoi(count);
      seen.group = attr("MessageGroupId");
      const std::string source = attr("DeadLetterQueueSourceArn");
      seen.dlq_source = source.empty() ? "" : PoolNameOf(source);
      out.messages.push_back(std::move(seen));
    }
    return out;
  }

  Observation Do(const DeleteMessageOp& o, int) {
    return Plain(
        client_.DeleteMessage({.queue_url = Url(o.handle.queue),
                               .receipt_handle = ResolveHandle(o.handle.queue, o.handle.back)}));
  }

  Observation Do(const ChangeMessageVisibilityOp& o, int) {
    return Plain(client_.ChangeMessageVisibility(
        {.queue_url = Url(o.handle.queue),
         .receipt_handle = ResolveHandle(o.handle.queue, o.handle.back),
         .visibility_timeout = o.visibility_timeout}));
  }

  template <typename R>
  static Observation BatchOf(const Result<R>& r) {
    if (!r.ok()) return ErrorOf(r.status());
    Observation out;
    out.kind = Observation::Kind::kBatch;
    for (const auto& s : r->successful) out.batch_ok.push_back(s.id);
    for (const auto& f : r->failed) out.batch_failed.emplace_back(f.id, CodeName(f.code));
    SortBatch(out);
    return out;
  }

  Observation Do(const DeleteMessageBatchOp& o, int) {
    const size_t count = BatchEntryCount(o.shape, o.backs.size());
    const std::vector<std::string> ids = BatchEntryIds(o.shape, count);
    DeleteMessageBatchRequest request{.queue_url = Url(o.queue)};
    for (size_t i = 0; i < count; ++i) {
      const int back = o.backs.empty() ? -1 : o.backs[i % o.backs.size()];
      request.entries.push_back({.id = ids[i], .receipt_handle = ResolveHandle(o.queue, back)});
    }
    return BatchOf(client_.DeleteMessageBatch(request));
  }

  Observation Do(const ChangeMessageVisibilityBatchOp& o, int) {
    const size_t count = BatchEntryCount(o.shape, o.entries.size());
    const std::vector<std::string> ids = BatchEntryIds(o.shape, count);
    ChangeMessageVisibilityBatchRequest request{.queue_url = Url(o.queue)};
    for (size_t i = 0; i < count; ++i) {
      const auto entry =
          o.entries.empty() ? std::pair<int, int>{-1, 0} : o.entries[i % o.entries.size()];
      request.entries.push_back({.id = ids[i],
                                 .receipt_handle = ResolveHandle(o.queue, entry.first),
                                 .visibility_timeout = entry.second});
    }
    return BatchOf(client_.ChangeMessageVisibilityBatch(request));
  }

  // ---- Move tasks --------------------------------------------------------------------

  Observation Do(const StartMessageMoveTaskOp& o, int) {
    auto r = client_.StartMessageMoveTask(
        {.source_arn = Arn(o.source),
         .destination_arn = o.destination ? std::optional(Arn(*o.destination)) : std::nullopt,
         .max_number_of_messages_per_second = o.rate});
    if (!r.ok()) return ErrorOf(r.status());
    task_handles_.push_back(r->task_handle);
    return Observation::Ok();
  }

  Observation Do(const ListMessageMoveTasksOp& o, int) {
    auto r =
        client_.ListMessageMoveTasks({.source_arn = Arn(o.source), .max_results = o.max_results});
    if (!r.ok()) return ErrorOf(r.status());
    std::string s = "[";
    for (size_t i = 0; i < r->results.size(); ++i) {
      const ListMessageMoveTasksResultEntry& t = r->results[i];
      s += (i ? "; " : "") + t.status +
           " moved=" + std::to_string(t.approximate_number_of_messages_moved) + "/" +
           std::to_string(t.approximate_number_of_messages_to_move);
      s += " dest=" + (t.destination_arn ? PoolNameOf(*t.destination_arn) : std::string("-"));
      s += " rate=" + (t.max_number_of_messages_per_second
                           ? std::to_string(*t.max_number_of_messages_per_second)
                           : std::string("-"));
      if (t.task_handle) {
        auto it = std::find(task_handles_.begin(), task_handles_.end(), *t.task_handle);
        s += " handle=" + (it == task_handles_.end()
                               ? std::string("unknown")
                               : "task" + std::to_string(it - task_handles_.begin()));
      }
      if (t.failure_reason) s += " failure=" + *t.failure_reason;
    }
    return Observation::Ok(s + "]");
  }

  Observation Do(const CancelMessageMoveTaskOp& o, int) {
    std::string handle = "garbage";
    if (o.back >= 0 && o.back < static_cast<int>(task_handles_.size())) {
      handle = task_handles_[task_handles_.size() - 1 - o.back];
    }
    auto r = client_.CancelMessageMoveTask({.task_handle = handle});
    return Plain(r,
                 r.ok() ? "moved=" + std::to_string(r->approximate_number_of_messages_moved) : "");
  }

  Observation Do(const AdvanceTimeOp& o, int) {
    advance_(std::chrono::duration_cast<Duration>(o.duration));
    return Observation::Ok();
  }

  Client& client_;
  AdvanceFn advance_;
  RunnerOptions options_;
  std::map<int, std::vector<std::string>> handles_{};  // per pool index, in receive order
  std::map<std::string, std::string> origins_{};       // message id -> send origin
  std::vector<std::string> task_handles_{};            // in start order
};

SequenceRunner::SequenceRunner(Client& client, AdvanceFn advance, RunnerOptions options)
    : impl_(std::make_unique<Impl>(client, std::move(advance), std::move(options))) {}

SequenceRunner::~SequenceRunner() = default;

Observation SequenceRunner::Run(const Operation& op, int step) { return impl_->Run(op, step); }

std::vector<Observation> SequenceRunner::RunAll(const std::vector<Operation>& ops) {
  return impl_->RunAll(ops);
}

std::string SequenceRunner::OriginOf(const std::string& message_id) const {
  return impl_->OriginOf(message_id);
}

std::string SequenceRunner::ResolveHandle(int queue, int back) const {
  return impl_->ResolveHandle(queue, back);
}

std::string CompareRuns(const std::vector<Operation>& ops, const std::vector<Observation>& expected,
                        const std::vector<Observation>& observed) {
  for (size_t i = 0; i < ops.size(); ++i) {
    const std::string want = expected[i].Text();
    const std::string got = observed[i].Text();
    if (want == got) continue;
    std::ostringstream os;
    os << "step " << i << " differs\n";
    for (size_t j = 0; j <= i; ++j) {
      os << "  " << j << ". " << Describe(ops[j]) << "\n";
      if (j < i) {
        os << "       -> " << observed[j].Text() << "\n";
      } else {
        os << "       model:  " << want << "\n       client: " << got << "\n";
      }
    }
    return os.str();
  }
  return "";
}

}  // namespace sqsim::model
