#!/bin/sh
# figures.sh - the hybrid layer's results on the reference data, as the
# Markdown tables of the README: VQE (UCCSD and HEA), QAOA p=1 on every
# graph of ../shared/data/maxcut, the classifier on every data set, and one
# adjoint gradient against one forward run (20 qubits, 100 parameters).
# Needs a built tree (tools/setup.sh).  Takes a few minutes (3reg_n20).
#   usage: sh tools/figures.sh [--quick]   (--quick: skip the 20-qubit runs)
set -u
cd "$(dirname "$0")/.."
Q=./hybrid/cli/qsim
D=${QSIM_SHARED_DIR:-../shared}/data
T=$(mktemp -d "${TMPDIR:-/tmp}/qsim_figures.XXXXXX")
trap 'rm -rf "$T"' EXIT
quick=${1:-}
jget() { sed -n "s/^  \"$2\": \\(.*\\)\$/\\1/p" "$1" | sed 's/,$//; s/^"//; s/"$//'; }

echo "| molecule | qubits | ansatz | parameters | iterations | energy error (Ha) | wall time (s) |"
echo "|---|---|---|---|---|---|---|"
for spec in "h2_sto3g_0.7414 uccsd" "h2_sto3g_0.7414 hea:2" "lih_sto3g_1.45 uccsd" \
            "h2o_sto3g_cas4e3o uccsd" "lih_sto3g_1.45_cas2e5o uccsd" "h2_631g_0.75 uccsd" \
            "h4_line_sto3g_0.8882 uccsd" "beh2_sto3g_1.3165 uccsd"; do
    set -- $spec
    [ -n "$quick" ] && [ "$1" = beh2_sto3g_1.3165 ] && continue
    o=$T/vqe.json
    if "$Q" vqe --hamiltonian "$D/molecules/$1.txt" --ansatz "$2" --quiet --output "$o" > /dev/null; then
        err=$(awk -v e="$(jget "$o" energy)" -v r="$(jget "$o" reference_energy)" \
              'BEGIN { printf "%.1e", e - r }')
        printf '| %s | %s | %s | %s | %s | %s | %.2f |\n' "$1" "$(jget "$o" qubits)" "$2" \
            "$(jget "$o" num_parameters)" "$(jget "$o" iterations)" "$err" "$(jget "$o" wall_time_s)"
    else
        echo "| $1 | | $2 | failed | | | |"
    fi
done
echo
echo "(energy error: VQE energy minus the file's exact_ground_energy)"
echo
echo "| graph | nodes | max cut | expected cut, p=1 | file's p=1 optimum | difference | ratio | P(optimal cut) | wall time (s) |"
echo "|---|---|---|---|---|---|---|---|---|"
for g in cycle_n6 3reg_n8 3reg_n10 3reg_n12 er_n12_p0.5 weighted_n10 3reg_n16 3reg_n20; do
    [ -n "$quick" ] && [ "$g" = 3reg_n20 ] && continue
    o=$T/qaoa.json
    "$Q" qaoa --graph "$D/maxcut/$g.txt" --quiet --output "$o" > /dev/null || { echo "| $g | failed |"; continue; }
    awk -v g="$g" -v n="$(jget "$o" nodes)" -v m="$(jget "$o" max_cut)" -v f="$(jget "$o" expected_cut)" \
        -v r="$(jget "$o" reference_p1_expected_cut)" -v a="$(jget "$o" approximation_ratio)" \
        -v p="$(jget "$o" optimal_cut_probability)" -v t="$(jget "$o" wall_time_s)" \
        'BEGIN { printf "| %s | %d | %g | %.10f | %.10f | %.1e | %.4f | %.4f | %.2f |\n", g, n, m, f, r, f - r, a, p, t }'
done
echo
echo "| data set | features | qubits | parameters | train accuracy | test accuracy | wall time (s) |"
echo "|---|---|---|---|---|---|---|"
for s in iris moons circles breast_cancer; do
    o=$T/train.json
    "$Q" train --train "$D/classification/${s}_train.csv" --test "$D/classification/${s}_test.csv" \
        --model "$T/m.model" --quiet --output "$o" > /dev/null || { echo "| $s | failed |"; continue; }
    printf '| %s | %s | %s | %s | %.4f | %.4f | %.2f |\n' "$s" "$(jget "$o" features)" \
        "$(jget "$o" qubits)" "$(jget "$o" num_parameters)" "$(jget "$o" train_accuracy)" \
        "$(jget "$o" test_accuracy)" "$(jget "$o" wall_time_s)"
done
if [ -z "$quick" ]; then
    echo
    [ -x bench/grad_bench ] || make -s bench/grad_bench > /dev/null
    ./bench/grad_bench --qubits 20 --params 100 --repeats 3 --shift 2> /dev/null ||
        echo "(make bench/grad_bench first)"
fi
