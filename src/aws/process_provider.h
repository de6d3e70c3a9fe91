// custom-process: the credentials a profile's `credential_process` command
// prints.
//
// The command runs through `/bin/sh -c <command>`, as the Go, Java and
// JavaScript SDKs run it on POSIX systems. botocore instead splits it with
// shlex and runs the words without a shell; for the commands people write
// (a path and arguments, quoted where they contain blanks) both give the
// same argv, but under sh `$VAR`, globs, `~` and pipes are expanded too. The
// child inherits the environment and stdin; its stdout must be a JSON
// document (credential_document.h), its stderr goes into error messages.
// There is no timeout (neither has botocore): a command that never exits
// blocks the refresh.
//
// Thread safety: thread-safe (Fetch keeps no state).

#ifndef SQSIM_AWS_PROCESS_PROVIDER_H_
#define SQSIM_AWS_PROCESS_PROVIDER_H_

#include <memory>
#include <string>

#include "sqsim/aws/credentials.h"

namespace sqsim::internal {

// Errors from Fetch: kMissingAuthenticationToken when the command cannot be
// started, is killed or exits non-zero (the message carries its exit status
// and stderr), kMalformedResponse for output that is not a Version 1
// document.
std::shared_ptr<aws::CredentialsProvider> NewProcessProvider(std::string command);

}  // namespace sqsim::internal

#endif  // SQSIM_AWS_PROCESS_PROVIDER_H_
