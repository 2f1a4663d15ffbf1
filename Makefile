# Rapport runbook. Every target installs what it needs first.
PY := .venv/bin/python

.PHONY: run test train validate bench install clean

run:            ## install, train if stale, start Redis + action server + Rasa
	@bash scripts/bootstrap.sh runtime
	@bash scripts/ensure_webchat.sh
	@$(PY) -m bot.kb index
	@$(PY) -m bot.frustration
	@$(PY) -m scripts.run

test:           ## the whole test suite (what CI runs)
	@bash scripts/bootstrap.sh dev
	@bash scripts/ensure_chromium.sh
	@bash scripts/ensure_webchat.sh
	@$(PY) -m scripts.model
	@$(PY) -m bot.kb index
	@$(PY) -m bot.frustration
	@$(PY) -m pytest

train:          ## train the Rasa model if config, domain or data changed
	@bash scripts/bootstrap.sh runtime
	@$(PY) -m scripts.model

validate:       ## check the training data and domain
	@bash scripts/bootstrap.sh runtime
	@.venv/bin/rasa data validate --fail-on-warning

bench:          ## benchmarks: prints figures against baselines
	@bash scripts/bootstrap.sh dev
	@$(PY) -m bench.langid
	@$(PY) -m bench.frustration
	@$(PY) -m bench.kb --dialogue
	@$(PY) -m bench.conversations
	@$(PY) -m bench.handoff

clean:          ## remove trained models, logs, local Redis data and the embedding cache
	rm -rf models/*.tar.gz var/log var/redis var/cache
