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
#
# fauxqs (a Node SNS/SQS emulator, the second SNS peer) comes from npm into
# build/peers; without node, npm or the registry the tests against it skip.
sqsim_install_peers() {
  local missing=()
  python3 -c 'import boto3' 2>/dev/null || missing+=(python3-boto3)
  command -v aws >/dev/null 2>&1 || missing+=(awscli)
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  if [ ${#missing[@]} -ne 0 ]; then
    echo "sqsim: installing missing peers for the wire tests: ${missing[*]}"
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" ||
      echo "sqsim: could not install ${missing[*]}; the tests that need them will skip" >&2
  fi
  if [ ! -f build/peers/node_modules/fauxqs/dist/cli.js ] && command -v npm >/dev/null 2>&1; then
    mkdir -p build/peers
    timeout 300 npm install --prefix build/peers --no-audit --no-fund --silent fauxqs@1.9.2 ||
      echo "sqsim: could not install fauxqs from npm; the tests against it will skip" >&2
  fi
}
