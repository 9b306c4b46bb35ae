# The RMI reference data the tests check against: $RMI_REFERENCE_TSV, else
# ../shared/reference/rmi-defs.tsv beside the clone, else the in-tree copy
# (a clone on its own, e.g. in mktemp -d). test_decode.sh checks the in-tree
# copy is identical to ../shared whenever both are there.
# shellcheck shell=bash
RMI_SHARED_TSV=../shared/reference/rmi-defs.tsv
if [ -z "${RMI_REFERENCE_TSV:-}" ]; then
	if [ -f "$RMI_SHARED_TSV" ]; then
		RMI_REFERENCE_TSV=$RMI_SHARED_TSV
	else
		RMI_REFERENCE_TSV=include/rmi/defs.tsv
	fi
fi
export RMI_REFERENCE_TSV
