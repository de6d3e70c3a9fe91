// The 23 SQS actions as data: an enum, their names, and an X-macro list for
// code that must do the same thing for every action (decorators, codecs,
// metrics). User code rarely needs this header; it uses client.h.
//
// Thread safety: constants only.

#ifndef SQSIM_ACTIONS_H_
#define SQSIM_ACTIONS_H_

#include <optional>
#include <string_view>

namespace sqsim {

// SQSIM_FOR_EACH_ACTION(X) expands X(Name) once per SQS action, in
// alphabetical order. `Name##Request` / `Name##Response` are the action's
// request and response types (requests.h).
#define SQSIM_FOR_EACH_ACTION(X)  \
  X(AddPermission)                \
  X(CancelMessageMoveTask)        \
  X(ChangeMessageVisibility)      \
  X(ChangeMessageVisibilityBatch) \
  X(CreateQueue)                  \
  X(DeleteMessage)                \
  X(DeleteMessageBatch)           \
  X(DeleteQueue)                  \
  X(GetQueueAttributes)           \
  X(GetQueueUrl)                  \
  X(ListDeadLetterSourceQueues)   \
  X(ListMessageMoveTasks)         \
  X(ListQueueTags)                \
  X(ListQueues)                   \
  X(PurgeQueue)                   \
  X(ReceiveMessage)               \
  X(RemovePermission)             \
  X(SendMessage)                  \
  X(SendMessageBatch)             \
  X(SetQueueAttributes)           \
  X(StartMessageMoveTask)         \
  X(TagQueue)                     \
  X(UntagQueue)

enum class Action : unsigned char {
#define SQSIM_ACTION_ENUMERATOR(Name) k##Name,
  SQSIM_FOR_EACH_ACTION(SQSIM_ACTION_ENUMERATOR)
#undef SQSIM_ACTION_ENUMERATOR
};

inline constexpr int kActionCount = 23;

// The action's SQS name, e.g. "SendMessage".
std::string_view ActionName(Action action);

// The action named `name` (exact, case-sensitive), or nullopt.
std::optional<Action> ActionFromName(std::string_view name);

}  // namespace sqsim

#endif  // SQSIM_ACTIONS_H_
