"""Layer 5, build: the runner and its cache (pipeline), the kernels it forks (forkserver, kernels), the
HTML report, the comparison with the committed verdicts (changes), the data package descriptor and
the notebooks' stored outputs."""
