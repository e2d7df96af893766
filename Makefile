# The two commands (see README.md). Everything else lives in bin/.
.PHONY: run test bench

# Serves ExecGap with the demo organization on http://127.0.0.1:8000.
run:
	@bin/run

# Static checks and the whole suite on a throwaway PostgreSQL and Redis: make test ARGS="-k scoring -x"
test:
	@bin/test $(ARGS)

# The scoring benchmark on a throwaway PostgreSQL and Redis; writes BENCHMARKS.md: make bench ARGS="--sizes 10000"
bench:
	@bin/bench $(ARGS)
