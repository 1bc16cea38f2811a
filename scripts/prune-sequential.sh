#!/usr/bin/env bash
# Sequential calibration for slim-prune (SparseGPT's mode): the prunable
# layers are pruned stage by stage (slim-prune's stage=), each stage
# calibrated on the module with the stages before it already pruned, so
# that its Gram matrices see the inputs the pruned model will give it.
#
#   scripts/prune-sequential.sh OBSERVED OUT "PRUNE-OPTIONS" -- CALIBRATION...
#
# The same as scripts/sequential.sh slim-prune OBSERVED OUT ... (which says
# what the arguments are).
set -euo pipefail
SLIM_SEQUENTIAL_NAME=prune-sequential exec bash "$(dirname "$0")/sequential.sh" slim-prune "$@"
