#!/usr/bin/env bash
# Installs what CoDesign needs beyond the .NET SDK: Debian's Fashion-MNIST package. Idempotent.
set -euo pipefail
if dpkg -s dataset-fashion-mnist >/dev/null 2>&1; then
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "setup: installing dataset-fashion-mnist (Debian package)" >&2
$sudo apt-get update -q >/dev/null
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q dataset-fashion-mnist >/dev/null
