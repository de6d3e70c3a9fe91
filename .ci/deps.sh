# Installs the Debian packages sqsim needs, if any is missing. Sourced by
# .ci/run and .ci/demo; safe to run again (it only calls apt-get when a
# package is absent).
sqsim_packages=(
  build-essential cmake pkg-config
  libboost1.81-dev libssl-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev librapidcheck-dev libbenchmark-dev
)

sqsim_install_deps() {
  local missing=()
  for p in "${sqsim_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then return 0; fi
  echo "sqsim: installing missing Debian packages: ${missing[*]}"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# The real peers the wire tests run on loopback: boto3 and the aws CLI (from
# Debian when the machine has none of its own) and moto_server. moto is not
# packaged by Debian 12 and PyPI may be unreachable, so it is not installed
# here: without `moto_server` on PATH the tests against moto skip, saying so.
sqsim_install_peers() {
  local missing=()
  python3 -c 'import boto3' 2>/dev/null || missing+=(python3-boto3)
  command -v aws >/dev/null 2>&1 || missing+=(awscli)
  if [ ${#missing[@]} -eq 0 ]; then return 0; fi
  echo "sqsim: installing missing peers for the wire tests: ${missing[*]}"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" ||
    echo "sqsim: could not install ${missing[*]}; the tests that need them will skip" >&2
}
