#!/bin/sh
# Create or update the project's virtual environment from the lock file; say which interpreter
# it uses.  Called by `make env`; needs no root.
#
#   PYTHON  the interpreter to build the environment with.  Empty: keep the existing
#           environment's, else the first of python3.11, python3.12, python3.13, python3 found.
#   VENV    the environment's folder (default .venv)
#   LOCK    the lock file installed into it (default requirements.lock)
set -eu

SUPPORTED="3.11 3.12 3.13"          # pyproject.toml: requires-python >=3.11,<3.14
VENV=${VENV:-.venv}
LOCK=${LOCK:-requirements.lock}
PYTHON=${PYTHON:-}

die() { echo "error: $*" >&2; exit 1; }
version_of() { "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null; }
checksum() { if command -v sha256sum >/dev/null 2>&1; then sha256sum; else shasum -a 256; fi; }
is_supported() { case " $SUPPORTED " in *" $1 "*) return 0 ;; esac; return 1; }
hint="Install one of Python $SUPPORTED (e.g. with your package manager, pyenv or uv) and run \
\`make PYTHON=/path/to/python3.11\`."

# 1. the interpreter: the one asked for, else the environment's own, else the first supported
if [ -n "$PYTHON" ]; then
    command -v "$PYTHON" >/dev/null 2>&1 || die "PYTHON=$PYTHON is not an interpreter on PATH. $hint"
    want=$(version_of "$PYTHON") || die "PYTHON=$PYTHON does not run. $hint"
    is_supported "$want" || die "PYTHON=$PYTHON is Python $want; this project supports Python \
$SUPPORTED only (the lock file is resolved for 3.11). $hint"
elif [ -x "$VENV/bin/python" ] && want=$(version_of "$VENV/bin/python") && is_supported "$want"; then
    PYTHON="$VENV/bin/python"
else
    for candidate in python3.11 python3.12 python3.13 python3; do
        v=$(version_of "$candidate") || continue
        if is_supported "$v"; then PYTHON=$candidate; want=$v; break; fi
    done
    [ -n "$PYTHON" ] || die "no supported Python found (looked for python3.11, python3.12, \
python3.13 and python3; python3 is $(version_of python3 || echo 'absent')). $hint"
fi

# 2. the environment: recreated when it was built with another Python version, or its Python
#    no longer runs (e.g. a restored cache whose base interpreter has gone)
have=$(version_of "$VENV/bin/python" || true)
if [ -e "$VENV" ] && [ "$have" != "$want" ]; then
    echo ">>> $VENV has ${have:+Python }${have:-no working Python}, $PYTHON is $want: recreating it"
    rm -rf "$VENV"
fi
if [ ! -x "$VENV/bin/python" ]; then
    echo ">>> creating $VENV with $PYTHON (Python $want)"
    "$PYTHON" -m venv "$VENV" || die "$PYTHON could not create a virtual environment (on \
Debian/Ubuntu install the python$want-venv package)."
fi

# 3. the packages: installed from the lock once per lock file, pyproject.toml and Python version
key=$(cat "$LOCK" pyproject.toml | checksum | cut -c1-12)
stamp="$VENV/.installed-py$want-$key"
if [ ! -f "$stamp" ]; then
    echo ">>> installing $LOCK into $VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip uv
    # compiled once here, so that no kernel, test run or book build compiles the libraries again
    "$VENV/bin/uv" pip sync --quiet --compile-bytecode --python "$VENV/bin/python" "$LOCK"
    "$VENV/bin/uv" pip install --quiet --no-deps --python "$VENV/bin/python" -e .
    "$VENV/bin/python" -m ipykernel install --sys-prefix --name python3 >/dev/null
    rm -f "$VENV"/.installed-* && touch "$stamp"
fi
# the project's own modules too (quick when they are up to date): every notebook kernel, worker
# and test process imports them, and with PYTHONDONTWRITEBYTECODE set none would cache them
"$VENV/bin/python" -m compileall -q src >/dev/null
base=$(sed -n 's/^executable *= *//p' "$VENV/pyvenv.cfg")
[ -n "$base" ] || base="$(sed -n 's/^home *= *//p' "$VENV/pyvenv.cfg")/python3"
echo ">>> using $VENV/bin/python: Python $("$VENV/bin/python" -c \
'import platform; print(platform.python_version())') (environment created from $base)"
