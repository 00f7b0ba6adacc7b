"""The core: task ids, the task model and the kinds registry. No I/O; imports nothing else."""
