#!/usr/bin/env bash
# Micro-benchmarks of the L2-L4 codecs (NetLab.Protocols Ethernet/IP/Transport/Frames): time per frame and
# bytes allocated (must be zero). Usage: bench/proto.sh [extra BenchmarkDotNet arguments, e.g. --job short]
set -euo pipefail
cd "$(dirname "$0")/.."
exec dotnet run -c Release --project bench/NetLab.Benchmarks -- --filter '*FrameParseBenchmarks*' "$@"
