#!/usr/bin/env bash
# The test suite of `autograd` and `nn` under the address sanitizer (heap and stack
# overflows, use after free, leaks), where a nightly toolchain is installed; skips with a
# message where it is not. Not part of .ci/run (it needs nightly and takes minutes).
#
#   bash scripts/sanitize.sh            # both crates, the unit, integration and property tests
#   bash scripts/sanitize.sh -p learngrad-nn   # arguments go to `cargo test`
#
# Doctests are left out (-Zsanitizer does not reach rustdoc's own builds reliably), and the
# property tests run with fewer cases (PROPTEST_CASES, default 64 here) since ASan is ~3x slower.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    echo "sanitize.sh: no nightly toolchain (rustup toolchain install nightly); skipped."
    exit 0
fi
target=$(rustc -vV | sed -n 's/^host: //p')
packages=("$@")
if [ ${#packages[@]} -eq 0 ]; then
    packages=(-p learngrad-autograd -p learngrad-nn)
fi
export RUSTFLAGS="-Zsanitizer=address"
export RUSTDOCFLAGS="-Zsanitizer=address"
# allocator_may_return_null: the tests ask for impossible sizes on purpose and expect an
# Err from the allocator (AllocationFailed), which ASan would otherwise turn into an abort
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:allocator_may_return_null=1"
export LSAN_OPTIONS="suppressions=$PWD/scripts/lsan.supp"
export PROPTEST_CASES="${PROPTEST_CASES:-64}"
# a target directory of its own: instrumented artefacts must not mix with the normal build
cargo +nightly test --target "$target" --target-dir target/sanitize --lib --tests "${packages[@]}"
echo "sanitize.sh: address sanitizer found nothing in: ${packages[*]}"
