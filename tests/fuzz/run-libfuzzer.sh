#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# usage: run-libfuzzer.sh FUZZER SEED_DIR SECONDS
# New inputs go to a scratch folder, so the seeds in the source tree stay as they are;
# a crash leaves its input in the scratch folder and fails the test.
set -eu
fuzzer=$1 seeds=$2 seconds=$3
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
"$fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
    "$scratch" "$seeds"
