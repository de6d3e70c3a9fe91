// The school's enrollment events on sqsim::runtime: the enrollment service
// publishes `student_enrolled` through a Producer, and the notification
// service's Consumer sends each student a welcome email. Plain Client and
// Env: the same code runs on the Simulator, on sqsim-server and on SQS
// (examples/runtime_demo.cc runs it on the first two).

#ifndef SQSIM_EXAMPLES_SCHOOL_WELCOME_MAILER_H_
#define SQSIM_EXAMPLES_SCHOOL_WELCOME_MAILER_H_

#include <map>
#include <string>

#include "sqsim/runtime/consumer.h"
#include "sqsim/runtime/producer.h"

namespace school {

// The mail server, as the consumer sees it (the outside world: it survives
// consumer restarts). While `down`, sending fails.
struct MailServer {
  bool down = false;
  std::map<std::string, int> welcomed;  // student -> emails sent
};

// Enrollment service: one event per new student. Returns how many SQS took.
inline boost::asio::awaitable<int> PublishEnrollments(sqsim::runtime::Producer& events,
                                                      int first_student, int count) {
  int accepted = 0;
  for (int i = first_student; i < first_student + count; ++i) {
    // Named before co_await (GCC 12; see sqsim/client.h).
    sqsim::SendMessageRequest enrolled{.message_body = "student-" + std::to_string(i)};
    auto sent = co_await events.Send(std::move(enrolled));
    if (sent.ok()) ++accepted;
  }
  co_return accepted;
}

// Notification service: the welcome email, at most once per student even
// when an event is delivered twice; a mail server outage is retried with
// backoff by receive count, so the queue is not hammered meanwhile.
inline sqsim::runtime::MessageHandler WelcomeMail(MailServer& mail) {
  return [&mail](sqsim::runtime::Delivery& d) -> boost::asio::awaitable<sqsim::runtime::Outcome> {
    co_await d.env().Sleep(std::chrono::milliseconds(40));  // talking to the mail server
    if (mail.down) co_return sqsim::runtime::Outcome::Retry();
    if (mail.welcomed[d.message().body]++ > 0) {
      d.env().Log("already welcomed " + d.message().body);  // a redelivery: no second email
    }
    co_return sqsim::runtime::Outcome::Done();
  };
}

inline sqsim::runtime::ConsumerOptions MailerOptions(std::string queue_url) {
  return {.queue_url = std::move(queue_url),
          .max_in_flight = 20,
          .heartbeat_interval = std::chrono::seconds(10),
          .retry = {.initial = std::chrono::seconds(5), .max = std::chrono::minutes(2)}};
}

}  // namespace school

#endif  // SQSIM_EXAMPLES_SCHOOL_WELCOME_MAILER_H_
