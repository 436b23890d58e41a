"""Training: fine-tuning (full, LoRA, probe; self-training; DP; several processes), pretraining, sweeps."""
