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

// The one list of SQS actions, in alphabetical order. `Name##Request` /
// `Name##Response` are each action's request and response types
// (requests.h). SQSIM_ACTION_LIST_ passes ReceiveMessage, the only action
// that may wait (a long poll), to `WAITS` and every other action to
// `IMMEDIATE`; use the two macros below rather than it.
#define SQSIM_ACTION_LIST_(IMMEDIATE, WAITS) \
  IMMEDIATE(AddPermission)                   \
  IMMEDIATE(CancelMessageMoveTask)           \
  IMMEDIATE(ChangeMessageVisibility)         \
  IMMEDIATE(ChangeMessageVisibilityBatch)    \
  IMMEDIATE(CreateQueue)                     \
  IMMEDIATE(DeleteMessage)                   \
  IMMEDIATE(DeleteMessageBatch)              \
  IMMEDIATE(DeleteQueue)                     \
  IMMEDIATE(GetQueueAttributes)              \
  IMMEDIATE(GetQueueUrl)                     \
  IMMEDIATE(ListDeadLetterSourceQueues)      \
  IMMEDIATE(ListMessageMoveTasks)            \
  IMMEDIATE(ListQueueTags)                   \
  IMMEDIATE(ListQueues)                      \
  IMMEDIATE(PurgeQueue)                      \
  WAITS(ReceiveMessage)                      \
  IMMEDIATE(RemovePermission)                \
  IMMEDIATE(SendMessage)                     \
  IMMEDIATE(SendMessageBatch)                \
  IMMEDIATE(SetQueueAttributes)              \
  IMMEDIATE(StartMessageMoveTask)            \
  IMMEDIATE(TagQueue)                        \
  IMMEDIATE(UntagQueue)

#define SQSIM_IGNORE_ACTION_(Name)

// SQSIM_FOR_EACH_ACTION(X) expands X(Name) once per SQS action, in
// alphabetical order.
#define SQSIM_FOR_EACH_ACTION(X) SQSIM_ACTION_LIST_(X, X)

// The same for every action but ReceiveMessage: the actions that complete
// without waiting, which every host runs the same way.
#define SQSIM_FOR_EACH_IMMEDIATE_ACTION(X) SQSIM_ACTION_LIST_(X, SQSIM_IGNORE_ACTION_)

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
