# The two commands a newcomer needs are `make run` and `make test`; see README.md.
.PHONY: run test bench lock lint format

run:  ## Install, migrate, load the demo data and start the portal with a Celery worker.
	bin/run

test:  ## Install what the tests need (Debian, as root) and run linters, checks and pytest.
	bin/test

bench:  ## Load province-scale data into PostgreSQL and measure pages under gunicorn.
	bin/install-venv
	.venv/bin/python bin/bench

lock:  ## Regenerate requirements.lock from pyproject.toml in a fresh virtualenv.
	bin/lock

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format:
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .
