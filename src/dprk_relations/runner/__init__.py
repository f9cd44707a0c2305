"""The runner: cache keys and the manifest (keys), the order of the steps (schedule), executing one
notebook (execute, notebooks), the kernels it starts (kernels, forkserver), and the run with its command
line (pipeline). Nothing outside this package imports the kernel machinery."""
