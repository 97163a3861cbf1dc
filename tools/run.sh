#!/bin/sh
# run.sh - sets up (tools/setup.sh) and runs the project's main job.
set -eu
cd "$(dirname "$0")/.."
sh tools/setup.sh
./examples/ghz 6
./examples/h2_exact
