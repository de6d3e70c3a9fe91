// Engine: queue management actions (create, look up, list, delete, attributes,
// purge, tags, permissions, dead-letter source listing). Message actions are
// in engine_messages.cc, move tasks in engine_move_tasks.cc.

#include "sim/engine.h"
#include "sim/engine_errors.h"

#include <algorithm>

#include "core/digest.h"
#include "sim/validation.h"

namespace sqsim::internal {
namespace {

constexpr auto kRecreateDelay = std::chrono::seconds(60);
constexpr auto kPurgeInterval = std::chrono::seconds(60);
constexpr size_t kMaxTagsPerQueue = 50;
constexpr int kMaxListResults = 1000;
// Expired messages a settle's buffer may keep room for between settles.
constexpr size_t kScratchKept = 4096;

Status QueueDoesNotExist() {
  return Status(ErrorCode::kQueueDoesNotExist, "The specified queue does not exist.");
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Pagination shared by ListQueues and ListDeadLetterSourceQueues: `names` is
// sorted; the token is the base64 of the last name returned.
struct Page {
  std::vector<std::string> names;
  std::optional<std::string> next_token;
};

Result<Page> Paginate(const std::vector<std::string>& sorted, const std::optional<int>& max_results,
                      const std::optional<std::string>& next_token) {
  if (max_results && (*max_results < 1 || *max_results > kMaxListResults)) {
    return Status(ErrorCode::kInvalidParameterValue,
                  "Value " + std::to_string(*max_results) +
                      " for parameter MaxResults is invalid. Reason: MaxResults must be an "
                      "integer between 1 and 1000.");
  }
  size_t start = 0;
  if (next_token && !next_token->empty()) {
    std::optional<std::string> after = Base64Decode(*next_token);
    if (!after || after->empty()) {
      return Status(ErrorCode::kInvalidParameterValue, "Invalid NextToken value.");
    }
    start = std::upper_bound(sorted.begin(), sorted.end(), *after) - sorted.begin();
  }
  const size_t limit = max_results ? static_cast<size_t>(*max_results) : kMaxListResults;
  Page page;
  for (size_t i = start; i < sorted.size() && page.names.size() < limit; ++i) {
    page.names.push_back(sorted[i]);
  }
  // SQS returns a token only when MaxResults was given and more remain.
  if (max_results && start + page.names.size() < sorted.size()) {
    page.next_token = Base64Encode(page.names.back());
  }
  return page;
}

// Actions AddPermission may grant: every action that cross-account
// permissions apply to (the model says they never apply to the rest).
bool IsGrantableAction(std::string_view action) {
  static constexpr std::string_view kGrantable[] = {
      "*",
      "ChangeMessageVisibility",
      "ChangeMessageVisibilityBatch",
      "DeleteMessage",
      "DeleteMessageBatch",
      "GetQueueAttributes",
      "GetQueueUrl",
      "ListDeadLetterSourceQueues",
      "PurgeQueue",
      "ReceiveMessage",
      "SendMessage",
      "SendMessageBatch",
      "StartMessageMoveTask",
      "CancelMessageMoveTask",
      "ListMessageMoveTasks",
  };
  return std::find(std::begin(kGrantable), std::end(kGrantable), action) != std::end(kGrantable);
}

}  // namespace

Engine::Engine(const SimulatorOptions& options, Trace* trace, FaultInjector* injector)
    : options_(options),
      trace_(trace),
      injector_(injector),
      duplicate_faults_(injector != nullptr && injector->Has(FaultEffect::kDuplicateDelivery)),
      delay_faults_(injector != nullptr && injector->Has(FaultEffect::kDelayVisibility)),
      reorder_faults_(injector != nullptr && injector->Has(FaultEffect::kReorder)),
      endpoint_(options.endpoint.empty() ? "https://sqs." + options.region + ".amazonaws.com"
                                         : options.endpoint) {
  SeededRng root(options.seed);
  id_rng_ = root.Fork("message-ids");
  handle_rng_ = root.Fork("receipt-handles");
  delivery_rng_ = root.Fork("delivery");
  handle_secret_ = root.Fork("handle-secret")->Next();
}

Engine::~Engine() = default;

void Engine::Touch(const Queue& q) {
  if (std::find(touched_.begin(), touched_.end(), q.id) == touched_.end()) {
    touched_.push_back(q.id);
  }
}

std::vector<uint32_t> Engine::TakeTouchedQueues() {
  std::vector<uint32_t> out;
  out.swap(touched_);
  return out;
}

std::optional<Timestamp> Engine::NextTransition(uint32_t queue_id) {
  auto it = queues_by_id_.find(queue_id);
  if (it == queues_by_id_.end()) return std::nullopt;
  std::optional<Timestamp> next = NextMoveInto(queue_id);
  if (std::optional<int64_t> us = it->second->store.NextTransitionUs()) {
    const Timestamp t{Duration(*us)};
    if (!next || t < *next) next = t;
  }
  return next;
}

Result<Queue*> Engine::FindQueue(const std::string& queue_url) {
  if (queue_url.empty()) return Missing("QueueUrl");
  if (cached_queue_ != nullptr && queue_url == cached_url_) return cached_queue_;
  std::string_view name = queue_url;
  const size_t scheme = name.find("://");
  if (scheme != std::string_view::npos) {
    // <scheme>://<host>/<account>/<name>: SQS routes by the path; the host
    // may be any alias of the endpoint (localhost vs 127.0.0.1, say).
    std::string_view path = name.substr(scheme + 3);
    const size_t slash = path.find('/');
    if (slash == std::string_view::npos) return QueueDoesNotExist();
    path.remove_prefix(slash + 1);
    const size_t sep = path.find('/');
    if (sep == std::string_view::npos) return QueueDoesNotExist();
    if (path.substr(0, sep) != options_.account_id) return QueueDoesNotExist();
    name = path.substr(sep + 1);
  }
  auto it = queues_.find(std::string(name));
  if (it == queues_.end()) return QueueDoesNotExist();
  cached_url_ = queue_url;
  cached_queue_ = it->second.get();
  return it->second.get();
}

Queue* Engine::FindQueueByArn(const std::string& arn) {
  std::optional<QueueArn> parsed = ParseQueueArn(arn);
  if (!parsed || parsed->region != options_.region || parsed->account != options_.account_id) {
    return nullptr;
  }
  auto it = queues_.find(parsed->name);
  return it == queues_.end() ? nullptr : it->second.get();
}

void Engine::TraceMessage(TraceKind kind, const Queue& q, const StoredMessage& m, Timestamp at,
                          int64_t value) {
  trace_->Append(
      {.time = at, .kind = kind, .queue = q.trace_id, .message_id = m.id, .value = value});
}

void Engine::Settle(Queue& q, Timestamp now) {
  const int64_t retention_us = int64_t{q.config.message_retention_period} * 1000000;
  scratch_.clear();
  q.store.Settle(now.time_since_epoch().count(), retention_us, &scratch_);
  for (const StoredMessage& m : scratch_) {
    TraceMessage(TraceKind::kMessageExpired, q, m, Timestamp(Duration(m.sent_us + retention_us)),
                 0);
    if (q.fifo) q.fifo->index.Refresh(m.group, q.store);
  }
  // The buffer is kept for the next settle, unless a mass expiry grew it:
  // then it goes, rather than hold a million empty slots for ever.
  if (scratch_.capacity() > kScratchKept) {
    std::vector<StoredMessage>().swap(scratch_);
  } else {
    scratch_.clear();
  }
  SyncFifo(q);
}

Status Engine::CheckRedriveTarget(const Queue& source, const QueueConfig& config) const {
  if (!config.redrive_policy) return Status::Ok();
  const RedrivePolicy& p = *config.redrive_policy;
  auto invalid = [&](std::string_view reason) {
    return Status(ErrorCode::kInvalidParameterValue,
                  "Value " + p.rendered +
                      " for parameter RedrivePolicy is invalid. Reason: " + std::string(reason));
  };
  Queue* target = const_cast<Engine*>(this)->FindQueueByArn(p.dead_letter_target_arn);
  if (target == nullptr) return invalid("Dead-letter target does not exist.");
  if (target->config.fifo != config.fifo) {
    return invalid(config.fifo ? "Dead-letter target must be a FIFO queue."
                               : "Dead-letter target must be a standard queue.");
  }
  if (target->config.redrive_allow_policy &&
      !target->config.redrive_allow_policy->Allows(source.arn)) {
    return invalid("Queue " + source.arn +
                   " is not allowed to use the dead-letter target: its RedriveAllowPolicy "
                   "does not allow it.");
  }
  return Status::Ok();
}

Result<CreateQueueResponse> Engine::CreateQueue(const CreateQueueRequest& r, Timestamp now) {
  if (r.queue_name.empty()) return Missing("QueueName");
  if (!IsValidQueueName(r.queue_name)) {
    return Status(ErrorCode::kInvalidParameterValue,
                  "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in "
                  "length");
  }
  const bool fifo_name = EndsWith(r.queue_name, ".fifo");
  const auto fifo_attr = r.attributes.find("FifoQueue");
  const bool fifo_requested = fifo_attr != r.attributes.end() &&
                              (fifo_attr->second == "true" || fifo_attr->second == "True");
  if (fifo_requested && !fifo_name) {
    return Status(ErrorCode::kInvalidParameterValue,
                  "The name of a FIFO queue can only include alphanumeric characters, hyphens, or "
                  "underscores, must end with .fifo suffix and be 1 to 80 in length.");
  }
  if (fifo_name && !fifo_requested) {
    return Status(ErrorCode::kInvalidParameterValue,
                  "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in "
                  "length");
  }
  QueueConfig config;
  config.fifo = fifo_name;
  if (Status s = ApplyQueueAttributes(r.attributes, AttributeUse::kCreate, &config); !s.ok()) {
    return s;
  }
  if (Status s = ValidateTags(r.tags); !s.ok()) return s;
  if (r.tags.size() > kMaxTagsPerQueue) {
    return Status(ErrorCode::kInvalidParameterValue,
                  "Too many tags added for queue " + r.queue_name + ".");
  }

  if (auto it = queues_.find(r.queue_name); it != queues_.end()) {
    // Idempotent when every attribute named in the request equals the
    // queue's current value; attributes not named are not compared.
    const Queue& existing = *it->second;
    for (const auto& [name, value] : r.attributes) {
      if (RenderConfigAttribute(existing.config, name) != RenderConfigAttribute(config, name)) {
        return Status(ErrorCode::kQueueNameExists,
                      "A queue already exists with the same name and a different value for "
                      "attribute " +
                          name);
      }
    }
    return CreateQueueResponse{existing.url};
  }
  if (auto it = deleted_at_.find(r.queue_name);
      it != deleted_at_.end() && now < it->second + kRecreateDelay) {
    return Status(ErrorCode::kQueueDeletedRecently,
                  "You must wait 60 seconds after deleting a queue before you can create another "
                  "with the same name.");
  }

  if (options_.limits.max_queues > 0 &&
      queues_.size() >= static_cast<size_t>(options_.limits.max_queues)) {
    return Status(ErrorCode::kServiceUnavailable,
                  "The simulator holds its maximum of " +
                      std::to_string(options_.limits.max_queues) +
                      " queues (limits.max_queues, sqsim-server --max-queues).");
  }
  auto q = std::make_unique<Queue>(config.fifo);
  q->store.ShareUsage(&usage_);
  q->id = next_queue_id_++;
  q->name = r.queue_name;
  q->url = endpoint_ + "/" + options_.account_id + "/" + r.queue_name;
  q->arn = FormatQueueArn(options_.region, options_.account_id, r.queue_name);
  if (Status s = CheckRedriveTarget(*q, config); !s.ok()) return s;
  if (config.fifo) q->fifo = std::make_unique<FifoState>();
  q->config = std::move(config);
  q->created = now;
  q->last_active_minute = ActiveMinute(now);  // creating a queue accesses it
  q->last_modified = now;
  q->tags = r.tags;
  q->trace_id = trace_->InternName(q->name);
  trace_->Append({.time = now, .kind = TraceKind::kQueueCreated, .queue = q->trace_id});
  deleted_at_.erase(r.queue_name);
  CreateQueueResponse response{q->url};
  queues_by_id_[q->id] = q.get();
  queues_.emplace(r.queue_name, std::move(q));
  return response;
}

Result<GetQueueUrlResponse> Engine::GetQueueUrl(const GetQueueUrlRequest& r, Timestamp) {
  if (r.queue_name.empty()) return Missing("QueueName");
  if (r.queue_owner_aws_account_id && *r.queue_owner_aws_account_id != options_.account_id) {
    return QueueDoesNotExist();
  }
  auto it = queues_.find(r.queue_name);
  if (it == queues_.end()) return QueueDoesNotExist();
  return GetQueueUrlResponse{it->second->url};
}

Result<ListQueuesResponse> Engine::ListQueues(const ListQueuesRequest& r, Timestamp) {
  std::vector<std::string> names;
  const std::string prefix = r.queue_name_prefix.value_or("");
  for (auto it = queues_.lower_bound(prefix); it != queues_.end(); ++it) {
    if (it->first.compare(0, prefix.size(), prefix) != 0) break;
    names.push_back(it->first);
  }
  Result<Page> page = Paginate(names, r.max_results, r.next_token);
  if (!page.ok()) return page.status();
  ListQueuesResponse response;
  for (const std::string& name : page->names) response.queue_urls.push_back(queues_[name]->url);
  response.next_token = page->next_token;
  return response;
}

Result<DeleteQueueResponse> Engine::DeleteQueue(const DeleteQueueRequest& r, Timestamp now) {
  Result<Queue*> found = FindQueue(r.queue_url);
  if (!found.ok()) return found.status();
  Queue* q = *found;
  Touch(*q);
  trace_->Append({.time = now, .kind = TraceKind::kQueueDeleted, .queue = q->trace_id});
  deleted_at_[q->name] = now;
  cached_queue_ = nullptr;
  queues_by_id_.erase(q->id);
  queues_.erase(q->name);
  return DeleteQueueResponse{};
}

Result<GetQueueAttributesResponse> Engine::GetQueueAttributes(const GetQueueAttributesRequest& r,
                                                              Timestamp now) {
  Result<Queue*> found = FindQueue(r.queue_url);
  if (!found.ok()) return found.status();
  Queue& q = **found;
  bool all = false;
  for (const std::string& name : r.attribute_names) {
    if (name == "All") {
      all = true;
    } else if (!IsQueueAttributeName(name)) {
      return Status(ErrorCode::kInvalidAttributeName, "Unknown Attribute " + name + ".");
    }
  }
  Settle(q, now);
  QueueAttributeMap everything = RenderConfigAttributes(q.config);
  everything["ApproximateNumberOfMessages"] = std::to_string(q.store.visible());
  everything["ApproximateNumberOfMessagesNotVisible"] = std::to_string(q.store.in_flight());
  everything["ApproximateNumberOfMessagesDelayed"] = std::to_string(q.store.delayed());
  everything["CreatedTimestamp"] = std::to_string(ToEpochSeconds(q.created));
  everything["LastModifiedTimestamp"] = std::to_string(ToEpochSeconds(q.last_modified));
  everything["QueueArn"] = q.arn;
  GetQueueAttributesResponse response;
  if (all) {
    response.attributes = std::move(everything);
    return response;
  }
  for (const std::string& name : r.attribute_names) {
    auto it = everything.find(name);
    if (it != everything.end()) response.attributes.insert(*it);
  }
  return response;
}

Result<SetQueueAttributesResponse> Engine::SetQueueAttributes(const SetQueueAttributesRequest& r,
                                                              Timestamp now) {
  Result<Queue*> found = FindQueue(r.queue_url);
  if (!found.ok()) return found.status();
  Queue& q = **found;
  if (r.attributes.empty()) return Missing("Attributes");
  QueueConfig config = q.config;
  if (Status s = ApplyQueueAttributes(r.attributes, AttributeUse::kSet, &config); !s.ok()) {
    return s;
  }
  if (Status s = CheckRedriveTarget(q, config); !s.ok()) return s;
  // SQS propagates attribute changes within a minute (retention within 15);
  // the simulator applies them at once so that tests are deterministic.
  Settle(q, now);
  const bool delay_changed = config.delay_seconds != q.config.delay_seconds;
  q.config = std::move(config);
  q.last_modified = now;
  Settle(q, now);  // a shorter retention may expire messages now
  if (q.fifo && delay_changed) {
    // FIFO queues apply a new DelaySeconds to the messages already queued.
    q.store.Reschedule(now.time_since_epoch().count(), int64_t{q.config.delay_seconds} * 1000000);
    q.store.TakeNewlyVisible();
    q.fifo->index.Rebuild(q.store);
  }
  Touch(q);
  return SetQueueAttributesResponse{};
}

Result<PurgeQueueResponse> Engine::PurgeQueue(const PurgeQueueRequest& r, Timestamp now) {
  Result<Queue*> found = FindQueue(r.queue_url);
  if (!found.ok()) return found.status();
  Queue& q = **found;
  if (q.last_purge && now < *q.last_purge + kPurgeInterval) {
    return Status(ErrorCode::kPurgeQueueInProgress,
                  "Only one PurgeQueue operation on " + q.name + " is allowed every 60 seconds.");
  }
  // SQS may take up to 60 s to purge; the simulator purges at once, visible,
  // in-flight and delayed messages alike.
  Settle(q, now);
  q.store.Clear([&](StoredMessage&& m) { TraceMessage(TraceKind::kMessagePurged, q, m, now, 0); });
  if (q.fifo) {
    // Purging also forgets the deduplication history (observed on AWS).
    q.fifo->index.Clear();
    q.fifo->dedup.clear();
    q.fifo->dedup_expiry.clear();
    q.fifo->attempts.clear();
  }
  q.last_purge = now;
  Touch(q);
  return PurgeQueueResponse{};
}

Result<TagQueueResponse> Engine::TagQueue(const TagQueueRequest& r, Timestamp) {
  Result<Queue*> found = FindQueue(r.queue_url);
  if (!found.ok()) return found.status();
  Queue& q = **found;
  if (r.tags.empty()) return Missing("Tags");
  if (Status s = ValidateTags(r.tags); !s.ok()) return s;
  TagMap merged = q.tags;
  for (const auto& [key, value] : r.tags) merged[key] = value;
  if (merged.size() > kMaxTagsPerQueue) {
    return Status(ErrorCode::kInvalidParameterValue,
                  "Too many tags added for queue " + q.name + ".");
  }
  q.tags = std::move(merged);
  return TagQueueResponse{};
}

Result<UntagQueueResponse> Engine::UntagQueue(const UntagQueueRequest& r, Timestamp) {
  Result<Queue*> found = FindQueue(r.queue_url);
  if (!found.ok()) return found.status();
  if (r.tag_keys.empty()) return Missing("TagKeys");
  if (Status s = ValidateTagKeys(r.tag_keys); !s.ok()) return s;
  // Removing a key the queue does not have is not an error.
  for (const std::string& key : r.tag_keys) (*found)->tags.erase(key);
  return UntagQueueResponse{};
}

Result<ListQueueTagsResponse> Engine::ListQueueTags(const ListQueueTagsRequest& r, Timestamp) {
  Result<Queue*> found = FindQueue(r.queue_url);
  if (!found.ok()) return found.status();
  return ListQueueTagsResponse{(*found)->tags};
}

Result<AddPermissionResponse> Engine::AddPermission(const AddPermissionRequest& r, Timestamp now) {
  Result<Queue*> found = FindQueue(r.queue_url);
  if (!found.ok()) return found.status();
  Queue& q = **found;
  if (r.label.empty()) return Missing("Label");
  if (r.aws_account_ids.empty()) return Missing("AWSAccountIds");
  if (r.actions.empty()) return Missing("Actions");
  if (!IsValidPermissionLabel(r.label)) {
    return Status(ErrorCode::kInvalidParameterValue,
                  "Value " + r.label +
                      " for parameter Label is invalid. Reason: Can only include alphanumeric "
                      "characters, hyphens, or underscores. 1 to 80 in length.");
  }
  for (const std::string& id : r.aws_account_ids) {
    if (!IsValidAccountId(id)) {
      return Status(ErrorCode::kInvalidParameterValue,
                    "Value " + id +
                        " for parameter AWSAccountIds is invalid. Reason: An AWS "
                        "account id is 12 digits.");
    }
  }
  for (const std::string& action : r.actions) {
    if (IsGrantableAction(action)) continue;
    const bool known = ActionFromName(action).has_value();
    return Status(ErrorCode::kInvalidParameterValue,
                  "Value SQS:" + action + " for parameter ActionName is invalid. Reason: " +
                      (known ? "Only the queue owner is allowed to invoke this action."
                             : "Please refer to the appropriate WSDL for a list of valid "
                               "actions."));
  }
  Result<std::string> policy =
      AddPermissionStatement(q.config.policy, q.arn, r.label, r.aws_account_ids, r.actions);
  if (!policy.ok()) return policy.status();
  q.config.policy = std::move(policy).value();
  q.last_modified = now;
  return AddPermissionResponse{};
}

Result<RemovePermissionResponse> Engine::RemovePermission(const RemovePermissionRequest& r,
                                                          Timestamp now) {
  Result<Queue*> found = FindQueue(r.queue_url);
  if (!found.ok()) return found.status();
  Queue& q = **found;
  if (r.label.empty()) return Missing("Label");
  Result<std::optional<std::string>> policy = RemovePermissionStatement(q.config.policy, r.label);
  if (!policy.ok()) return policy.status();
  q.config.policy = std::move(policy).value();
  q.last_modified = now;
  return RemovePermissionResponse{};
}

Result<ListDeadLetterSourceQueuesResponse> Engine::ListDeadLetterSourceQueues(
    const ListDeadLetterSourceQueuesRequest& r, Timestamp) {
  Result<Queue*> found = FindQueue(r.queue_url);
  if (!found.ok()) return found.status();
  const std::string& dlq_arn = (*found)->arn;
  std::vector<std::string> names;
  for (const auto& [name, q] : queues_) {
    if (q->config.redrive_policy && q->config.redrive_policy->dead_letter_target_arn == dlq_arn) {
      names.push_back(name);
    }
  }
  Result<Page> page = Paginate(names, r.max_results, r.next_token);
  if (!page.ok()) return page.status();
  ListDeadLetterSourceQueuesResponse response;
  for (const std::string& name : page->names) response.queue_urls.push_back(queues_[name]->url);
  response.next_token = page->next_token;
  return response;
}

}  // namespace sqsim::internal
