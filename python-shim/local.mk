# python-shim/local.mk - the Python package (pure Python, ctypes).  Nothing
# is built: tools/setup.sh puts python-shim on the .venv's path and
# tools/test.sh runs its pytest suite.  `make install-python` installs the
# package with pip into $(PYTHON) (default: the checkout's .venv, else
# python3) for use with the installed libraries (make install).

PY_SHIM_FILES = \
	%reldir%/pyproject.toml \
	%reldir%/README.md \
	%reldir%/qsim/__init__.py \
	%reldir%/qsim/_arrays.py \
	%reldir%/qsim/_callback.py \
	%reldir%/qsim/_ffi.py \
	%reldir%/qsim/_handle.py \
	%reldir%/qsim/_oplog.py \
	%reldir%/qsim/_lib.py \
	%reldir%/qsim/chemistry.py \
	%reldir%/qsim/circuit.py \
	%reldir%/qsim/classifier.py \
	%reldir%/qsim/errors.py \
	%reldir%/qsim/gates.py \
	%reldir%/qsim/hamiltonian.py \
	%reldir%/qsim/kernels.py \
	%reldir%/qsim/maxcut.py \
	%reldir%/qsim/noise.py \
	%reldir%/qsim/objective.py \
	%reldir%/qsim/optimize.py \
	%reldir%/qsim/pennylane.py \
	%reldir%/qsim/plot.py \
	%reldir%/qsim/program.py \
	%reldir%/qsim/qiskit.py \
	%reldir%/qsim/ranks.py \
	%reldir%/qsim/rng.py \
	%reldir%/qsim/sklearn.py \
	%reldir%/qsim/state.py \
	%reldir%/qsim/torch.py \
	%reldir%/tests/conftest.py \
	%reldir%/tests/overhead.py \
	%reldir%/tests/test_adapters.py \
	%reldir%/tests/test_circuit_habits.py \
	%reldir%/tests/test_cli_parity.py \
	%reldir%/tests/test_controlled.py \
	%reldir%/tests/test_core.py \
	%reldir%/tests/test_hybrid.py \
	%reldir%/tests/test_noise.py \
	%reldir%/tests/test_qasm.py \
	%reldir%/tests/test_qiskit_primitives.py \
	%reldir%/tests/test_readme.py \
	%reldir%/tests/test_readme_figures.py \
	%reldir%/tests/test_resources.py \
	%reldir%/tests/test_threads.py \
	%reldir%/tests_pennylane/test_device.py
EXTRA_DIST += $(PY_SHIM_FILES)

# The interpreter: $(PYTHON), else the .venv's, else python3 (shell code).
PY_SHIM_INTERPRETER = py="$(PYTHON)"; \
	if [ -z "$$py" ]; then \
	    if [ -x "$(abs_top_builddir)/.venv/bin/python" ]; then py="$(abs_top_builddir)/.venv/bin/python"; \
	    else py=python3; fi; \
	fi

# pip builds in a copy, so the source tree gets no build/ or egg-info.
install-python:
	@$(PY_SHIM_INTERPRETER); \
	tmp=$$(mktemp -d) && cp -R "$(abs_top_srcdir)/python-shim/." "$$tmp" && \
	rm -rf "$$tmp/tests" && \
	echo "$$py -m pip install --no-deps --no-build-isolation python-shim" && \
	"$$py" -m pip install -q --no-deps --no-build-isolation "$$tmp"; rc=$$?; \
	rm -rf "$$tmp"; exit $$rc

uninstall-python:
	@$(PY_SHIM_INTERPRETER); "$$py" -m pip uninstall -y qsim

.PHONY: install-python uninstall-python
