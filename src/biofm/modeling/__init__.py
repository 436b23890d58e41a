"""The network and running it: encoder + head, LoRA / probe, checkpoints, batched inference, a loaded run."""
