// botocore as the oracle for the query codec, both ways.
//
// Requests: botocore's QuerySerializer turns botocore parameters into the
// form body an SDK sends; ParseForm + DecodeQueryRequest must give back the
// same parameters (compared as botocore-shaped JSON). Responses and errors:
// botocore's QueryParser must read our XML as the expected dictionary. All
// cases go through one python3 run (tests/wire/query_oracle.py), shared by
// the tests; without python3 or botocore the tests skip and say why.

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/digest.h"
#include "wire/query_codec.h"

namespace sqsim::wire {
namespace {

using nlohmann::json;

constexpr std::string_view kRequestId = "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111";
const std::string kUrl = "https://sqs.us-east-1.amazonaws.com/123456789012/orders";
const std::string kArn = "arn:aws:sqs:us-east-1:123456789012:orders";
const std::string kDlqArn = "arn:aws:sqs:us-east-1:123456789012:orders-dlq";
// Everything the form and XML encodings must carry: separators, escapes,
// markup, CR LF, quotes, non-ASCII (2- and 4-byte UTF-8), tab, trailing space.
const std::string kTricky = "a <b> & c\r\nd \"q\" 'x' +%=&;/?#[] \xc3\xbc\xf0\x9f\x98\x80\tend ";
const std::string kBytes("\x00\x01\xff\xfe+/=", 7);
const std::string kPolicy =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sqs:*"}]})";

// ---- botocore-shaped parameters of sqsim structs ------------------------------

json Bytes(std::string_view raw) { return {{"$base64", internal::Base64Encode(raw)}}; }

json StringMap(const std::map<std::string, std::string>& map) {
  json out = json::object();
  for (const auto& [key, value] : map) out[key] = value;
  return out;
}

json AttributeValue(const MessageAttributeValue& value) {
  json out = {{"DataType", value.data_type}};
  if (value.string_value) out["StringValue"] = *value.string_value;
  if (value.binary_value) out["BinaryValue"] = Bytes(*value.binary_value);
  if (!value.string_list_values.empty()) out["StringListValues"] = value.string_list_values;
  for (const std::string& item : value.binary_list_values) {
    out["BinaryListValues"].push_back(Bytes(item));
  }
  return out;
}

json Attributes(const MessageAttributeMap& map) {
  json out = json::object();
  for (const auto& [name, value] : map) out[name] = AttributeValue(value);
  return out;
}

// Adds `name` when the optional or container is set, as botocore callers
// omit unset members.
template <typename T>
void Put(json& out, const char* name, const std::optional<T>& value) {
  if (value) out[name] = *value;
}
void Put(json& out, const char* name, const std::vector<std::string>& value) {
  if (!value.empty()) out[name] = value;
}
void Put(json& out, const char* name, const std::map<std::string, std::string>& value) {
  if (!value.empty()) out[name] = StringMap(value);
}
void Put(json& out, const char* name, const MessageAttributeMap& value) {
  if (!value.empty()) out[name] = Attributes(value);
}

json ToParams(const AddPermissionRequest& r) {
  return {{"QueueUrl", r.queue_url},
          {"Label", r.label},
          {"AWSAccountIds", r.aws_account_ids},
          {"Actions", r.actions}};
}
json ToParams(const CancelMessageMoveTaskRequest& r) { return {{"TaskHandle", r.task_handle}}; }
json ToParams(const ChangeMessageVisibilityRequest& r) {
  return {{"QueueUrl", r.queue_url},
          {"ReceiptHandle", r.receipt_handle},
          {"VisibilityTimeout", r.visibility_timeout}};
}
json ToParams(const ChangeMessageVisibilityBatchRequest& r) {
  json entries = json::array();
  for (const auto& e : r.entries) {
    json entry = {{"Id", e.id}, {"ReceiptHandle", e.receipt_handle}};
    Put(entry, "VisibilityTimeout", e.visibility_timeout);
    entries.push_back(entry);
  }
  return {{"QueueUrl", r.queue_url}, {"Entries", entries}};
}
json ToParams(const CreateQueueRequest& r) {
  json out = {{"QueueName", r.queue_name}};
  Put(out, "Attributes", r.attributes);
  Put(out, "tags", r.tags);
  return out;
}
json ToParams(const DeleteMessageRequest& r) {
  return {{"QueueUrl", r.queue_url}, {"ReceiptHandle", r.receipt_handle}};
}
json ToParams(const DeleteMessageBatchRequest& r) {
  json entries = json::array();
  for (const auto& e : r.entries)
    entries.push_back({{"Id", e.id}, {"ReceiptHandle", e.receipt_handle}});
  return {{"QueueUrl", r.queue_url}, {"Entries", entries}};
}
json ToParams(const DeleteQueueRequest& r) { return {{"QueueUrl", r.queue_url}}; }
json ToParams(const GetQueueAttributesRequest& r) {
  json out = {{"QueueUrl", r.queue_url}};
  Put(out, "AttributeNames", r.attribute_names);
  return out;
}
json ToParams(const GetQueueUrlRequest& r) {
  json out = {{"QueueName", r.queue_name}};
  Put(out, "QueueOwnerAWSAccountId", r.queue_owner_aws_account_id);
  return out;
}
json ToParams(const ListDeadLetterSourceQueuesRequest& r) {
  json out = {{"QueueUrl", r.queue_url}};
  Put(out, "NextToken", r.next_token);
  Put(out, "MaxResults", r.max_results);
  return out;
}
json ToParams(const ListMessageMoveTasksRequest& r) {
  json out = {{"SourceArn", r.source_arn}};
  Put(out, "MaxResults", r.max_results);
  return out;
}
json ToParams(const ListQueueTagsRequest& r) { return {{"QueueUrl", r.queue_url}}; }
json ToParams(const ListQueuesRequest& r) {
  json out = json::object();
  Put(out, "QueueNamePrefix", r.queue_name_prefix);
  Put(out, "NextToken", r.next_token);
  Put(out, "MaxResults", r.max_results);
  return out;
}
json ToParams(const PurgeQueueRequest& r) { return {{"QueueUrl", r.queue_url}}; }
json ToParams(const ReceiveMessageRequest& r) {
  json out = {{"QueueUrl", r.queue_url}};
  Put(out, "AttributeNames", r.attribute_names);
  Put(out, "MessageSystemAttributeNames", r.message_system_attribute_names);
  Put(out, "MessageAttributeNames", r.message_attribute_names);
  Put(out, "MaxNumberOfMessages", r.max_number_of_messages);
  Put(out, "VisibilityTimeout", r.visibility_timeout);
  Put(out, "WaitTimeSeconds", r.wait_time_seconds);
  Put(out, "ReceiveRequestAttemptId", r.receive_request_attempt_id);
  return out;
}
json ToParams(const RemovePermissionRequest& r) {
  return {{"QueueUrl", r.queue_url}, {"Label", r.label}};
}
template <typename T>
json SendParams(const T& r) {
  json out = {{"MessageBody", r.message_body}};
  Put(out, "DelaySeconds", r.delay_seconds);
  Put(out, "MessageAttributes", r.message_attributes);
  Put(out, "MessageSystemAttributes", r.message_system_attributes);
  Put(out, "MessageDeduplicationId", r.message_deduplication_id);
  Put(out, "MessageGroupId", r.message_group_id);
  return out;
}
json ToParams(const SendMessageRequest& r) {
  json out = SendParams(r);
  out["QueueUrl"] = r.queue_url;
  return out;
}
json ToParams(const SendMessageBatchRequest& r) {
  json entries = json::array();
  for (const auto& e : r.entries) {
    json entry = SendParams(e);
    entry["Id"] = e.id;
    entries.push_back(entry);
  }
  return {{"QueueUrl", r.queue_url}, {"Entries", entries}};
}
json ToParams(const SetQueueAttributesRequest& r) {
  return {{"QueueUrl", r.queue_url}, {"Attributes", StringMap(r.attributes)}};
}
json ToParams(const StartMessageMoveTaskRequest& r) {
  json out = {{"SourceArn", r.source_arn}};
  Put(out, "DestinationArn", r.destination_arn);
  Put(out, "MaxNumberOfMessagesPerSecond", r.max_number_of_messages_per_second);
  return out;
}
json ToParams(const TagQueueRequest& r) {
  return {{"QueueUrl", r.queue_url}, {"Tags", StringMap(r.tags)}};
}
json ToParams(const UntagQueueRequest& r) {
  return {{"QueueUrl", r.queue_url}, {"TagKeys", r.tag_keys}};
}

// ---- Cases --------------------------------------------------------------------

using DecodeFn = std::function<Status(const FormFields&, json*)>;

template <typename Request>
Status DecodeToParams(const FormFields& form, json* params) {
  Request request;
  Status status = DecodeQueryRequest(form, &request);
  if (status.ok()) *params = ToParams(request);
  return status;
}

struct RequestCase {
  std::string name;
  std::string operation;
  json params;  // botocore parameters; what decoding must give back
  DecodeFn decode;
};

json UserAttributes() {
  return {{"str", {{"DataType", "String"}, {"StringValue", kTricky}}},
          {"num", {{"DataType", "Number.int"}, {"StringValue", "-12.5e3"}}},
          {"bin", {{"DataType", "Binary"}, {"BinaryValue", Bytes(kBytes)}}},
          {"lists",
           {{"DataType", "String"},
            {"StringListValues", json::array({"x", "y z"})},
            {"BinaryListValues", json::array({Bytes("ab"), Bytes(kBytes)})}}}};
}

json SystemAttributes() {
  return {{"AWSTraceHeader",
           {{"DataType", "String"}, {"StringValue", "Root=1-5759e988-bd862e3fe1be46a994272793"}}}};
}

json SendMembers(const std::string& body) {
  return {{"MessageBody", body},
          {"DelaySeconds", 900},
          {"MessageAttributes", UserAttributes()},
          {"MessageSystemAttributes", SystemAttributes()},
          {"MessageDeduplicationId", "dedup-1!"},
          {"MessageGroupId", "group/1"}};
}

using RequestCaseList = std::vector<RequestCase>;

// A case named after its action.
#define SQSIM_CASE(Name, params) \
  cases.push_back({#Name, #Name, params, DecodeToParams<Name##Request>})

void AddRequestCasesAddPermissionToPurgeQueue(RequestCaseList& cases) {
  SQSIM_CASE(AddPermission, (json{{"QueueUrl", kUrl},
                                  {"Label", "label_1"},
                                  {"AWSAccountIds", json::array({"111122223333", "444455556666"})},
                                  {"Actions", json::array({"SendMessage", "*"})}}));
  SQSIM_CASE(CancelMessageMoveTask, (json{{"TaskHandle", "eyJ0YXNr+/="}}));
  SQSIM_CASE(ChangeMessageVisibility,
             (json{{"QueueUrl", kUrl}, {"ReceiptHandle", "AQEB+rh/=="}, {"VisibilityTimeout", 0}}));
  SQSIM_CASE(
      ChangeMessageVisibilityBatch,
      (json{{"QueueUrl", kUrl},
            {"Entries",
             json::array({{{"Id", "a"}, {"ReceiptHandle", "rh+1"}, {"VisibilityTimeout", 43200}},
                          {{"Id", "b"}, {"ReceiptHandle", "rh/2"}}})}}));
  SQSIM_CASE(CreateQueue, (json{{"QueueName", "orders.fifo"},
                                {"Attributes",
                                 {{"FifoQueue", "true"},
                                  {"DelaySeconds", "5"},
                                  {"Policy", kPolicy},
                                  {"RedrivePolicy", R"({"deadLetterTargetArn":")" + kDlqArn +
                                                        R"(","maxReceiveCount":"3"})"}}},
                                {"tags", {{"team", "payments"}, {"cost center", kTricky}}}}));
  SQSIM_CASE(DeleteMessage, (json{{"QueueUrl", kUrl}, {"ReceiptHandle", "AQEB+rh/=="}}));
  {
    // Twelve entries: indexes 10-12 sort before 2 as text, not as numbers.
    json entries = json::array();
    for (int i = 1; i <= 12; ++i) {
      entries.push_back({{"Id", "e" + std::to_string(i)},
                         {"ReceiptHandle", "AQEB+x/" + std::to_string(i) + "=="}});
    }
    SQSIM_CASE(DeleteMessageBatch, (json{{"QueueUrl", kUrl}, {"Entries", entries}}));
  }
  SQSIM_CASE(DeleteQueue, (json{{"QueueUrl", kUrl}}));
  SQSIM_CASE(GetQueueAttributes,
             (json{{"QueueUrl", kUrl}, {"AttributeNames", json::array({"All", "Policy"})}}));
  SQSIM_CASE(GetQueueUrl,
             (json{{"QueueName", "orders"}, {"QueueOwnerAWSAccountId", "123456789012"}}));
  SQSIM_CASE(ListDeadLetterSourceQueues,
             (json{{"QueueUrl", kUrl}, {"NextToken", "tok+/=="}, {"MaxResults", 1000}}));
  SQSIM_CASE(ListMessageMoveTasks, (json{{"SourceArn", kDlqArn}, {"MaxResults", 10}}));
  SQSIM_CASE(ListQueueTags, (json{{"QueueUrl", kUrl}}));
  SQSIM_CASE(ListQueues,
             (json{{"QueueNamePrefix", "ord"}, {"NextToken", "tok+/=="}, {"MaxResults", 1}}));
  SQSIM_CASE(PurgeQueue, (json{{"QueueUrl", kUrl}}));
}

void AddRequestCasesReceiveMessageToUntagQueue(RequestCaseList& cases) {
  SQSIM_CASE(ReceiveMessage,
             (json{{"QueueUrl", kUrl},
                   {"AttributeNames", json::array({"SentTimestamp", "ApproximateReceiveCount"})},
                   {"MessageSystemAttributeNames", json::array({"All"})},
                   {"MessageAttributeNames", json::array({"str", "foo.*"})},
                   {"MaxNumberOfMessages", 10},
                   {"VisibilityTimeout", 30},
                   {"WaitTimeSeconds", 20},
                   {"ReceiveRequestAttemptId", "attempt-1"}}));
  SQSIM_CASE(RemovePermission, (json{{"QueueUrl", kUrl}, {"Label", "label_1"}}));
  {
    json params = SendMembers(kTricky);
    params["QueueUrl"] = kUrl;
    SQSIM_CASE(SendMessage, params);
  }
  {
    json full = SendMembers(kTricky);
    full["Id"] = "full";
    json negative = SendMembers("second");
    negative["Id"] = "negative-delay";
    negative["DelaySeconds"] = -1;
    json entries = json::array({full, negative, {{"Id", "bare"}, {"MessageBody", "x"}}});
    SQSIM_CASE(SendMessageBatch, (json{{"QueueUrl", kUrl}, {"Entries", entries}}));
  }
  SQSIM_CASE(SetQueueAttributes, (json{{"QueueUrl", kUrl},
                                       {"Attributes",
                                        {{"Policy", kPolicy},
                                         {"VisibilityTimeout", "45"},
                                         {"ReceiveMessageWaitTimeSeconds", "20"}}}}));
  SQSIM_CASE(StartMessageMoveTask, (json{{"SourceArn", kDlqArn},
                                         {"DestinationArn", kArn},
                                         {"MaxNumberOfMessagesPerSecond", 500}}));
  SQSIM_CASE(TagQueue,
             (json{{"QueueUrl", kUrl}, {"Tags", {{"team", "payments"}, {"k&=", kTricky}}}}));
  SQSIM_CASE(UntagQueue, (json{{"QueueUrl", kUrl}, {"TagKeys", json::array({"team", "k&="})}}));
}
#undef SQSIM_CASE

std::vector<RequestCase> MakeRequestCases() {
  RequestCaseList cases;
  AddRequestCasesAddPermissionToPurgeQueue(cases);
  AddRequestCasesReceiveMessageToUntagQueue(cases);
  // Only required members: optional ones must stay unset.
  cases.push_back({"ListQueuesWithoutMembers", "ListQueues", json::object(),
                   DecodeToParams<ListQueuesRequest>});
  cases.push_back({"SendMessageWithoutOptionalMembers", "SendMessage",
                   json{{"QueueUrl", kUrl}, {"MessageBody", "hello"}},
                   DecodeToParams<SendMessageRequest>});
  cases.push_back({"ReceiveMessageWithoutOptionalMembers", "ReceiveMessage",
                   json{{"QueueUrl", kUrl}}, DecodeToParams<ReceiveMessageRequest>});
  return cases;
}

const std::vector<RequestCase>& RequestCases() {
  static const auto* cases = new std::vector<RequestCase>(MakeRequestCases());
  return *cases;
}

struct ResponseCase {
  std::string name;
  std::string operation;
  std::string xml;  // our encoding
  json expected;    // what botocore must parse from it (RequestId added)
};

Message FullMessage() {
  return Message{
      .message_id = "5fea7756-0ea4-451a-a703-a558b933e274",
      .receipt_handle = "AQEB+rh/==",
      .md5_of_body = internal::Md5Hex(kTricky),
      .body = kTricky,
      .attributes = {{"SentTimestamp", "1700000000000"},
                     {"ApproximateReceiveCount", "2"},
                     {"SenderId", "AIDAEXAMPLE"}},
      .md5_of_message_attributes = "d25a6aea97eb8f585bfa92d314504a92",
      .message_attributes = {{"str", {.string_value = kTricky, .data_type = "String"}},
                             {"bin", {.binary_value = kBytes, .data_type = "Binary"}},
                             {"lists",
                              {.string_list_values = {"x", "y z"},
                               .binary_list_values = {"ab", kBytes},
                               .data_type = "String"}}},
  };
}

json FullMessageParsed() {
  return {{"MessageId", "5fea7756-0ea4-451a-a703-a558b933e274"},
          {"ReceiptHandle", "AQEB+rh/=="},
          {"MD5OfBody", internal::Md5Hex(kTricky)},
          {"Body", kTricky},
          {"Attributes",
           {{"SentTimestamp", "1700000000000"},
            {"ApproximateReceiveCount", "2"},
            {"SenderId", "AIDAEXAMPLE"}}},
          {"MD5OfMessageAttributes", "d25a6aea97eb8f585bfa92d314504a92"},
          {"MessageAttributes",
           {{"str", {{"StringValue", kTricky}, {"DataType", "String"}}},
            {"bin", {{"BinaryValue", Bytes(kBytes)}, {"DataType", "Binary"}}},
            {"lists",
             {{"StringListValues", json::array({"x", "y z"})},
              {"BinaryListValues", json::array({Bytes("ab"), Bytes(kBytes)})},
              {"DataType", "String"}}}}}};
}

std::vector<BatchResultErrorEntry> Failures() {
  return {{.id = "f1", .sender_fault = true, .code = "InvalidParameterValue", .message = kTricky},
          {.id = "f2", .sender_fault = false, .code = "InternalError"}};
}

json FailuresParsed() {
  return json::array({{{"Id", "f1"},
                       {"SenderFault", true},
                       {"Code", "InvalidParameterValue"},
                       {"Message", kTricky}},
                      {{"Id", "f2"}, {"SenderFault", false}, {"Code", "InternalError"}}});
}

// Collects response cases; `add` encodes the response as it goes.
class ResponseCaseList {
 public:
  template <typename Response>
  void operator()(std::string name, std::string operation, const Response& response,
                  json expected) {
    std::string xml = EncodeQueryResponse(response, kRequestId);
    cases.push_back({std::move(name), std::move(operation), std::move(xml), std::move(expected)});
  }
  std::vector<ResponseCase> cases;
};

void AddQueueResponseCases(ResponseCaseList& add) {
  // Actions without output parse to nothing but the metadata.
  add("AddPermission", "AddPermission", AddPermissionResponse{}, json::object());
  add("ChangeMessageVisibility", "ChangeMessageVisibility", ChangeMessageVisibilityResponse{},
      json::object());
  add("DeleteMessage", "DeleteMessage", DeleteMessageResponse{}, json::object());
  add("DeleteQueue", "DeleteQueue", DeleteQueueResponse{}, json::object());
  add("PurgeQueue", "PurgeQueue", PurgeQueueResponse{}, json::object());
  add("RemovePermission", "RemovePermission", RemovePermissionResponse{}, json::object());
  add("SetQueueAttributes", "SetQueueAttributes", SetQueueAttributesResponse{}, json::object());
  add("TagQueue", "TagQueue", TagQueueResponse{}, json::object());
  add("UntagQueue", "UntagQueue", UntagQueueResponse{}, json::object());

  add("CancelMessageMoveTask", "CancelMessageMoveTask",
      CancelMessageMoveTaskResponse{.approximate_number_of_messages_moved = 123456789012},
      {{"ApproximateNumberOfMessagesMoved", 123456789012}});
  add("ChangeMessageVisibilityBatch", "ChangeMessageVisibilityBatch",
      ChangeMessageVisibilityBatchResponse{.successful = {{.id = "a"}, {.id = "b"}},
                                           .failed = Failures()},
      {{"Successful", json::array({{{"Id", "a"}}, {{"Id", "b"}}})}, {"Failed", FailuresParsed()}});
  add("CreateQueue", "CreateQueue", CreateQueueResponse{.queue_url = kUrl}, {{"QueueUrl", kUrl}});
  add("DeleteMessageBatch", "DeleteMessageBatch",
      DeleteMessageBatchResponse{.successful = {{.id = "a"}}, .failed = Failures()},
      {{"Successful", json::array({{{"Id", "a"}}})}, {"Failed", FailuresParsed()}});
  add("GetQueueAttributes", "GetQueueAttributes",
      GetQueueAttributesResponse{
          .attributes = {{"Policy", kPolicy}, {"QueueArn", kArn}, {"VisibilityTimeout", "30"}}},
      {{"Attributes", {{"Policy", kPolicy}, {"QueueArn", kArn}, {"VisibilityTimeout", "30"}}}});
  add("GetQueueUrl", "GetQueueUrl", GetQueueUrlResponse{.queue_url = kUrl}, {{"QueueUrl", kUrl}});
  add("ListDeadLetterSourceQueues", "ListDeadLetterSourceQueues",
      ListDeadLetterSourceQueuesResponse{.queue_urls = {kUrl, kUrl + "-2"}, .next_token = "t+/="},
      {{"queueUrls", json::array({kUrl, kUrl + "-2"})}, {"NextToken", "t+/="}});
}

void AddMoveTaskResponseCases(ResponseCaseList& add) {
  add("ListMessageMoveTasks", "ListMessageMoveTasks",
      ListMessageMoveTasksResponse{
          .results = {{.task_handle = "eyJ0YXNr+/=",
                       .status = "RUNNING",
                       .source_arn = kDlqArn,
                       .destination_arn = kArn,
                       .max_number_of_messages_per_second = 50,
                       .approximate_number_of_messages_moved = 3,
                       .approximate_number_of_messages_to_move = 4000000000,
                       .started_timestamp = 1700000000123},
                      {.status = "FAILED",
                       .source_arn = kDlqArn,
                       .approximate_number_of_messages_moved = 0,
                       .approximate_number_of_messages_to_move = 7,
                       .failure_reason = "AWS.SimpleQueueService.NonExistentQueue",
                       .started_timestamp = 1700000000456}}},
      {{"Results", json::array({{{"TaskHandle", "eyJ0YXNr+/="},
                                 {"Status", "RUNNING"},
                                 {"SourceArn", kDlqArn},
                                 {"DestinationArn", kArn},
                                 {"MaxNumberOfMessagesPerSecond", 50},
                                 {"ApproximateNumberOfMessagesMoved", 3},
                                 {"ApproximateNumberOfMessagesToMove", 4000000000},
                                 {"StartedTimestamp", 1700000000123}},
                                {{"Status", "FAILED"},
                                 {"SourceArn", kDlqArn},
                                 {"ApproximateNumberOfMessagesMoved", 0},
                                 {"ApproximateNumberOfMessagesToMove", 7},
                                 {"FailureReason", "AWS.SimpleQueueService.NonExistentQueue"},
                                 {"StartedTimestamp", 1700000000456}}})}});
}

void AddMessageResponseCases(ResponseCaseList& add) {
  add("ListQueueTags", "ListQueueTags",
      ListQueueTagsResponse{.tags = {{"team", "payments"}, {"k&<", kTricky}}},
      {{"Tags", {{"team", "payments"}, {"k&<", kTricky}}}});
  add("ListQueues", "ListQueues",
      ListQueuesResponse{.queue_urls = {kUrl, kUrl + "-2"}, .next_token = "t+/="},
      {{"QueueUrls", json::array({kUrl, kUrl + "-2"})}, {"NextToken", "t+/="}});
  add("ReceiveMessage", "ReceiveMessage",
      ReceiveMessageResponse{.messages = {FullMessage(),
                                          {.message_id = "m2",
                                           .receipt_handle = "rh2",
                                           .md5_of_body = internal::Md5Hex(""),
                                           .body = ""}}},
      {{"Messages", json::array({FullMessageParsed(),
                                 {{"MessageId", "m2"},
                                  {"ReceiptHandle", "rh2"},
                                  {"MD5OfBody", internal::Md5Hex("")},
                                  {"Body", ""}}})}});
  add("SendMessage", "SendMessage",
      SendMessageResponse{.md5_of_message_body = "b1",
                          .md5_of_message_attributes = "a1",
                          .md5_of_message_system_attributes = "s1",
                          .message_id = "m1",
                          .sequence_number = "18849496460467696128"},
      {{"MD5OfMessageBody", "b1"},
       {"MD5OfMessageAttributes", "a1"},
       {"MD5OfMessageSystemAttributes", "s1"},
       {"MessageId", "m1"},
       {"SequenceNumber", "18849496460467696128"}});
  add("SendMessageBatch", "SendMessageBatch",
      SendMessageBatchResponse{
          .successful = {{.id = "full",
                          .message_id = "m1",
                          .md5_of_message_body = "b1",
                          .md5_of_message_attributes = "a1",
                          .md5_of_message_system_attributes = "s1",
                          .sequence_number = "1"},
                         {.id = "bare", .message_id = "m2", .md5_of_message_body = "b2"}},
          .failed = Failures()},
      {{"Successful",
        json::array({{{"Id", "full"},
                      {"MessageId", "m1"},
                      {"MD5OfMessageBody", "b1"},
                      {"MD5OfMessageAttributes", "a1"},
                      {"MD5OfMessageSystemAttributes", "s1"},
                      {"SequenceNumber", "1"}},
                     {{"Id", "bare"}, {"MessageId", "m2"}, {"MD5OfMessageBody", "b2"}}})},
       {"Failed", FailuresParsed()}});
  add("StartMessageMoveTask", "StartMessageMoveTask",
      StartMessageMoveTaskResponse{.task_handle = "eyJ0YXNr+/="}, {{"TaskHandle", "eyJ0YXNr+/="}});
}

std::vector<ResponseCase> MakeResponseCases() {
  ResponseCaseList add;
  AddQueueResponseCases(add);
  AddMoveTaskResponseCases(add);
  AddMessageResponseCases(add);
  // Empty results: the wrapper is there, the members are not.
  add("ReceiveMessageWithoutMessages", "ReceiveMessage", ReceiveMessageResponse{}, json::object());
  add("ListQueuesWithoutQueues", "ListQueues", ListQueuesResponse{}, json::object());
  add("ListQueueTagsWithoutTags", "ListQueueTags", ListQueueTagsResponse{}, json::object());
  // Text XML cannot carry (bad UTF-8, C0 controls) arrives as U+FFFD.
  add("GetQueueUrlWithUnrepresentableText", "GetQueueUrl",
      GetQueueUrlResponse{.queue_url = std::string("a\x01z\xff", 4) + "\x0b"},
      {{"QueueUrl", "a\xef\xbf\xbdz\xef\xbf\xbd\xef\xbf\xbd"}});
  return std::move(add.cases);
}

const std::vector<ResponseCase>& ResponseCases() {
  static const auto* cases = new std::vector<ResponseCase>(MakeResponseCases());
  return *cases;
}

struct ErrorCase {
  std::string name;
  Status status;
  std::string type;  // Sender | Receiver
  std::string code;  // the query code botocore reports
  int http_status;
};

const std::vector<ErrorCase>& ErrorCases() {
  static const auto* cases = new std::vector<ErrorCase>{
      {"QueueDoesNotExist",
       Status(ErrorCode::kQueueDoesNotExist, "The specified queue does not exist."), "Sender",
       "AWS.SimpleQueueService.NonExistentQueue", 400},
      {"InvalidParameterValue", Status(ErrorCode::kInvalidParameterValue, kTricky), "Sender",
       "InvalidParameterValue", 400},
      {"OverLimit", Status(ErrorCode::kOverLimit, "too many"), "Sender", "OverLimit", 403},
      {"InternalFailure", Status(ErrorCode::kInternalFailure, "boom <&>"), "Receiver",
       "InternalFailure", 500},
  };
  return *cases;
}

// ---- The oracle run -------------------------------------------------------------

struct OracleRun {
  std::string skip_reason;  // set when python3 or botocore is missing
  std::string failure;      // set when the oracle itself failed
  json output;
};

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

OracleRun Run() {
  OracleRun run;
  const std::filesystem::path script =
      (std::filesystem::path(SQSIM_TESTS_DIR) / "wire") / "query_oracle.py";
  if (!std::filesystem::exists(script)) {
    run.skip_reason = "oracle script not found at " + script.string();
    return run;
  }
  json input = {
      {"requests", json::array()}, {"responses", json::array()}, {"errors", json::array()}};
  for (const RequestCase& c : RequestCases()) {
    input["requests"].push_back({{"operation", c.operation}, {"params", c.params}});
  }
  for (const ResponseCase& c : ResponseCases()) {
    input["responses"].push_back({{"operation", c.operation}, {"xml", c.xml}});
  }
  for (const ErrorCase& c : ErrorCases()) {
    QueryErrorResponse error = EncodeQueryError(c.status, kRequestId);
    input["errors"].push_back(
        {{"operation", "SendMessage"}, {"status", error.http_status}, {"xml", error.body}});
  }
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("sqsim_query_oracle_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "in.json") << input.dump();
  const std::string command = "python3 '" + script.string() + "' < '" + (dir / "in.json").string() +
                              "' > '" + (dir / "out.json").string() + "' 2> '" +
                              (dir / "err.txt").string() + "'";
  const int status = std::system(command.c_str());
  const int exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  const std::string out = ReadFile(dir / "out.json");
  const std::string err = ReadFile(dir / "err.txt");
  std::filesystem::remove_all(dir);
  if (exit_code == 127) {
    run.skip_reason = "python3 is not on PATH";
  } else if (exit_code == 3) {
    run.skip_reason = out;
  } else if (exit_code != 0) {
    run.failure = "oracle exited with " + std::to_string(exit_code) + ": " + err;
  } else {
    run.output = json::parse(out, nullptr, /*allow_exceptions=*/false);
    if (run.output.is_discarded()) run.failure = "oracle wrote no JSON: " + out + err;
  }
  return run;
}

const OracleRun& Oracle() {
  static const auto* run = new OracleRun(Run());
  return *run;
}

#define SQSIM_REQUIRE_ORACLE()                                               \
  do {                                                                       \
    if (!Oracle().skip_reason.empty()) GTEST_SKIP() << Oracle().skip_reason; \
    ASSERT_EQ(Oracle().failure, "");                                         \
  } while (false)

// ---- Tests --------------------------------------------------------------------

class QueryRequestOracleTest : public ::testing::TestWithParam<size_t> {};

TEST_P(QueryRequestOracleTest, DecodesWhatBotocoreSerializes) {
  SQSIM_REQUIRE_ORACLE();
  const RequestCase& c = RequestCases()[GetParam()];
  const json& out = Oracle().output["requests"][GetParam()];
  ASSERT_FALSE(out.contains("error")) << out["error"];
  const std::string body = out["body"];
  Result<FormFields> form = ParseForm(body);
  ASSERT_TRUE(form.ok()) << form.status();
  EXPECT_EQ(form->at("Action"), c.operation);
  json decoded;
  Status status = c.decode(*form, &decoded);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(decoded, c.params) << "form body: " << body;
}

INSTANTIATE_TEST_SUITE_P(Botocore, QueryRequestOracleTest,
                         ::testing::Range<size_t>(0, RequestCases().size()),
                         [](const ::testing::TestParamInfo<size_t>& info) {
                           return RequestCases()[info.param].name;
                         });

class QueryResponseOracleTest : public ::testing::TestWithParam<size_t> {};

TEST_P(QueryResponseOracleTest, BotocoreParsesWhatWeEncode) {
  SQSIM_REQUIRE_ORACLE();
  const ResponseCase& c = ResponseCases()[GetParam()];
  const json& out = Oracle().output["responses"][GetParam()];
  ASSERT_FALSE(out.contains("error")) << out["error"] << "\nxml: " << c.xml;
  json expected = c.expected;
  expected["ResponseMetadata"] = {{"RequestId", kRequestId}};
  EXPECT_EQ(out["parsed"], expected) << "xml: " << c.xml;
}

INSTANTIATE_TEST_SUITE_P(Botocore, QueryResponseOracleTest,
                         ::testing::Range<size_t>(0, ResponseCases().size()),
                         [](const ::testing::TestParamInfo<size_t>& info) {
                           return ResponseCases()[info.param].name;
                         });

class QueryErrorOracleTest : public ::testing::TestWithParam<size_t> {};

TEST_P(QueryErrorOracleTest, BotocoreReadsCodeMessageAndType) {
  SQSIM_REQUIRE_ORACLE();
  const ErrorCase& c = ErrorCases()[GetParam()];
  EXPECT_EQ(EncodeQueryError(c.status, kRequestId).http_status, c.http_status);
  const json& out = Oracle().output["errors"][GetParam()];
  ASSERT_FALSE(out.contains("error")) << out["error"];
  const json& parsed = out["parsed"];
  EXPECT_EQ(parsed["Error"]["Code"], c.code);
  EXPECT_EQ(parsed["Error"]["Message"], c.status.message());
  EXPECT_EQ(parsed["Error"]["Type"], c.type);
  EXPECT_EQ(parsed["ResponseMetadata"]["RequestId"], kRequestId);
}

INSTANTIATE_TEST_SUITE_P(Botocore, QueryErrorOracleTest,
                         ::testing::Range<size_t>(0, ErrorCases().size()),
                         [](const ::testing::TestParamInfo<size_t>& info) {
                           return ErrorCases()[info.param].name;
                         });

// Every action has a request case and a response case of its own name.
TEST(QueryOracleCoverage, EveryActionHasRequestAndResponseCases) {
  std::set<std::string> requests;
  std::set<std::string> responses;
  for (const RequestCase& c : RequestCases()) requests.insert(c.name);
  for (const ResponseCase& c : ResponseCases()) responses.insert(c.name);
#define SQSIM_EXPECT_CASES(Name)               \
  EXPECT_TRUE(requests.count(#Name)) << #Name; \
  EXPECT_TRUE(responses.count(#Name)) << #Name;
  SQSIM_FOR_EACH_ACTION(SQSIM_EXPECT_CASES)
#undef SQSIM_EXPECT_CASES
}

}  // namespace
}  // namespace sqsim::wire
