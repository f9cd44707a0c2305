# Entry points. `make report` and `make test` create the environment (.venv) on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell $(PYTHON) -c "import hashlib,sys;print(hashlib.sha256(open('pyproject.toml','rb').read()).hexdigest()[:12])")
# Parameters of the pipeline (empty: the report's own, focal PRK and as_of 2023-10-01).
FOCAL ?=
AS_OF ?=
FIRST_YEAR ?=
RAW_DIR ?=
# The wave rule of 03-waves (empty: dprk_relations.analysis.waves' constants).
WAVE_MIN_ESTABLISHMENTS ?=
WAVE_MAX_GAP ?=
WAVE_MIN_REGIONAL ?=
# Variables a command line may set; any other (a misspelling, a lower-case as_of) stops the run, named.
KNOWN_VARIABLES := FOCAL AS_OF FIRST_YEAR RAW_DIR WAVE_MIN_ESTABLISHMENTS WAVE_MAX_GAP WAVE_MIN_REGIONAL PYTHON
UNKNOWN_VARIABLES := $(filter-out $(KNOWN_VARIABLES),$(foreach v,$(.VARIABLES),$(if $(filter command line,$(origin $(v))),$(v))))
ifneq ($(UNKNOWN_VARIABLES),)
$(error unknown variable(s) on the command line: $(UNKNOWN_VARIABLES); the pipeline takes $(KNOWN_VARIABLES))
endif
# A value as one shell word, whatever it holds (spaces, quotes, a ';'): single-quoted, inner quotes escaped.
quote = '$(subst ','\'',$(1))'
PIPELINE_ARGS := $(if $(FOCAL),--focal $(call quote,$(FOCAL))) $(if $(AS_OF),--as-of $(call quote,$(AS_OF))) $(if $(FIRST_YEAR),--first-year $(call quote,$(FIRST_YEAR))) \
	$(if $(RAW_DIR),--raw-dir $(call quote,$(RAW_DIR))) \
	$(if $(WAVE_MIN_ESTABLISHMENTS),--wave-min-establishments $(call quote,$(WAVE_MIN_ESTABLISHMENTS))) \
	$(if $(WAVE_MAX_GAP),--wave-max-gap $(call quote,$(WAVE_MAX_GAP))) \
	$(if $(WAVE_MIN_REGIONAL),--wave-min-regional $(call quote,$(WAVE_MIN_REGIONAL)))

.PHONY: report test force lab benchmark mutation scale clean-runs datapackage notebook-outputs browser axe

report: $(STAMP)
	$(BIN)/python -m dprk_relations.runner.pipeline --pdf $(PIPELINE_ARGS)

force: $(STAMP)
	$(BIN)/python -m dprk_relations.runner.pipeline --force --pdf $(PIPELINE_ARGS)

test: $(STAMP) browser axe
	$(BIN)/python -m pytest

$(STAMP): pyproject.toml
	@echo "Creating the environment in $(VENV) (first use only; about a minute)..."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

# Chromium and ChromeDriver for the browser test, from Debian's packages (needs root; CI is root).
browser:
	@bash scripts/ensure_chromium.sh

# axe-core for the accessibility test, pinned, from npm (needs npm; the test is skipped without it, outside CI).
axe:
	@bash scripts/ensure_axe.sh

# JupyterLab, to open the notebooks interactively, in an environment of its own (.venv-lab): the
# jupyter metapackage slows every nbformat import of the pipeline's environment by about a second.
# As root (containers, CI), Jupyter refuses to start without --allow-root.
LAB_VENV := .venv-lab
LAB_STAMP := $(LAB_VENV)/.installed-$(shell $(PYTHON) -c "import hashlib,sys;print(hashlib.sha256(open('pyproject.toml','rb').read()).hexdigest()[:12])")
lab: $(LAB_STAMP)
	$(LAB_VENV)/bin/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) notebooks/

$(LAB_STAMP): pyproject.toml
	@echo "Creating the JupyterLab environment in $(LAB_VENV) (first use only)..."
	$(PYTHON) -m venv $(LAB_VENV)
	$(LAB_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LAB_VENV)/bin/python -m pip install --quiet -e '.[lab]'
	rm -f $(LAB_VENV)/.installed-*
	touch $@

# Mutation testing of every module ([tool.mutmut] in pyproject.toml), outside `make test`; the README gives
# the last run's size, time and kill rate per module. Prints the kill rate per module and the survivors.
mutation: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,mutation]'
	rm -rf mutants
	$(BIN)/mutmut run
	$(BIN)/python scripts/mutation_report.py

benchmark: $(STAMP)
	$(BIN)/python benchmarks/bench_pipeline.py

scale: $(STAMP)
	$(BIN)/python benchmarks/scale_check.py

# Refresh the checksums and sizes in data/raw/datapackage.json after editing a raw table.
datapackage: $(STAMP)
	$(BIN)/python -m dprk_relations.data.datapackage --update

# Store fresh-kernel outputs in the committed notebooks (for nbval), from the default run's executed copies.
notebook-outputs: report
	$(BIN)/python -m dprk_relations.runner.notebooks --store-outputs

clean-runs:
	rm -rf data/processed/runs reports/runs
