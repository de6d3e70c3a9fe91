// ClientWrapper: a Client that forwards every call to another Client, so a
// decorator overrides only the calls it changes (leveldb's EnvWrapper, for
// the SQS API):
//
//   // Counts sends; every other action goes straight through.
//   class CountingClient : public sqsim::ClientWrapper {
//    public:
//     using ClientWrapper::ClientWrapper;
//     Result<SendMessageResponse> SendMessage(const SendMessageRequest& r) override {
//       ++sends;
//       return ClientWrapper::SendMessage(r);
//     }
//     int sends = 0;
//   };
//
// A decorator that overrides the blocking form of an action should override
// its coroutine form too (the two are separate virtual functions; the
// wrapper forwards each to the same form of the target).
//
// Thread safety: that of the target.

#ifndef SQSIM_CLIENT_WRAPPER_H_
#define SQSIM_CLIENT_WRAPPER_H_

#include <utility>

#include "sqsim/client.h"

namespace sqsim {

class ClientWrapper : public Client {
 public:
  // `target` must outlive the wrapper.
  explicit ClientWrapper(Client* target) : target_(target) {}

#define SQSIM_CLIENT_WRAPPER_FORWARD(Name)                                                     \
  Result<Name##Response> Name(const Name##Request& request) override {                         \
    return target_->Name(request);                                                             \
  }                                                                                            \
  boost::asio::awaitable<Result<Name##Response>> Async##Name(Name##Request request) override { \
    return target_->Async##Name(std::move(request));                                           \
  }
  SQSIM_FOR_EACH_ACTION(SQSIM_CLIENT_WRAPPER_FORWARD)
#undef SQSIM_CLIENT_WRAPPER_FORWARD

  Client* target() const { return target_; }

 private:
  Client* target_;
};

}  // namespace sqsim

#endif  // SQSIM_CLIENT_WRAPPER_H_
