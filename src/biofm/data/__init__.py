"""Labelled data: records read and validated per modality, tasks, splits, bundled datasets, pretraining corpora."""
